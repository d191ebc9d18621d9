// "Use your training log": a Strong or Hevy export (.csv) gives the athlete's
// own pace and their past sessions as plans.
//
// The training-log module (time-crunch/history: the importers and the
// exercise database, several times the preview module's size) is fetched the
// first time a file is chosen, so the page's first load never loads it. The
// file is read in this browser and sent nowhere.
//
// Each step is the module's judgement: importLog reads the export (rows it
// cannot read are listed, not fatal); calibrate fits the pace (too little
// history is said plainly and the standard pace stays); planFromSession makes
// a past session a plan, and the names it matched to no exercise are asked
// about (movement, main muscle, equipment) before the plan becomes today's.
// Session and exercise names come from the file: text only.

import type { Pace, Plan } from "time-crunch";
import type { Calibration, History, LoggedSession, SessionPlan, UnusedReason } from "time-crunch/history";
import { el, replaceChildren, type Child } from "./dom";
import { isHistoryError, problemView, type Problem } from "./errors";
import { EQUIPMENT_LABEL, MUSCLE_LABEL, PATTERN_LABEL, percent } from "./format";

type HistoryModule = typeof import("time-crunch/history");

let loading: Promise<HistoryModule> | null = null;

/** The training-log module, fetched and initialised on first use (tried again after a failure). */
function historyModule(): Promise<HistoryModule> {
  if (!loading) {
    const attempt = import("time-crunch/history").then(async (module) => {
      await module.default();
      return module;
    });
    attempt.catch(() => {
      if (loading === attempt) loading = null;
    });
    loading = attempt;
  }
  return loading;
}

/** How many skipped rows are listed by line; the rest are counted. */
const SKIPPED_LISTED = 5;

const UNUSED_LABEL: Record<UnusedReason, string> = {
  timer_left_running: "timer left running",
  logged_afterwards: "logged afterwards",
  no_sets: "no set done",
  outlier: "far off the others",
};

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "about 25% longer than planned", "about as long as planned". */
function howLong(actualToPlanned: number): string {
  const change = Math.round((actualToPlanned - 1) * 100);
  if (change === 0) return "about as long as planned";
  return `about ${Math.abs(change)}% ${change > 0 ? "longer" : "shorter"} than planned`;
}

function howRested(restFactor: number): string {
  const factor = Math.round(restFactor * 10) / 10;
  return factor === 1 ? "you rest about as long as planned" : `you rest about ${factor}× the planned rest`;
}

/** "2021-12-22 15:07" from the log's normalised start. */
function when(session: LoggedSession): string {
  return session.start.replace("T", " ").slice(0, 16);
}

function sessionLabel(session: LoggedSession): string {
  const doubt = session.implausible ? ` (${UNUSED_LABEL[session.implausible]})` : "";
  return `${when(session)} · ${session.name} · ${Math.round(session.actualMinutes)} min${doubt}`;
}

function problemOf(error: unknown, fallback: string): Problem {
  if (isHistoryError(error)) return { code: error.code, message: error.message, line: error.line };
  return { code: "internal", message: fallback };
}

/** The summary of an imported log and its calibration (or why there is none). */
function summaryView(log: History, calibration: Calibration | null, tooLittle: string | null, personal: boolean): Child[] {
  const total = log.sessions.length;
  let headline: string;
  let facts: string;
  if (calibration) {
    const used = calibration.used.length;
    const runs = `Your ${count(used, "session")} ${used === 1 ? "runs" : "run"} ${howLong(calibration.actualToPlanned)}`;
    headline = personal
      ? `${runs}; ${howRested(calibration.pace.restFactor)}. Estimates below use your pace.`
      : `${runs}, but a pace fitted on your log does not time your latest sessions better than the standard one, so estimates below keep the standard pace.`;
    const reasons = new Map<UnusedReason, number>();
    for (const unused of calibration.leftOut) reasons.set(unused.reason, (reasons.get(unused.reason) ?? 0) + 1);
    const why = [...reasons].map(([reason, n]) => `${n} ${UNUSED_LABEL[reason]}`).join(", ");
    facts = `Fitted on ${used} of ${count(total, "session")}` + (calibration.leftOut.length > 0 ? `; ${calibration.leftOut.length} left out (${why}).` : ".");
    if (personal) facts += ` Typical error ${percent(calibration.errorAfter)} at your pace, ${percent(calibration.errorBefore)} at the standard pace.`;
  } else {
    headline = `Not enough history for a personal pace: ${tooLittle ?? ""}. Estimates below use the standard pace.`;
    facts = `${count(total, "session")} read.`;
  }
  const skipped = log.skipped;
  const rows =
    skipped.length === 0
      ? "Every row was read."
      : `${count(skipped.length, "row")} could not be read.`;
  return [
    el("p", { class: "log-headline" }, headline),
    el("p", { class: "hint log-facts" }, facts, " ", rows),
    skipped.length > 0
      ? el(
          "details",
          { class: "log-skipped" },
          el("summary", null, "Rows that could not be read"),
          el(
            "ul",
            null,
            ...skipped.slice(0, SKIPPED_LISTED).map((row) => el("li", null, `Line ${row.line}: ${row.reason}`)),
            skipped.length > SKIPPED_LISTED ? el("li", null, `… and ${skipped.length - SKIPPED_LISTED} more`) : null,
          ),
        )
      : null,
  ];
}

function select<T extends string>(id: string, labels: Record<T, string>, value: T): HTMLSelectElement {
  const node = el("select", { id }, ...(Object.keys(labels) as T[]).map((key) => el("option", { value: key }, labels[key])));
  node.value = value;
  return node;
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return el("div", { class: "field log-field" }, el("label", { for: id }, label), control);
}

export interface TrainingLogOptions {
  /** The athlete's pace from their log; null when it gives none (the standard pace applies). */
  onPace(pace: Pace | null): void;
  /** A past session made a plan, described, to be today's. */
  onPlan(plan: Plan): void;
}

/** Builds the section; nothing of the training-log module loads until a file is chosen. */
export function trainingLog(options: TrainingLogOptions): HTMLElement {
  const file = el("input", { id: "log-file", type: "file", accept: ".csv,text/csv", "aria-describedby": "log-hint log-error" });
  const error = el("div", { id: "log-error", class: "form-error", role: "alert" });
  const summary = el("div", { id: "log-summary", class: "log-summary", role: "status" });
  const sessions = el("select", { id: "log-session" });
  const useSession = el("button", { type: "button", class: "btn", id: "log-use" }, "Use this session");
  const pick = el(
    "div",
    { class: "log-pick", hidden: true },
    el("div", { class: "field" }, el("label", { for: "log-session" }, "Past session (newest first)"), sessions),
    useSession,
  );
  const describe = el("form", { class: "log-describe", id: "log-describe", hidden: true, novalidate: true });
  const done = el("p", { id: "log-done", class: "hint", role: "status" });

  let log: History | null = null;
  let module: HistoryModule | null = null;
  /** The latest file chosen: a slower, older one is ignored when it finishes. */
  let reading = 0;

  const showProblem = (title: string, problem: Problem): void => {
    file.setAttribute("aria-invalid", "true");
    replaceChildren(error, ...problemView(title, problem));
  };
  const clearProblem = (): void => {
    file.removeAttribute("aria-invalid");
    error.replaceChildren();
  };

  const accept = (session: LoggedSession, made: SessionPlan, plan: Plan): void => {
    describe.hidden = true;
    describe.replaceChildren();
    const dropped = made.leftOut.length;
    done.textContent =
      `Today's plan is your session of ${when(session)}.` +
      (dropped > 0 ? ` ${count(dropped, "logged exercise")} with no set done ${dropped === 1 ? "is" : "are"} left out.` : "");
    options.onPlan(plan);
  };

  /** Asks what each unmatched name is, pre-filled with the plan's placeholders. */
  const ask = (session: LoggedSession, made: SessionPlan): void => {
    const plan = structuredClone(made.plan);
    const exercises = new Map(plan.blocks.flatMap((b) => b.exercises.map((e) => [e.id, e] as const)));
    const questions = made.unmatched.map((unmatched, i) => {
      const first = exercises.get(unmatched.exerciseIds[0] ?? "");
      const pattern = select(`log-u${i}-pattern`, PATTERN_LABEL, first?.pattern ?? "isolation");
      const muscle = select(`log-u${i}-muscle`, MUSCLE_LABEL, first?.muscles[0] ?? "full_body");
      const equipment = select(`log-u${i}-equipment`, EQUIPMENT_LABEL, first?.equipment ?? "other");
      const node = el(
        "fieldset",
        { class: "log-unmatched" },
        el("legend", null, unmatched.name),
        el(
          "div",
          { class: "log-unmatched-fields" },
          field(pattern.id, "Movement", pattern),
          field(muscle.id, "Main muscle", muscle),
          field(equipment.id, "Equipment", equipment),
        ),
      );
      return { unmatched, pattern, muscle, equipment, node };
    });
    const n = questions.length;
    replaceChildren(
      describe,
      el(
        "p",
        { class: "log-describe-intro" },
        `${count(n, "exercise")} of this session ${n === 1 ? "is" : "are"} not in the exercise list. ` +
          "Say what each is, so the engine can time, pair and trim it:",
      ),
      ...questions.map((q) => q.node),
      el("div", { class: "own-plan-actions" }, el("button", { type: "submit", class: "btn btn-primary", id: "log-describe-use" }, "Use this plan")),
    );
    describe.onsubmit = (event) => {
      event.preventDefault();
      for (const q of questions) {
        for (const id of q.unmatched.exerciseIds) {
          const exercise = exercises.get(id);
          if (!exercise) continue;
          exercise.pattern = q.pattern.value as typeof exercise.pattern;
          exercise.muscles = [q.muscle.value as (typeof exercise.muscles)[number]];
          exercise.equipment = q.equipment.value as typeof exercise.equipment;
        }
      }
      accept(session, made, plan);
    };
    describe.hidden = false;
    done.textContent = "";
    questions[0]?.pattern.focus();
  };

  useSession.addEventListener("click", () => {
    const session = log?.sessions[Number(sessions.value)];
    if (!module || !session) return;
    let made: SessionPlan;
    try {
      made = module.planFromSession(session, `log-${session.start.slice(0, 10)}`);
    } catch (problem) {
      showProblem("This session can't be used", problemOf(problem, "A plan could not be made from this session."));
      return;
    }
    clearProblem();
    if (made.unmatched.length === 0) accept(session, made, made.plan);
    else ask(session, made);
  });

  const read = async (chosen: File): Promise<void> => {
    const mine = ++reading;
    summary.textContent = "Reading your log…";
    let text: string;
    let lib: HistoryModule;
    try {
      text = await chosen.text();
    } catch {
      if (mine !== reading) return;
      summary.textContent = "";
      showProblem("This file can't be used", { code: "unreadable_file", message: `${chosen.name} could not be read.` });
      return;
    }
    try {
      lib = await historyModule();
    } catch {
      if (mine !== reading) return;
      summary.textContent = "";
      showProblem("The training log can't be read", { code: "module_unavailable", message: "The training-log module could not be loaded." });
      return;
    }
    if (mine !== reading) return;
    let imported: History;
    let calibration: Calibration | null = null;
    let tooLittle: string | null = null;
    try {
      imported = lib.importLog(text);
      try {
        calibration = lib.calibrate(imported);
      } catch (problem) {
        if (!isHistoryError(problem) || problem.code !== "not_enough_history") throw problem;
        tooLittle = problem.message;
      }
    } catch (problem) {
      // The log shown before (if any) stays in use.
      summary.textContent = log ? "The log read before is still in use." : "";
      showProblem("This file can't be used", problemOf(problem, "This file could not be read."));
      return;
    }
    clearProblem();
    module = lib;
    log = imported;
    const personal = calibration?.personal ?? false;
    options.onPace(personal && calibration ? calibration.pace : null);
    replaceChildren(summary, ...summaryView(imported, calibration, tooLittle, personal));
    const newestFirst = imported.sessions.map((session, index) => ({ session, index })).reverse();
    sessions.replaceChildren(...newestFirst.map(({ session, index }) => el("option", { value: index }, sessionLabel(session))));
    pick.hidden = imported.sessions.length === 0;
    describe.hidden = true;
    describe.replaceChildren();
    done.textContent = "";
  };

  file.addEventListener("change", () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    void read(chosen).finally(() => {
      // The same file can be chosen again (after fixing it).
      file.value = "";
    });
  });

  return el(
    "details",
    { class: "own-plan training-log", id: "training-log" },
    el("summary", null, "Use your training log"),
    el(
      "div",
      { class: "own-plan-form" },
      el(
        "p",
        { id: "log-hint", class: "hint" },
        "A Strong or Hevy export (.csv): your pace is fitted on it, and any past session can be today's plan. Read in this browser; nothing is uploaded.",
      ),
      el("div", { class: "own-plan-file" }, el("label", { for: "log-file" }, "Upload an export"), file),
      error,
      summary,
      pick,
      describe,
      done,
    ),
  );
}
