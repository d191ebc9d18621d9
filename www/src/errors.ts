// The engine's thrown errors, and how a form shows one. Their types come from
// the package; they are interfaces, not classes (the engine throws a plain
// Error), so they are recognised by name. The training-log module throws the
// same name with a `line` instead of a `path`.

import type { TimeCrunchError } from "time-crunch";
import type { TimeCrunchHistoryError } from "time-crunch/history";
import { el, type Child } from "./dom";

export function isTimeCrunchError(error: unknown): error is TimeCrunchError {
  return error instanceof Error && error.name === "TimeCrunchError";
}

/** An error of the training-log module (`time-crunch/history`). */
export function isHistoryError(error: unknown): error is TimeCrunchHistoryError {
  return isTimeCrunchError(error);
}

/** A typed error as a form shows it. */
export interface Problem {
  code: string;
  message: string;
  /** Where in a plan, for the engine's errors. */
  path?: string;
  /** Which line of a file, for the training-log module's. */
  line?: number;
}

/** The children of a form's error box (role="alert"): a title, the message, the code and where. */
export function problemView(title: string, problem: Problem): Child[] {
  return [
    el("p", { class: "form-error-title" }, title),
    el("p", { class: "form-error-message" }, problem.message),
    el(
      "dl",
      { class: "form-error-facts" },
      el("dt", null, "Code"),
      el("dd", null, el("code", { class: "form-error-code" }, problem.code)),
      problem.path !== undefined ? el("dt", null, "Where") : null,
      problem.path !== undefined ? el("dd", null, el("code", { class: "form-error-path" }, problem.path)) : null,
      problem.line !== undefined ? el("dt", null, "Line") : null,
      problem.line !== undefined ? el("dd", null, el("code", { class: "form-error-line" }, problem.line)) : null,
    ),
  ];
}
