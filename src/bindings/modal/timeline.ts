// The timeline picture: the planned session and the compressed one as two
// bars of segments, one per exercise or superset, as long as it takes.
//
// Segment lengths come from the engine itself, not from a copy of the
// duration model: each item is timed with estimate() as a one-item plan (at
// the athlete's pace, when the preview has one: see pace.ts), and the
// transitions between items are whatever the engine adds on top, so the
// picture always adds up to the minutes shown next to it.
//
// Ids inside the picture are unique to one modal's shadow root.

import type { BlockKind, Exercise, Item, Pace, Plan, Preview } from "time-crunch";
import { el } from "./dom.js";
import { planSeconds, type Engine } from "./engine.js";
import type { Texts } from "./strings.js";

export interface Segment {
  /** What the segment stands for, as text (names are untrusted: text only). */
  label: string;
  kind: BlockKind;
  seconds: number;
  superset: boolean;
  /** Exercise ids of this segment. */
  ids: string[];
}

export interface Timeline {
  segments: Segment[];
  /** Transition between consecutive items, seconds. */
  gap: number;
  total: number;
}

function itemSeconds(engine: Engine, kind: BlockKind, exercises: Exercise[], pace: Pace | null): number {
  const plan: Plan = { id: "timeline", name: "timeline", blocks: [{ id: "b", kind, exercises }] };
  return planSeconds(engine, plan, pace);
}

function layout(segments: Segment[], total: number): Timeline {
  const work = segments.reduce((sum, s) => sum + s.seconds, 0);
  const gap = segments.length > 1 ? Math.max(0, (total - work) / (segments.length - 1)) : 0;
  return { segments, gap, total };
}

/** The plan as written, at `pace` if given: author supersets (same block, same group) are one item. */
export function planTimeline(engine: Engine, plan: Plan, pace: Pace | null = null): Timeline {
  const segments: Segment[] = [];
  for (const block of plan.blocks) {
    const seen = new Set<string>();
    for (const ex of block.exercises) {
      const group = ex.supersetGroup;
      if (group !== undefined && seen.has(group)) continue;
      const members = group === undefined ? [ex] : block.exercises.filter((e) => e.supersetGroup === group);
      if (group !== undefined) seen.add(group);
      segments.push({
        label: members.map((m) => m.name).join(" + "),
        kind: block.kind,
        seconds: itemSeconds(engine, block.kind, members, pace),
        superset: members.length > 1,
        ids: members.map((m) => m.id),
      });
    }
  }
  return layout(segments, planSeconds(engine, plan, pace));
}

function itemAsExercises(item: Item): Exercise[] {
  const superset = item.exercises.length > 1;
  // Inside a superset only the item's rest counts, and a one-item plan rests
  // the largest member rest between rounds: giving every member the item's
  // rest times the item exactly as the preview does.
  return item.exercises.map((m) => ({
    id: m.id,
    name: m.name,
    priority: m.priority,
    pattern: m.pattern,
    muscles: m.muscles,
    equipment: m.equipment,
    sets: m.sets,
    ...(m.reps !== undefined ? { reps: m.reps } : { durationSeconds: m.durationSeconds }),
    restSeconds: superset ? item.restSeconds : m.restSeconds,
    secondsPerRep: m.secondsPerRep,
    unilateral: m.unilateral,
    ...(superset ? { supersetGroup: "item" } : {}),
  }));
}

const previewCache = new WeakMap<Preview, Timeline>();

/** The compressed session of `preview` (cached: a sweep's previews are reused while scrubbing). */
export function previewTimeline(engine: Engine, preview: Preview): Timeline {
  const cached = previewCache.get(preview);
  if (cached) return cached;
  const pace = preview.pace ?? null;
  const segments: Segment[] = [];
  for (const block of preview.blocks) {
    for (const item of block.items) {
      segments.push({
        label: item.exercises.map((m) => m.name).join(" + "),
        kind: block.kind,
        seconds: itemSeconds(engine, block.kind, itemAsExercises(item), pace),
        superset: item.exercises.length > 1,
        ids: item.exercises.map((m) => m.id),
      });
    }
  }
  // The session as a plan, timed whole: the transitions come out of the engine too.
  const timeline = layout(segments, planSeconds(engine, engine.applyPreview(preview), pace));
  previewCache.set(preview, timeline);
  return timeline;
}

function bar(t: Texts, timeline: Timeline, scale: number, kept: ReadonlySet<string> | null): HTMLElement {
  const track = el("div", { class: "tl-track" });
  let at = 0;
  for (const segment of timeline.segments) {
    const dropped = kept !== null && !segment.ids.some((id) => kept.has(id));
    const classes = ["tl-seg", `tl-${segment.kind}`, segment.superset ? "tl-superset" : "", dropped ? "tl-dropped" : ""];
    track.append(
      el("span", {
        class: classes.filter(Boolean).join(" "),
        style: `left:${((at / scale) * 100).toFixed(3)}%;width:${((segment.seconds / scale) * 100).toFixed(3)}%`,
        title: `${segment.label}: ${t.min(Math.round(segment.seconds / 6) / 10)}${dropped ? ` (${t.s.leftOut.toLowerCase()})` : ""}`,
      }),
    );
    at += segment.seconds + timeline.gap;
  }
  return track;
}

/**
 * The picture, rebuilt for each preview. Sizes are fixed by CSS, so a new
 * picture never moves anything around it. The scale is the longest of plan,
 * session and target, with a mark at the target.
 */
export function renderTimeline(engine: Engine, t: Texts, planned: Timeline, preview: Preview): HTMLElement {
  const session = previewTimeline(engine, preview);
  const target = preview.targetMinutes * 60;
  const scale = Math.max(planned.total, session.total, target, 1);
  const kept = new Set(session.segments.flatMap((s) => s.ids));
  const mark = el("span", { class: "tl-target", style: `left:${((target / scale) * 100).toFixed(3)}%` });
  const left = planned.segments.filter((s) => !s.ids.some((id) => kept.has(id))).length;
  const caption = t.s.timelineCaption({
    planned: t.min(preview.originalMinutes),
    plannedParts: planned.segments.length,
    leftOut: left,
    session: t.min(preview.estimatedMinutes),
    sessionParts: session.segments.length,
    target: t.min(preview.targetMinutes),
  });
  return el(
    "figure",
    { class: "tl" },
    el(
      "div",
      { class: "tl-rows", role: "img", "aria-labelledby": "tc-timeline-caption" },
      el("span", { class: "tl-label", "aria-hidden": "true" }, t.s.timelinePlanned),
      bar(t, planned, scale, kept),
      el("span", { class: "tl-label", "aria-hidden": "true" }, t.s.timelineYours),
      el("div", { class: "tl-track-wrap" }, bar(t, session, scale, null), mark),
    ),
    el("figcaption", { id: "tc-timeline-caption", class: "visually-hidden" }, caption),
  );
}

/** Colour key for the block kinds present in the plan (fixed while scrubbing). */
export function renderLegend(t: Texts, planned: Timeline): HTMLElement {
  const kinds = [...new Set(planned.segments.map((s) => s.kind))];
  return el(
    "ul",
    { class: "tl-legend", "aria-hidden": "true" },
    ...kinds.map((kind) => el("li", null, el("span", { class: `tl-swatch tl-${kind}` }), t.s.blockKinds[kind])),
    el("li", null, el("span", { class: "tl-swatch tl-dropped-swatch" }), t.s.leftOut),
  );
}
