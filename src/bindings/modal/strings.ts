// Every text the modal shows, English by default. A host replaces any of
// them through `el.strings` (a partial object; the label tables merge key by
// key). Numbers reach these functions already formatted in the host's
// locale (see Texts). The engine's own sentences (a change's reason, a
// fallback's message, warnings) are shown as the engine writes them.

import type { BlockKind, ChangeKind, Muscle, Strategy } from "time-crunch";

/** The modal's texts; functions receive numbers already formatted for the host's locale. */
export interface TimeCrunchModalStrings {
  title: string;
  /** Before the plan's name in the description. */
  descriptionStart: string;
  /** After the plan's name. */
  descriptionEnd: string;
  paceNote: string;
  timeAvailable: string;
  minutesField: string;
  rangeHint: (min: string, max: string) => string;
  estimated: string;
  target: string;
  planned: string;
  fits: string;
  overBy: (minutes: string) => string;
  valueText: (target: string, strategy: string, estimated: string, fits: boolean) => string;
  close: string;
  cancel: string;
  apply: string;
  download: string;
  copy: string;
  /** " JSON" after Download and Copy (hidden on a phone). */
  json: string;
  copied: string;
  copyFailed: string;
  copiedNote: string;
  copyRefusedNote: string;
  done: string;
  details: string;
  sessionTitle: string;
  changesTitle: string;
  retainedTitle: string;
  nothingFits: (minutes: string) => string;
  nothingFitsDetail: string;
  useMinimum: (minutes: string) => string;
  noPreview: (minutes: string) => string;
  failed: string;
  noExercises: string;
  noChanges: string;
  superset: string;
  rest: (time: string) => string;
  restAfterEachSet: (time: string) => string;
  restBetweenRounds: (time: string) => string;
  setsChange: (from: string, to: string) => string;
  workingSetsKept: string;
  byMuscle: string;
  /** A whole or decimal number of minutes: "45 min". */
  minutes: (value: string) => string;
  /** Under a minute: "45 s". */
  seconds: (value: string) => string;
  /** Minutes and seconds: "2:30 min". */
  minutesSeconds: (minutes: string, seconds: string) => string;
  eachSide: string;
  timelinePlanned: string;
  timelineYours: string;
  leftOut: string;
  timelineCaption: (c: { planned: string; plannedParts: number; leftOut: number; session: string; sessionParts: number; target: string }) => string;
  strategies: Record<Strategy, string>;
  strategyHints: Record<Strategy, string>;
  blockKinds: Record<BlockKind, string>;
  changeKinds: Record<ChangeKind, string>;
  /** Muscle names; a muscle missing here is shown as its id, capitalised. */
  muscles: Partial<Record<Muscle, string>>;
}

const parts = (n: number): string => `${n} ${n === 1 ? "exercise or superset" : "exercises and supersets"}`;

export const ENGLISH: TimeCrunchModalStrings = {
  title: "Short on time?",
  descriptionStart: "Choose the minutes you have and we'll fit ",
  descriptionEnd: " into them.",
  paceNote: "Personal estimate: timed at your pace from your training log",
  timeAvailable: "Time available",
  minutesField: "Minutes",
  rangeHint: (min, max) => `${min} to ${max} minutes`,
  estimated: "Estimated",
  target: "Target",
  planned: "Planned",
  fits: "✓ Fits",
  overBy: (m) => `Over by ${m}`,
  valueText: (target, strategy, estimated, fits) => `${target} minutes: ${strategy}, ${estimated}${fits ? "" : ", does not fit"}`,
  close: "Close",
  cancel: "Cancel",
  apply: "Apply",
  download: "Download",
  copy: "Copy",
  json: " JSON",
  copied: "Copied ✓",
  copyFailed: "Copy failed",
  copiedNote: "Plan copied to the clipboard.",
  copyRefusedNote: "Copying is not allowed here; use Download JSON.",
  done: "Done",
  details: "Session details",
  sessionTitle: "Your session",
  changesTitle: "What changed and why",
  retainedTitle: "Training kept",
  nothingFits: (m) => `Nothing fits in ${m}`,
  nothingFitsDetail: "Even the most compact session is longer than this.",
  useMinimum: (m) => `Use ${m} min`,
  noPreview: (m) => `No preview for ${m} minutes.`,
  failed: "Something went wrong while compressing this plan.",
  noExercises: "No exercises left.",
  noChanges: "No changes: this is the plan as written.",
  superset: "Superset",
  rest: (t) => `rest ${t}`,
  restAfterEachSet: (t) => `rest ${t} after each set`,
  restBetweenRounds: (t) => `rest ${t} between rounds`,
  setsChange: (from, to) => `${from} → ${to} sets`,
  workingSetsKept: "Working sets kept: ",
  byMuscle: "Working sets kept by muscle",
  minutes: (v) => `${v} min`,
  seconds: (v) => `${v} s`,
  minutesSeconds: (m, s) => `${m}:${s} min`,
  eachSide: " each side",
  timelinePlanned: "Planned",
  timelineYours: "Yours",
  leftOut: "Left out",
  timelineCaption: (c) =>
    `Planned: ${c.planned} in ${parts(c.plannedParts)}${c.leftOut > 0 ? `, ${c.leftOut} left out` : ""}. ` +
    `This session: ${c.session} in ${parts(c.sessionParts)}; target ${c.target}.`,
  strategies: {
    full_accessory_blocks: "Full session",
    reduced_rest: "Shorter rest",
    supersets: "Supersets",
    core_plus_supersets: "Core lifts + supersets",
    core_only: "Core lifts only",
  },
  strategyHints: {
    full_accessory_blocks: "The plan as written.",
    reduced_rest: "Every exercise and set kept; rest cut toward safe floors.",
    supersets: "Every exercise kept; compatible exercises paired, accessory sets trimmed.",
    core_plus_supersets: "Core lifts plus the most valuable remaining work, paired.",
    core_only: "Core lifts only.",
  },
  blockKinds: {
    warmup: "Warm-up",
    main: "Main",
    accessory: "Accessory",
    core: "Core",
    conditioning: "Conditioning",
    cooldown: "Cool-down",
  },
  changeKinds: {
    removed: "Removed",
    sets_reduced: "Fewer sets",
    rest_reduced: "Less rest",
    paired: "Superset",
  },
  muscles: {},
};

const TABLES = ["strategies", "strategyHints", "blockKinds", "changeKinds", "muscles"] as const;

/** `base` with `override` on top; the label tables merge key by key. */
export function mergeStrings(base: TimeCrunchModalStrings, override: Partial<TimeCrunchModalStrings>): TimeCrunchModalStrings {
  const merged = { ...base, ...override } as TimeCrunchModalStrings;
  for (const table of TABLES) {
    if (override[table]) (merged as unknown as Record<string, object>)[table] = { ...base[table], ...override[table] };
  }
  return merged;
}

/** The strings and the host's number formats, which every renderer takes. */
export interface Texts {
  s: TimeCrunchModalStrings;
  /** A number in the host's locale, at most one decimal. */
  num(value: number): string;
  /** Minutes as the engine reports them (already rounded to 0.1). */
  min(value: number): string;
  /** "90 s", "2 min", "2:30 min". */
  sec(total: number): string;
  /** A fraction as a whole percentage in the host's locale. */
  pct(fraction: number): string;
  muscle(muscle: Muscle): string;
}

export function texts(s: TimeCrunchModalStrings, locale: string | undefined): Texts {
  let number: Intl.NumberFormat;
  let percent: Intl.NumberFormat;
  try {
    number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  } catch {
    // A lang attribute that is no valid locale tag: the browser's own.
    number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
    percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });
  }
  const num = (value: number): string => number.format(value);
  return {
    s,
    num,
    min: (value) => s.minutes(num(value)),
    sec(total) {
      if (total < 60) return s.seconds(num(total));
      const m = Math.floor(total / 60);
      const rest = total % 60;
      return rest === 0 ? s.minutes(num(m)) : s.minutesSeconds(num(m), String(rest).padStart(2, "0"));
    },
    pct: (fraction) => percent.format(fraction),
    muscle(muscle) {
      const named = s.muscles[muscle];
      if (named !== undefined) return named;
      const text = muscle.replace(/_/g, " ");
      return text.charAt(0).toUpperCase() + text.slice(1);
    },
  };
}
