// "Use your own plan": paste JSON or upload a file, validated by the engine.
//
// The engine is the only judge of a plan (estimate() throws the same typed
// errors as every other entry point), so the page never second-guesses it.
// A rejected plan stays in the textarea, the error is shown next to it with
// its code and path, and the textarea points at the error for screen readers.

import { estimate, type Plan } from "time-crunch";
import { el, replaceChildren } from "./dom";
import { isTimeCrunchError, problemView, type Problem } from "./errors";

export type PlanError = Problem;

/** Files larger than this are refused before reading (a 200-exercise plan is ~100 KB). */
const MAX_FILE_BYTES = 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses and validates `text` as a plan (or a preview request holding one). */
export function readPlan(text: string): { plan: Plan } | { error: PlanError } {
  if (text.trim() === "") return { error: { code: "empty", message: "Paste a plan's JSON or choose a file first." } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: { code: "invalid_json", message: error instanceof Error ? error.message : "This is not JSON." } };
  }
  // A saved preview request ({plan, targetMinutes}) is accepted for its plan.
  if (isRecord(value) && "plan" in value && !("blocks" in value)) value = value.plan;
  try {
    estimate(value as Plan);
  } catch (error) {
    if (isTimeCrunchError(error)) return { error: { code: error.code, message: error.message, path: error.path } };
    return { error: { code: "invalid_plan", message: "This plan could not be read." } };
  }
  return { plan: value as Plan };
}

/** Builds the form; `onPlan` receives each plan that passes validation. */
export function planInput(onPlan: (plan: Plan) => void): HTMLElement {
  const textarea = el("textarea", {
    id: "plan-json",
    rows: 8,
    spellcheck: "false",
    autocomplete: "off",
    "aria-describedby": "plan-json-hint plan-json-error",
  });
  const file = el("input", { id: "plan-file", type: "file", accept: ".json,application/json" });
  const error = el("div", { id: "plan-json-error", class: "form-error", role: "alert" });
  const form = el(
    "form",
    { class: "own-plan-form", novalidate: true },
    el("label", { for: "plan-json" }, "Plan JSON"),
    textarea,
    el("p", { id: "plan-json-hint", class: "hint" }, "A plan as JSON (or a preview request that holds one). Checked by the engine."),
    el("div", { class: "own-plan-file" }, el("label", { for: "plan-file" }, "or upload a .json file"), file),
    error,
    el("div", { class: "own-plan-actions" }, el("button", { type: "submit", class: "btn btn-primary" }, "Show this plan")),
  );

  const showError = (problem: PlanError): void => {
    textarea.setAttribute("aria-invalid", "true");
    replaceChildren(error, ...problemView("This plan can't be used", problem));
  };

  const check = (): void => {
    const result = readPlan(textarea.value);
    if ("error" in result) {
      showError(result.error);
      return;
    }
    textarea.removeAttribute("aria-invalid");
    error.replaceChildren();
    onPlan(result.plan);
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check();
  });
  file.addEventListener("change", () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    if (chosen.size > MAX_FILE_BYTES) {
      showError({ code: "payload_too_large", message: `${chosen.name} is larger than 1 MB.` });
      return;
    }
    chosen.text().then(
      (text) => {
        // The file's text goes into the textarea so it can be fixed in place.
        textarea.value = text;
        file.value = "";
        check();
      },
      () => showError({ code: "unreadable_file", message: `${chosen.name} could not be read.` }),
    );
  });

  return el(
    "details",
    { class: "own-plan", id: "own-plan" },
    el("summary", null, "Use your own plan"),
    form,
  );
}
