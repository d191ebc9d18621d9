// The TimeCrunchPreviewModal: a native <dialog> built with plain DOM so that
// a host app can embed it without pulling in any framework.
//
// When it opens, the whole slider range is computed once with sweep() (166
// previews, 15..180 minutes); moving the slider or typing minutes then only
// indexes into that array, so every input event re-renders instantly.
//
// Nothing the athlete is looking at while scrubbing may move: the dialog has
// a fixed height, the header (controls, figures, timeline) and the footer
// have fixed-size slots whose text changes in place, and only the scrolling
// body below them takes the new session's length.
//
// With the athlete's pace (from their training log) the sweep is timed at
// it, and a note says the figures are a personal estimate.

import { applyPreview, sweep, type Pace, type Plan, type Preview } from "time-crunch";
import { el, replaceChildren, type Child } from "./dom";
import { isTimeCrunchError } from "./errors";
import { STRATEGY_HINT, STRATEGY_LABEL, minutes } from "./format";
import { withPace } from "./pace";
import { renderChanges, renderRetained, renderSession } from "./render";
import type { Telemetry } from "./telemetry";
import { planTimeline, renderLegend, renderTimeline, type Timeline } from "./timeline";

export const MIN_MINUTES = 15;
export const MAX_MINUTES = 180;
/** A preview counts as "generated" (telemetry) once the slider rests this long on it. */
const SETTLE_MS = 500;

function errorCode(error: unknown): string {
  return isTimeCrunchError(error) ? error.code : "internal";
}

function errorText(error: unknown): string {
  if (isTimeCrunchError(error)) return `${error.message} (${error.code}${error.path ? ` at ${error.path}` : ""})`;
  return "Something went wrong while compressing this plan.";
}

function clampMinutes(value: number): number {
  return Math.min(MAX_MINUTES, Math.max(MIN_MINUTES, Math.round(value)));
}

/** A sensible first target: about 70% of the plan, on a 5-minute step. */
function defaultTarget(originalMinutes: number): number {
  return clampMinutes(Math.floor((originalMinutes * 0.7) / 5) * 5);
}

function fileName(plan: Plan, target: number): string {
  const slug = plan.id.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "plan";
  return `${slug}-${target}min.plan.json`;
}

function stat(label: string, value: HTMLElement): HTMLElement {
  return el("div", { class: "tc-stat" }, el("span", { class: "tc-stat-label" }, label), value);
}

/** Elements that Tab can reach inside `root`, in order. */
function tabbable(root: HTMLElement): HTMLElement[] {
  const candidates = root.querySelectorAll<HTMLElement>(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])',
  );
  return [...candidates].filter((node) => !(node as HTMLButtonElement).disabled && node.getClientRects().length > 0);
}

export interface ModalOptions {
  telemetry: Telemetry;
  /** Called with the translated plan when the athlete applies a preview. */
  onApply?: (plan: Plan, preview: Preview) => void;
}

export class CrunchModal {
  readonly dialog: HTMLDialogElement;
  private readonly range: HTMLInputElement;
  private readonly number: HTMLInputElement;
  private readonly planName: HTMLElement;
  private readonly strategy: HTMLElement;
  private readonly fit: HTMLElement;
  private readonly estimated: HTMLElement;
  private readonly target: HTMLElement;
  private readonly planned: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly paceNote: HTMLElement;
  private readonly timeline: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly body: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly result: HTMLElement;
  private readonly applyButton: HTMLButtonElement;

  private plan: Plan | null = null;
  private plannedTimeline: Timeline | null = null;
  private previews: Preview[] = [];
  private current: Preview | null = null;
  private names = new Map<string, string>();
  private downloadUrl: string | null = null;
  private opener: HTMLElement | null = null;
  /** Engine time per preview of the last sweep, ms. */
  private perPreviewMs = 0;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private lastTracked: Preview | null = null;

  constructor(
    private readonly options: ModalOptions,
    host: HTMLElement = document.body,
  ) {
    this.range = el("input", {
      id: "tc-range",
      type: "range",
      min: MIN_MINUTES,
      max: MAX_MINUTES,
      step: 1,
      "aria-describedby": "tc-range-hint",
    });
    this.number = el("input", {
      id: "tc-minutes",
      type: "number",
      min: MIN_MINUTES,
      max: MAX_MINUTES,
      step: 1,
      inputmode: "numeric",
    });
    this.planName = el("span", { class: "tc-plan-name" });
    this.strategy = el("span", { class: "tag tag-strong tc-strategy" });
    this.fit = el("span", { class: "tc-fit" });
    this.estimated = el("strong", { class: "tc-estimated" });
    this.target = el("strong", { class: "tc-target" });
    this.planned = el("strong", { class: "tc-planned" });
    this.hint = el("p", { class: "tc-hint muted" });
    // The same for every preview of a sweep: it never changes while scrubbing.
    this.paceNote = el("p", { class: "tc-pace", id: "tc-pace", hidden: true }, "Personal estimate: timed at your pace from your training log");
    this.timeline = el("div", { class: "tc-timeline" });
    this.legend = el("div", { class: "tc-legend" });
    this.body = el("div", { class: "tc-body", id: "tc-details", tabindex: 0, role: "region", "aria-label": "Session details" });
    // After Apply the footer's buttons become the result's (same single
    // row), so the footer never changes height.
    this.result = el("div", { class: "tc-result", hidden: true });
    this.applyButton = el("button", { type: "button", class: "btn btn-primary", id: "tc-apply" }, "Apply");
    const closeButton = el("button", { type: "button", class: "btn-icon", "aria-label": "Close" }, "×");
    const cancelButton = el("button", { type: "button", class: "btn" }, "Cancel");
    this.actions = el("div", { class: "tc-actions" }, cancelButton, this.applyButton);

    this.dialog = el(
      "dialog",
      { class: "tc-dialog", id: "tc-dialog", "aria-labelledby": "tc-title", "aria-describedby": "tc-desc" },
      el(
        "div",
        { class: "tc-frame" },
        el(
          "header",
          { class: "tc-head" },
          el("div", { class: "tc-head-row" }, el("h2", { id: "tc-title" }, "Short on time?"), closeButton),
          el("p", { id: "tc-desc", class: "tc-desc muted" }, "Choose the minutes you have and we'll fit ", this.planName, " into them."),
          this.paceNote,
          el(
            "div",
            { class: "tc-controls" },
            el("label", { for: "tc-range", class: "tc-range-label" }, "Time available"),
            this.range,
            el("div", { class: "tc-number" }, el("label", { for: "tc-minutes" }, "Minutes"), this.number),
            el("span", { id: "tc-range-hint", class: "visually-hidden" }, `${MIN_MINUTES} to ${MAX_MINUTES} minutes`),
          ),
          el("div", { class: "tc-status-row" }, this.strategy, this.fit),
          el(
            "div",
            { class: "tc-stats" },
            stat("Estimated", this.estimated),
            stat("Target", this.target),
            stat("Planned", this.planned),
          ),
          this.hint,
          this.timeline,
          this.legend,
        ),
        this.body,
        el("footer", { class: "tc-foot" }, this.result, this.actions),
      ),
    );
    host.append(this.dialog);

    this.range.addEventListener("input", () => {
      this.number.value = this.range.value;
      this.number.removeAttribute("aria-invalid");
      this.show(Number(this.range.value));
    });
    this.number.addEventListener("input", () => {
      const value = this.number.valueAsNumber;
      if (Number.isInteger(value) && value >= MIN_MINUTES && value <= MAX_MINUTES) {
        this.number.removeAttribute("aria-invalid");
        this.range.value = String(value);
        this.show(value);
      } else {
        // Mid-typing ("1" on the way to "120"): wait for a valid number.
        this.number.setAttribute("aria-invalid", "true");
      }
    });
    this.number.addEventListener("change", () => {
      const value = Number.isFinite(this.number.valueAsNumber) ? clampMinutes(this.number.valueAsNumber) : Number(this.range.value);
      this.number.value = String(value);
      this.number.removeAttribute("aria-invalid");
      this.range.value = String(value);
      this.show(value);
    });
    this.applyButton.addEventListener("click", () => this.apply());
    closeButton.addEventListener("click", () => this.dialog.close());
    cancelButton.addEventListener("click", () => this.dialog.close());
    // A click on the backdrop lands on the <dialog> itself (the frame fills it).
    this.dialog.addEventListener("click", (event) => {
      if (event.target === this.dialog) this.dialog.close();
    });
    // showModal() makes the page inert, but Tab can still leave for the
    // browser's own UI; wrap around so focus stays in the dialog.
    this.dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      const stops = tabbable(this.dialog);
      const first = stops[0];
      const last = stops[stops.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    this.dialog.addEventListener("close", () => {
      this.settle();
      void this.options.telemetry.flush();
      this.previews = [];
      this.current = null;
      this.lastTracked = null;
      this.clearResult();
      this.opener?.focus();
    });
  }

  /**
   * Opens the modal for `plan`, timed at `pace` when given; the sweep is
   * computed here, once per opening.
   */
  open(plan: Plan, opener?: HTMLElement, pace: Pace | null = null): void {
    this.plan = plan;
    this.opener = opener ?? null;
    this.names = new Map(plan.blocks.flatMap((b) => b.exercises.map((e) => [e.id, e.name] as const)));
    this.planName.textContent = plan.name;
    this.clearResult();
    this.lastTracked = null;
    const telemetry = this.options.telemetry;
    telemetry.track({ type: "modal_opened" });

    try {
      const start = performance.now();
      // The request's target only has to be valid: sweep() covers 15..180.
      this.previews = sweep(withPace({ plan, targetMinutes: MIN_MINUTES }, pace));
      // What one preview costs when the slider range is computed at once.
      this.perPreviewMs = (performance.now() - start) / Math.max(1, this.previews.length);
      this.plannedTimeline = planTimeline(plan, pace);
    } catch (error) {
      this.previews = [];
      telemetry.track({ type: "preview_failed", errorCode: errorCode(error) });
      void telemetry.flush();
      this.fail(errorText(error));
      this.dialog.showModal();
      return;
    }
    const first = this.previews[0];
    const target = defaultTarget(first ? first.originalMinutes : 60);
    this.range.value = String(target);
    this.number.value = String(target);
    this.number.removeAttribute("aria-invalid");
    this.range.disabled = false;
    this.number.disabled = false;
    replaceChildren(this.legend, renderLegend(this.plannedTimeline));
    this.show(target);
    this.settle();
    this.dialog.showModal();
    this.range.focus();
  }

  private fail(message: string): void {
    this.current = null;
    this.range.disabled = true;
    this.number.disabled = true;
    this.applyButton.disabled = true;
    for (const part of [this.strategy, this.fit, this.estimated, this.target, this.planned, this.hint]) part.textContent = "";
    for (const part of [this.timeline, this.legend]) part.replaceChildren();
    this.paceNote.hidden = true;
    replaceChildren(this.body, el("p", { class: "tc-error", role: "alert" }, message));
  }

  private previewAt(target: number): Preview | undefined {
    const direct = this.previews[target - MIN_MINUTES];
    if (direct && direct.targetMinutes === target) return direct;
    return this.previews.find((p) => p.targetMinutes === target);
  }

  private show(target: number): void {
    const preview = this.previewAt(target);
    if (!preview || !this.plannedTimeline) {
      this.fail(`No preview for ${target} minutes.`);
      return;
    }
    if (preview === this.current) return;
    this.current = preview;
    this.clearResult();
    this.applyButton.disabled = false;

    const over = Math.round((preview.estimatedMinutes - preview.targetMinutes) * 10) / 10;
    this.strategy.textContent = STRATEGY_LABEL[preview.strategy];
    this.strategy.dataset.strategy = preview.strategy;
    this.fit.textContent = preview.fits ? "✓ Fits" : `Over by ${minutes(over)}`;
    this.fit.className = `tc-fit ${preview.fits ? "tc-fit-ok" : "tc-fit-over"}`;
    this.estimated.textContent = minutes(preview.estimatedMinutes);
    this.target.textContent = minutes(preview.targetMinutes);
    this.planned.textContent = minutes(preview.originalMinutes);
    this.hint.textContent = STRATEGY_HINT[preview.strategy];
    this.paceNote.hidden = preview.pace === undefined;
    this.range.setAttribute(
      "aria-valuetext",
      `${target} minutes: ${STRATEGY_LABEL[preview.strategy]}, ${minutes(preview.estimatedMinutes)}${preview.fits ? "" : ", does not fit"}`,
    );
    replaceChildren(this.timeline, renderTimeline(this.plannedTimeline, preview));
    // The body is rebuilt whole: it is the part whose length changes.
    replaceChildren(this.body, ...this.details(preview));
    this.scheduleSettle();
  }

  private details(preview: Preview): Child[] {
    const fallback = preview.fallback;
    let notice: HTMLElement | null = null;
    if (!preview.fits) {
      const enough = fallback ? clampMinutes(Math.ceil(fallback.minimumMinutes)) : null;
      const use = enough !== null ? el("button", { type: "button", class: "btn", id: "tc-use-minimum" }, `Use ${enough} min`) : null;
      use?.addEventListener("click", () => {
        if (enough === null) return;
        this.range.value = String(enough);
        this.number.value = String(enough);
        this.show(enough);
        this.range.focus(); // the button itself is gone with the old body
      });
      notice = el(
        "div",
        { class: "notice notice-warn tc-fallback" },
        el("p", { class: "notice-title" }, `Nothing fits in ${minutes(preview.targetMinutes)}`),
        el("p", null, fallback ? fallback.message : "Even the most compact session is longer than this."),
        use,
      );
    }
    const warnings =
      preview.warnings.length > 0 ? el("ul", { class: "notice notice-info" }, ...preview.warnings.map((w) => el("li", null, w))) : null;
    const section = (id: string, title: string, content: HTMLElement): HTMLElement =>
      el("section", { class: "tc-section", "aria-labelledby": id }, el("h3", { id }, title), content);
    return [
      notice,
      warnings,
      section("tc-session-title", "Your session", renderSession(preview)),
      section("tc-changes-title", "What changed and why", renderChanges(preview.changes, this.names)),
      section("tc-retained-title", "Training kept", renderRetained(preview.retained)),
    ];
  }

  /** Telemetry: report the shown preview once the slider has rested on it. */
  private scheduleSettle(): void {
    if (this.settleTimer !== null) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.settle(), SETTLE_MS);
  }

  private settle(): void {
    if (this.settleTimer !== null) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    const preview = this.current;
    if (!preview || preview === this.lastTracked) return;
    this.lastTracked = preview;
    this.options.telemetry.trackPreview(preview, this.perPreviewMs);
  }

  private apply(): void {
    const preview = this.current;
    const plan = this.plan;
    if (!preview || !plan) return;
    const telemetry = this.options.telemetry;
    this.settle();
    let applied: Plan;
    try {
      applied = applyPreview(preview);
    } catch (error) {
      telemetry.track({ type: "preview_failed", errorCode: errorCode(error) });
      void telemetry.flush();
      this.body.prepend(el("p", { class: "tc-error", role: "alert" }, errorText(error)));
      return;
    }
    telemetry.track({
      type: "preview_applied",
      strategy: preview.strategy,
      targetMinutes: preview.targetMinutes,
      fits: preview.fits,
      ...(preview.fallback ? { fallbackReason: preview.fallback.reason } : {}),
    });
    void telemetry.flush();

    this.clearResult();
    const text = `${JSON.stringify(applied, null, 2)}\n`;
    this.downloadUrl = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const note = el("span", { class: "visually-hidden", role: "status" });
    // " JSON" is dropped from sight on a phone so the three buttons keep one row.
    const json = (): HTMLElement => el("span", { class: "tc-json" }, " JSON");
    const copy = el("button", { type: "button", class: "btn", id: "tc-copy" }, "Copy", json());
    copy.addEventListener("click", () => {
      // Clipboard access can be refused (permissions, insecure origin):
      // the download is always there.
      navigator.clipboard.writeText(text).then(
        () => {
          copy.textContent = "Copied ✓";
          note.textContent = "Plan copied to the clipboard.";
        },
        () => {
          copy.textContent = "Copy failed";
          note.textContent = "Copying is not allowed here; use Download JSON.";
        },
      );
    });
    const link = el(
      "a",
      { href: this.downloadUrl, download: fileName(plan, preview.targetMinutes), class: "btn btn-link", id: "tc-download" },
      "Download",
      json(),
    );
    const done = el("button", { type: "button", class: "btn", id: "tc-done" }, "Done");
    done.addEventListener("click", () => this.dialog.close());
    replaceChildren(this.result, link, copy, done, note);
    this.result.hidden = false;
    this.actions.hidden = true;
    this.options.onApply?.(applied, preview);
    link.focus();
  }

  private clearResult(): void {
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = null;
    this.result.replaceChildren();
    this.result.hidden = true;
    this.actions.hidden = false;
  }
}
