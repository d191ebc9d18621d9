// The "Short on time?" modal: a native <dialog> built with plain DOM so that a
// host app can embed it without pulling in any framework.
//
// When it opens, the whole slider range is computed once with sweep() (166
// previews, 15..180 minutes); moving the slider or typing minutes then only
// indexes into that array, so every input event re-renders instantly.

import { applyPreview, sweep, type Plan, type Preview } from "time-crunch";
import { el, replaceChildren } from "./dom";
import { STRATEGY_HINT, STRATEGY_LABEL, minutes } from "./format";
import { renderChanges, renderRetained, renderSession } from "./render";

export const MIN_MINUTES = 15;
export const MAX_MINUTES = 180;

interface EngineError extends Error {
  code?: string;
  path?: string;
}

function errorText(error: unknown): string {
  if (error instanceof Error && error.name === "TimeCrunchError") {
    const e = error as EngineError;
    return `${e.message}${e.code ? ` (${e.code}${e.path ? ` at ${e.path}` : ""})` : ""}`;
  }
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

export class CrunchModal {
  readonly dialog: HTMLDialogElement;
  private readonly range: HTMLInputElement;
  private readonly number: HTMLInputElement;
  private readonly planName: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly outcome: HTMLElement;
  private readonly warnings: HTMLElement;
  private readonly session: HTMLElement;
  private readonly changes: HTMLElement;
  private readonly retained: HTMLElement;
  private readonly applyButton: HTMLButtonElement;
  private readonly download: HTMLElement;

  private plan: Plan | null = null;
  private previews: Preview[] = [];
  private current: Preview | null = null;
  private names = new Map<string, string>();
  private downloadUrl: string | null = null;
  private opener: HTMLElement | null = null;

  constructor(host: HTMLElement = document.body) {
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
    this.summary = el("div", { class: "tc-summary", role: "status", "aria-live": "polite" });
    this.outcome = el("div", { class: "tc-outcome" });
    this.warnings = el("div", { class: "tc-warnings" });
    this.session = el("div");
    this.changes = el("div");
    this.retained = el("div");
    this.download = el("div", { class: "tc-download", role: "status" });
    this.applyButton = el("button", { type: "button", class: "btn btn-primary" }, "Apply");
    const closeButton = el("button", { type: "button", class: "btn-icon", "aria-label": "Close" }, "×");
    const cancelButton = el("button", { type: "button", class: "btn" }, "Cancel");

    this.dialog = el(
      "dialog",
      { class: "tc-dialog", "aria-labelledby": "tc-title", "aria-describedby": "tc-desc" },
      el(
        "div",
        { class: "tc-frame" },
        el(
          "header",
          { class: "tc-head" },
          el(
            "div",
            { class: "tc-head-row" },
            el("h2", { id: "tc-title" }, "Short on time?"),
            closeButton,
          ),
          el("p", { id: "tc-desc", class: "muted" }, "Choose the minutes you have and we'll fit ", this.planName, " into them."),
          el(
            "div",
            { class: "tc-controls" },
            el("label", { for: "tc-range", class: "tc-range-label" }, "Time available"),
            this.range,
            el(
              "div",
              { class: "tc-number" },
              el("label", { for: "tc-minutes" }, "Minutes"),
              this.number,
            ),
            el("span", { id: "tc-range-hint", class: "visually-hidden" }, `${MIN_MINUTES} to ${MAX_MINUTES} minutes`),
          ),
          this.summary,
        ),
        el(
          "div",
          { class: "tc-body" },
          this.outcome,
          this.warnings,
          el("section", { class: "tc-section", "aria-labelledby": "tc-session-title" }, el("h3", { id: "tc-session-title" }, "Your session"), this.session),
          el("section", { class: "tc-section", "aria-labelledby": "tc-changes-title" }, el("h3", { id: "tc-changes-title" }, "What changed and why"), this.changes),
          el("section", { class: "tc-section", "aria-labelledby": "tc-retained-title" }, el("h3", { id: "tc-retained-title" }, "Training kept"), this.retained),
        ),
        el("footer", { class: "tc-foot" }, this.download, el("div", { class: "tc-actions" }, cancelButton, this.applyButton)),
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
      const ok = Number.isInteger(value) && value >= MIN_MINUTES && value <= MAX_MINUTES;
      if (ok) {
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
    this.dialog.addEventListener("close", () => {
      this.previews = [];
      this.current = null;
      this.clearDownload();
      this.opener?.focus();
    });
  }

  /** Opens the modal for `plan`; the sweep is computed here, once per opening. */
  open(plan: Plan, originalMinutes: number, opener?: HTMLElement): void {
    this.plan = plan;
    this.opener = opener ?? null;
    this.names = new Map(plan.blocks.flatMap((b) => b.exercises.map((e) => [e.id, e.name] as const)));
    this.planName.textContent = plan.name;
    this.clearDownload();

    const target = defaultTarget(originalMinutes);
    this.range.value = String(target);
    this.number.value = String(target);
    this.number.removeAttribute("aria-invalid");

    try {
      this.previews = sweep({ plan, targetMinutes: target });
    } catch (error) {
      this.previews = [];
      this.fail(errorText(error));
      this.dialog.showModal();
      return;
    }
    this.range.disabled = false;
    this.number.disabled = false;
    this.show(target);
    this.dialog.showModal();
    this.range.focus();
  }

  private fail(message: string): void {
    this.current = null;
    this.range.disabled = true;
    this.number.disabled = true;
    this.applyButton.disabled = true;
    replaceChildren(this.summary, el("p", { class: "tc-error" }, message));
    for (const part of [this.outcome, this.warnings, this.session, this.changes, this.retained]) part.replaceChildren();
  }

  private previewAt(target: number): Preview | undefined {
    const direct = this.previews[target - MIN_MINUTES];
    if (direct && direct.targetMinutes === target) return direct;
    return this.previews.find((p) => p.targetMinutes === target);
  }

  private show(target: number): void {
    const preview = this.previewAt(target);
    if (!preview) {
      this.fail(`No preview for ${target} minutes.`);
      return;
    }
    if (preview === this.current) return;
    this.current = preview;
    this.clearDownload();
    this.applyButton.disabled = false;

    replaceChildren(
      this.summary,
      el(
        "p",
        { class: "tc-strategy" },
        el("span", { class: "tag tag-strong" }, STRATEGY_LABEL[preview.strategy]),
        " ",
        el("span", { class: "muted" }, STRATEGY_HINT[preview.strategy]),
      ),
      el(
        "p",
        { class: "tc-minutes" },
        el("strong", null, minutes(preview.estimatedMinutes)),
        ` estimated for a ${minutes(preview.targetMinutes)} target`,
        el("span", { class: "muted" }, ` (planned ${minutes(preview.originalMinutes)})`),
      ),
    );

    if (preview.fits) {
      replaceChildren(this.outcome, el("p", { class: "badge badge-ok" }, "✓ Fits in your time"));
    } else {
      const fallback = preview.fallback;
      replaceChildren(
        this.outcome,
        el(
          "div",
          { class: "notice notice-warn" },
          el("p", { class: "notice-title" }, "Doesn't fit"),
          el("p", null, fallback ? fallback.message : "Even the most compact session is longer than this."),
          fallback ? el("p", { class: "muted" }, `Shortest possible: ${minutes(fallback.minimumMinutes)}.`) : null,
        ),
      );
    }

    if (preview.warnings.length > 0) {
      replaceChildren(this.warnings, el("ul", { class: "notice notice-info" }, ...preview.warnings.map((w) => el("li", null, w))));
    } else {
      this.warnings.replaceChildren();
    }

    replaceChildren(this.session, renderSession(preview));
    replaceChildren(this.changes, renderChanges(preview.changes, this.names));
    replaceChildren(this.retained, renderRetained(preview.retained));
  }

  private apply(): void {
    const preview = this.current;
    const plan = this.plan;
    if (!preview || !plan) return;
    let applied: Plan;
    try {
      applied = applyPreview(preview);
    } catch (error) {
      replaceChildren(this.download, el("p", { class: "tc-error" }, errorText(error)));
      return;
    }
    this.clearDownload();
    const blob = new Blob([`${JSON.stringify(applied, null, 2)}\n`], { type: "application/json" });
    this.downloadUrl = URL.createObjectURL(blob);
    const link = el(
      "a",
      { href: this.downloadUrl, download: fileName(plan, preview.targetMinutes), class: "btn btn-link" },
      `Download ${preview.targetMinutes}-minute plan (JSON)`,
    );
    replaceChildren(this.download, link);
    link.focus();
  }

  private clearDownload(): void {
    if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = null;
    this.download.replaceChildren();
  }
}

/** The modal, created on first use. */
let instance: CrunchModal | null = null;
export function crunchModal(): CrunchModal {
  instance ??= new CrunchModal();
  return instance;
}

