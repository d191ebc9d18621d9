// "Finished? It took [__] minutes — Log": after a preview is applied, the
// athlete says how long the session really took. The package's client sends
// it as `session_completed`, which the dashboards count as finished within
// the target or not (and compare with the estimate).
//
// Which minutes are plausible is the client's rule (it drops and counts the
// others in rejected()), so the page asks it rather than keeping a copy.

import type { Preview } from "time-crunch";
import { el } from "./dom";
import { minutes } from "./format";

/** The part of the package's TimeCrunchClient this control uses. */
export interface CompletedSink {
  trackCompleted(preview: Preview, actualMinutes: number): void;
  rejected(): number;
  flush(): Promise<void>;
}

export interface FinishedControl {
  readonly element: HTMLElement;
  /** Shows the control for the session trained from `preview`. */
  offer(preview: Preview): void;
  /** Hides it (another plan is on screen). */
  withdraw(): void;
}

export function finishedControl(sink: CompletedSink): FinishedControl {
  const input = el("input", {
    id: "finished-minutes",
    type: "number",
    min: 1,
    step: "any",
    inputmode: "decimal",
    "aria-describedby": "finished-unit finished-note",
  });
  const submit = el("button", { type: "submit", class: "btn", id: "finished-log" }, "Log");
  const note = el("span", { id: "finished-note", class: "finished-note", role: "status" });
  const form = el(
    "form",
    { class: "finished", id: "finished", hidden: true, novalidate: true },
    el("label", { for: "finished-minutes" }, "Finished? It took"),
    input,
    el("span", { id: "finished-unit" }, "minutes"),
    submit,
    note,
  );
  /** The session offered; it is logged at most once. */
  let preview: Preview | null = null;
  let logged = false;

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!preview || logged) return;
    const actual = input.valueAsNumber;
    const before = sink.rejected();
    if (Number.isFinite(actual)) sink.trackCompleted(preview, actual);
    if (!Number.isFinite(actual) || sink.rejected() > before) {
      input.setAttribute("aria-invalid", "true");
      note.textContent = "Type the minutes it took: more than 0, at most a day.";
      return;
    }
    void sink.flush();
    input.removeAttribute("aria-invalid");
    input.disabled = true;
    submit.disabled = true;
    note.textContent = `Logged: ${minutes(Math.round(actual * 10) / 10)} for a ${minutes(preview.targetMinutes)} target.`;
    logged = true;
  });

  return {
    element: form,
    offer(next) {
      form.hidden = false;
      if (next === preview) return; // shown again (back in the picker): kept as it was
      preview = next;
      logged = false;
      input.value = "";
      input.disabled = false;
      submit.disabled = false;
      input.removeAttribute("aria-invalid");
      note.textContent = "";
    },
    withdraw() {
      form.hidden = true;
    },
  };
}
