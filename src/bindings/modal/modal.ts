// The TimeCrunchPreviewModal: the custom element <time-crunch-preview-modal>,
// framework-free, so a host app built with anything (or nothing) embeds it.
// Everything lives in an open shadow root: the host's styles cannot break
// it and its styles cannot leak; the host themes it through CSS custom
// properties and ::part() (styles.css lists both).
//
// When it opens, the preview at the first target is computed and shown at
// once; the whole slider range follows with one sweep() (166 previews,
// 15..180 minutes) right after that first frame is painted. Moving the
// slider or typing minutes then only indexes into that array (a target
// reached before the sweep is done is computed on its own), so every input
// event re-renders instantly.
//
// Nothing the athlete is looking at while scrubbing may move: the dialog has
// a fixed height, the header (controls, figures, timeline) and the footer
// have fixed-size slots whose text changes in place, and only the scrolling
// body below them takes the new session's length.
//
// Rules: the only effects on the host are the element's events and, when the
// host sets `client`, its telemetry; a plan the engine rejects makes open()
// reject with the engine's TimeCrunchError and shows nothing; an engine that
// cannot load rejects open()/prefetch() with a TimeCrunchLoadError and fires
// `timecrunch-error`.

import type { Exercise, Pace, Plan, Preview, TimeCrunchError, TrackedEvent } from "time-crunch";
import { el, replaceChildren, type Child } from "./dom.js";
import { loadEngine, withPace, type Engine, type TimeCrunchLoadError } from "./engine.js";
import { ENGLISH, mergeStrings, texts, type Texts, type TimeCrunchModalStrings } from "./strings.js";
import css from "./styles.css";
import { planTimeline, renderLegend, renderTimeline, type Timeline } from "./timeline.js";
import { renderChanges, renderRetained, renderSession } from "./render.js";

export type { TimeCrunchLoadError } from "./engine.js";
export type { TimeCrunchModalStrings } from "./strings.js";

/** The slider's range, minutes (the engine's sweep). */
export const MIN_MINUTES = 15;
export const MAX_MINUTES = 180;
/** A preview counts as "generated" (telemetry) once the slider rests this long on it. */
const SETTLE_MS = 500;

/**
 * Where the modal sends its telemetry: the package's `TimeCrunchClient`
 * has these methods (batched, retried, never throwing).
 */
export interface TimeCrunchModalTelemetry {
  track(event: TrackedEvent): void;
  trackPreview(preview: Preview, generationMs: number): void;
  flush(): Promise<void>;
}

export interface TimeCrunchOpenOptions {
  /** The slider's first position, minutes (15..180); by default about 70% of the plan. */
  targetMinutes?: number;
  /** Time the previews at the athlete's pace (from `calibrate` of time-crunch/history). */
  pace?: Pace | null;
}

/** `detail` of `timecrunch-apply`. */
export interface TimeCrunchApplyDetail {
  /** The plan of the applied preview (`applyPreview(preview)`). */
  plan: Plan;
  preview: Preview;
}

/** `detail` of `timecrunch-error`. */
export interface TimeCrunchErrorDetail {
  error: TimeCrunchLoadError;
}

export interface TimeCrunchModalEventMap {
  "timecrunch-apply": CustomEvent<TimeCrunchApplyDetail>;
  "timecrunch-close": CustomEvent<null>;
  "timecrunch-error": CustomEvent<TimeCrunchErrorDetail>;
}

function isTimeCrunchError(error: unknown): error is TimeCrunchError {
  return error instanceof Error && error.name === "TimeCrunchError";
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

/** Elements that Tab can reach inside `root`, in order. */
function tabbable(root: HTMLElement): HTMLElement[] {
  const candidates = root.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  return [...candidates].filter((node) => !(node as HTMLButtonElement).disabled && node.getClientRects().length > 0);
}

let sheet: CSSStyleSheet | null = null;

/** The styles, one constructed sheet shared by every instance (no <style>: a host's CSP may refuse inline styles). */
function adopt(root: ShadowRoot): void {
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(el("style", null, css));
  }
}

const NO_TELEMETRY: TimeCrunchModalTelemetry = { track() {}, trackPreview() {}, flush: () => Promise.resolve() };

/**
 * `<time-crunch-preview-modal>`: the "Short on time?" modal.
 *
 * ```js
 * import "time-crunch/modal";
 * const modal = document.createElement("time-crunch-preview-modal");
 * document.body.append(modal);
 * modal.addEventListener("timecrunch-apply", (e) => save(e.detail.plan));
 * await modal.open(plan, { targetMinutes: 30 });
 * ```
 */
export class TimeCrunchPreviewModal extends HTMLElement {
  /** Telemetry through the package's `TimeCrunchClient` (or anything with its methods); none when null. */
  client: TimeCrunchModalTelemetry | null = null;

  private readonly root: ShadowRoot;
  private readonly dialog: HTMLDialogElement;
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
  /** Static texts, refreshed when `strings` changes: [node, key]. */
  private readonly labels: [Node, keyof TimeCrunchModalStrings][] = [];
  private readonly closeButton: HTMLButtonElement;
  private readonly rangeHint: HTMLElement;

  private overrides: Partial<TimeCrunchModalStrings> = {};
  private t: Texts = texts(ENGLISH, undefined);
  private engine: Engine | null = null;
  private plan: Plan | null = null;
  private pace: Pace | null = null;
  private plannedTimeline: Timeline | null = null;
  private previews: Preview[] = [];
  private current: Preview | null = null;
  private names = new Map<string, string>();
  private downloadUrl: string | null = null;
  private opener: HTMLElement | null = null;
  /** Engine time per preview, ms, measured on those computed at opening (telemetry). */
  private perPreviewMs = 0;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private lastTracked: Preview | null = null;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
    adopt(this.root);
    const label = (key: keyof TimeCrunchModalStrings): Text => {
      const node = document.createTextNode("");
      this.labels.push([node, key]);
      return node;
    };
    this.range = el("input", { id: "tc-range", part: "range", type: "range", min: MIN_MINUTES, max: MAX_MINUTES, step: 1, "aria-describedby": "tc-range-hint" });
    this.number = el("input", { id: "tc-minutes", part: "minutes", type: "number", min: MIN_MINUTES, max: MAX_MINUTES, step: 1, inputmode: "numeric" });
    this.planName = el("span", { class: "tc-plan-name" });
    this.strategy = el("span", { class: "tag tag-strong tc-strategy", part: "strategy" });
    this.fit = el("span", { class: "tc-fit" });
    this.estimated = el("strong", { class: "tc-estimated" });
    this.target = el("strong", { class: "tc-target" });
    this.planned = el("strong", { class: "tc-planned" });
    this.hint = el("p", { class: "tc-hint muted" });
    // The same for every preview of a sweep: it never changes while scrubbing.
    this.paceNote = el("p", { class: "tc-pace", id: "tc-pace", hidden: true }, label("paceNote"));
    this.timeline = el("div", { class: "tc-timeline", part: "timeline" });
    this.legend = el("div", { class: "tc-legend" });
    this.body = el("div", { class: "tc-body", id: "tc-details", part: "body", tabindex: 0, role: "region" });
    // After Apply the footer's buttons become the result's (same single
    // row), so the footer never changes height.
    this.result = el("div", { class: "tc-result", hidden: true });
    this.applyButton = el("button", { type: "button", class: "btn btn-primary", id: "tc-apply", part: "apply" }, label("apply"));
    this.closeButton = el("button", { type: "button", class: "btn-icon", part: "close" }, "×");
    const cancelButton = el("button", { type: "button", class: "btn", part: "cancel" }, label("cancel"));
    this.actions = el("div", { class: "tc-actions" }, cancelButton, this.applyButton);
    this.rangeHint = el("span", { id: "tc-range-hint", class: "visually-hidden" });
    const stat = (key: keyof TimeCrunchModalStrings, value: HTMLElement): HTMLElement =>
      el("div", { class: "tc-stat" }, el("span", { class: "tc-stat-label" }, label(key)), value);

    this.dialog = el(
      "dialog",
      { class: "tc-dialog", id: "tc-dialog", part: "dialog", "aria-labelledby": "tc-title", "aria-describedby": "tc-desc" },
      el(
        "div",
        { class: "tc-frame" },
        el(
          "header",
          { class: "tc-head", part: "header" },
          el("div", { class: "tc-head-row" }, el("h2", { id: "tc-title", part: "title" }, label("title")), this.closeButton),
          el("p", { id: "tc-desc", class: "tc-desc muted" }, label("descriptionStart"), this.planName, label("descriptionEnd")),
          this.paceNote,
          el(
            "div",
            { class: "tc-controls", part: "controls" },
            el("label", { for: "tc-range", class: "tc-range-label" }, label("timeAvailable")),
            this.range,
            el("div", { class: "tc-number" }, el("label", { for: "tc-minutes" }, label("minutesField")), this.number),
            this.rangeHint,
          ),
          el("div", { class: "tc-status-row" }, this.strategy, this.fit),
          el("div", { class: "tc-stats", part: "figures" }, stat("estimated", this.estimated), stat("target", this.target), stat("planned", this.planned)),
          this.hint,
          this.timeline,
          this.legend,
        ),
        this.body,
        el("footer", { class: "tc-foot", part: "footer" }, this.result, this.actions),
      ),
    );
    this.root.append(this.dialog);
    this.relabel();

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
    this.closeButton.addEventListener("click", () => this.close());
    cancelButton.addEventListener("click", () => this.close());
    // A click on the backdrop lands on the <dialog> itself (the frame fills it).
    this.dialog.addEventListener("click", (event) => {
      if (event.target === this.dialog) this.close();
    });
    // showModal() makes the page inert, but Tab can still leave for the
    // browser's own UI; wrap around so focus stays in the dialog.
    this.dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      const stops = tabbable(this.dialog);
      const first = stops[0];
      const last = stops[stops.length - 1];
      if (!first || !last) return;
      const active = this.root.activeElement;
      if (event.shiftKey && active === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    });
    this.dialog.addEventListener("close", () => {
      this.settle();
      void this.telemetry.flush();
      this.previews = [];
      this.current = null;
      this.lastTracked = null;
      this.clearResult();
      this.opener?.focus();
      this.opener = null;
      this.dispatchEvent(new CustomEvent("timecrunch-close", { detail: null, bubbles: true, composed: true }));
    });
  }

  /** Every user-facing text, English by default; set a partial object to replace some (label tables merge key by key). */
  get strings(): TimeCrunchModalStrings {
    return this.t.s;
  }

  set strings(value: Partial<TimeCrunchModalStrings> | null) {
    this.overrides = value ?? {};
    this.relabel();
  }

  /** True while the dialog is showing. */
  get isOpen(): boolean {
    return this.dialog.open;
  }

  /** Loads the WebAssembly ahead of the first open(); rejects with a TimeCrunchLoadError (and fires `timecrunch-error`). */
  async prefetch(): Promise<void> {
    this.warm(await this.load());
  }

  /**
   * Opens the modal on `plan`; resolves once the first preview is shown.
   * Rejects with the engine's TimeCrunchError (code, path) for a plan it
   * refuses (nothing is shown), or a TimeCrunchLoadError.
   */
  open(plan: Plan, options: TimeCrunchOpenOptions = {}): Promise<void> {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // Once the engine is loaded the modal opens synchronously, in the
    // click's own task: no frame goes by without it.
    if (this.engine) {
      try {
        this.openOn(this.engine, plan, options, opener);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.load().then((engine) => this.openOn(engine, plan, options, opener));
  }

  /** Sweeps `plan` and shows the dialog on its first preview; throws the engine's error (nothing shown). */
  private openOn(engine: Engine, plan: Plan, options: TimeCrunchOpenOptions, opener: HTMLElement | null): void {
    const pace = options.pace ?? null;
    const telemetry = this.telemetry;
    telemetry.track({ type: "modal_opened" });
    let lowest: Preview;
    let first: Preview;
    let target: number;
    let planned: Timeline;
    const start = performance.now();
    try {
      lowest = engine.preview(withPace({ plan, targetMinutes: MIN_MINUTES }, pace));
      target = options.targetMinutes !== undefined ? clampMinutes(options.targetMinutes) : defaultTarget(lowest.originalMinutes);
      first = target === MIN_MINUTES ? lowest : engine.preview(withPace({ plan, targetMinutes: target }, pace));
      planned = planTimeline(engine, plan, pace);
    } catch (error) {
      telemetry.track({ type: "preview_failed", errorCode: isTimeCrunchError(error) ? error.code : "internal" });
      void telemetry.flush();
      throw error;
    }
    if (this.dialog.open) this.dialog.close();
    // What a preview costs (telemetry), measured on the ones computed here.
    this.perPreviewMs = (performance.now() - start) / (first === lowest ? 1 : 2);
    this.plan = plan;
    this.pace = pace;
    this.previews = [];
    this.previews[0] = lowest;
    this.previews[target - MIN_MINUTES] = first;
    this.plannedTimeline = planned;
    this.opener = opener;
    this.names = new Map(plan.blocks.flatMap((b) => b.exercises.map((e) => [e.id, e.name] as const)));
    this.planName.textContent = plan.name;
    this.clearResult();
    this.current = null;
    this.lastTracked = null;
    this.range.value = String(target);
    this.number.value = String(target);
    this.number.removeAttribute("aria-invalid");
    this.range.disabled = false;
    this.number.disabled = false;
    replaceChildren(this.legend, renderLegend(this.t, planned));
    this.show(target);
    this.settle();
    this.dialog.showModal();
    this.range.focus();
    // The rest of the range once this frame is painted; previews already
    // computed (and perhaps shown or reported) are kept as they are.
    const previews = this.previews;
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (this.previews !== previews || !this.dialog.open) return;
        try {
          engine.sweep(withPace({ plan, targetMinutes: MIN_MINUTES }, pace)).forEach((preview, i) => (previews[i] ??= preview));
        } catch {
          // previewAt() computes each target on its own then.
        }
      }, 0),
    );
  }

  /** Closes the modal (fires `timecrunch-close`); focus returns to what had it before open(). */
  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  disconnectedCallback(): void {
    this.close();
  }

  /**
   * Runs the opening's code once on a small plan, off screen: the first
   * real open() then runs on warmed-up code and styles (the engine's sweep,
   * the renderers and the first style and layout of the dialog are several
   * times slower the first time). Nothing of it is seen, announced or
   * reported: the frame is laid out as a hidden copy, then emptied.
   */
  private warm(engine: Engine): void {
    if (this.dialog.open) return;
    const exercise = (id: string, priority: "core" | "optional", sets: number): Exercise =>
      ({ id, name: id, priority, pattern: "squat", muscles: ["quads"], equipment: "barbell", sets, reps: 8, restSeconds: 90 });
    const plan: Plan = { id: "warm-up", name: "warm-up", blocks: [{ id: "b", kind: "main", exercises: [exercise("a", "core", 5), exercise("b", "optional", 4)] }] };
    try {
      this.plan = plan;
      this.previews = [engine.preview({ plan, targetMinutes: MIN_MINUTES })];
      this.plannedTimeline = planTimeline(engine, plan, null);
      replaceChildren(this.legend, renderLegend(this.t, this.plannedTimeline));
      for (let target = MIN_MINUTES; target <= MAX_MINUTES; target += 20) this.show(target);
      engine.sweep({ plan, targetMinutes: MIN_MINUTES });
      const probe = el("div", { class: "tc-dialog tc-probe", "aria-hidden": "true", inert: true }, this.dialog.firstElementChild?.cloneNode(true) ?? null);
      this.root.append(probe);
      void probe.offsetHeight;
      probe.remove();
    } catch {
      // Only a warm-up: the real open() reports its own errors.
    }
    if (this.settleTimer !== null) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    this.plan = null;
    this.previews = [];
    this.plannedTimeline = null;
    this.current = null;
    for (const part of [this.strategy, this.fit, this.estimated, this.target, this.planned, this.hint]) part.textContent = "";
    for (const part of [this.timeline, this.legend, this.body]) part.replaceChildren();
  }

  private get telemetry(): TimeCrunchModalTelemetry {
    return this.client ?? NO_TELEMETRY;
  }

  private async load(): Promise<Engine> {
    if (this.engine) return this.engine;
    try {
      this.engine = await loadEngine();
      return this.engine;
    } catch (error) {
      this.dispatchEvent(new CustomEvent("timecrunch-error", { detail: { error }, bubbles: true, composed: true }));
      throw error;
    }
  }

  /** Applies the strings and the host's locale to everything already built. */
  private relabel(): void {
    const locale = this.closest("[lang]")?.getAttribute("lang") || document.documentElement.lang || undefined;
    this.t = texts(mergeStrings(ENGLISH, this.overrides), locale);
    const s = this.t.s;
    for (const [node, key] of this.labels) node.textContent = s[key] as string;
    this.closeButton.setAttribute("aria-label", s.close);
    this.body.setAttribute("aria-label", s.details);
    this.rangeHint.textContent = s.rangeHint(this.t.num(MIN_MINUTES), this.t.num(MAX_MINUTES));
    if (this.current) {
      const shown = this.current;
      this.current = null;
      if (this.plannedTimeline) replaceChildren(this.legend, renderLegend(this.t, this.plannedTimeline));
      this.show(shown.targetMinutes);
    }
  }

  connectedCallback(): void {
    // The host's language is known once the element is in its document.
    this.relabel();
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
    const index = target - MIN_MINUTES;
    const known = this.previews[index];
    if (known && known.targetMinutes === target) return known;
    if (!this.engine || !this.plan || index < 0 || index > MAX_MINUTES - MIN_MINUTES) return undefined;
    try {
      return (this.previews[index] = this.engine.preview(withPace({ plan: this.plan, targetMinutes: target }, this.pace)));
    } catch {
      return undefined;
    }
  }

  private show(target: number): void {
    const { t } = this;
    const s = t.s;
    const preview = this.previewAt(target);
    if (!preview || !this.plannedTimeline || !this.engine) {
      this.fail(s.noPreview(t.num(target)));
      return;
    }
    if (preview === this.current) return;
    this.current = preview;
    this.clearResult();
    this.applyButton.disabled = false;

    const over = Math.round((preview.estimatedMinutes - preview.targetMinutes) * 10) / 10;
    this.strategy.textContent = s.strategies[preview.strategy];
    this.strategy.dataset.strategy = preview.strategy;
    this.fit.textContent = preview.fits ? s.fits : s.overBy(t.min(over));
    this.fit.className = `tc-fit ${preview.fits ? "tc-fit-ok" : "tc-fit-over"}`;
    this.estimated.textContent = t.min(preview.estimatedMinutes);
    this.target.textContent = t.min(preview.targetMinutes);
    this.planned.textContent = t.min(preview.originalMinutes);
    this.hint.textContent = s.strategyHints[preview.strategy];
    this.paceNote.hidden = preview.pace === undefined;
    this.range.setAttribute("aria-valuetext", s.valueText(t.num(target), s.strategies[preview.strategy], t.min(preview.estimatedMinutes), preview.fits));
    replaceChildren(this.timeline, renderTimeline(this.engine, t, this.plannedTimeline, preview));
    // The body is rebuilt whole: it is the part whose length changes.
    replaceChildren(this.body, ...this.details(preview));
    this.scheduleSettle();
  }

  private details(preview: Preview): Child[] {
    const { t } = this;
    const s = t.s;
    const fallback = preview.fallback;
    let notice: HTMLElement | null = null;
    if (!preview.fits) {
      const enough = fallback ? clampMinutes(Math.ceil(fallback.minimumMinutes)) : null;
      const use = enough !== null ? el("button", { type: "button", class: "btn", id: "tc-use-minimum" }, s.useMinimum(t.num(enough))) : null;
      use?.addEventListener("click", () => {
        if (enough === null) return;
        this.range.value = String(enough);
        this.number.value = String(enough);
        this.show(enough);
        this.range.focus(); // the button itself is gone with the old body
      });
      notice = el(
        "div",
        { class: "notice notice-warn tc-fallback", part: "fallback" },
        el("p", { class: "notice-title" }, s.nothingFits(t.min(preview.targetMinutes))),
        el("p", null, fallback ? fallback.message : s.nothingFitsDetail),
        use,
      );
    }
    const warnings = preview.warnings.length > 0 ? el("ul", { class: "notice notice-info" }, ...preview.warnings.map((w) => el("li", null, w))) : null;
    const section = (id: string, title: string, content: HTMLElement): HTMLElement =>
      el("section", { class: "tc-section", "aria-labelledby": id }, el("h3", { id }, title), content);
    return [
      notice,
      warnings,
      section("tc-session-title", s.sessionTitle, renderSession(t, preview)),
      section("tc-changes-title", s.changesTitle, renderChanges(t, preview.changes, this.names)),
      section("tc-retained-title", s.retainedTitle, renderRetained(t, preview.retained)),
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
    this.telemetry.trackPreview(preview, this.perPreviewMs);
  }

  private apply(): void {
    const preview = this.current;
    const plan = this.plan;
    const engine = this.engine;
    if (!preview || !plan || !engine) return;
    const telemetry = this.telemetry;
    const s = this.t.s;
    this.settle();
    let applied: Plan;
    try {
      applied = engine.applyPreview(preview);
    } catch (error) {
      telemetry.track({ type: "preview_failed", errorCode: isTimeCrunchError(error) ? error.code : "internal" });
      void telemetry.flush();
      const text = isTimeCrunchError(error) ? `${error.message} (${error.code}${error.path ? ` at ${error.path}` : ""})` : s.failed;
      this.body.prepend(el("p", { class: "tc-error", role: "alert" }, text));
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
    const json = (): HTMLElement => el("span", { class: "tc-json" }, s.json);
    const copy = el("button", { type: "button", class: "btn", id: "tc-copy" }, s.copy, json());
    copy.addEventListener("click", () => {
      // Clipboard access can be refused (permissions, insecure origin):
      // the download is always there.
      navigator.clipboard.writeText(text).then(
        () => {
          copy.textContent = s.copied;
          note.textContent = s.copiedNote;
        },
        () => {
          copy.textContent = s.copyFailed;
          note.textContent = s.copyRefusedNote;
        },
      );
    });
    const link = el("a", { href: this.downloadUrl, download: fileName(plan, preview.targetMinutes), class: "btn btn-link", id: "tc-download" }, s.download, json());
    const done = el("button", { type: "button", class: "btn", id: "tc-done" }, s.done);
    done.addEventListener("click", () => this.close());
    replaceChildren(this.result, link, copy, done, note);
    this.result.hidden = false;
    this.actions.hidden = true;
    this.dispatchEvent(new CustomEvent("timecrunch-apply", { detail: { plan: applied, preview }, bubbles: true, composed: true }));
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

export interface TimeCrunchPreviewModal {
  addEventListener<K extends keyof TimeCrunchModalEventMap>(type: K, listener: (this: TimeCrunchPreviewModal, event: TimeCrunchModalEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof TimeCrunchModalEventMap>(type: K, listener: (this: TimeCrunchPreviewModal, event: TimeCrunchModalEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "time-crunch-preview-modal": TimeCrunchPreviewModal;
  }
}

if (!customElements.get("time-crunch-preview-modal")) customElements.define("time-crunch-preview-modal", TimeCrunchPreviewModal);
