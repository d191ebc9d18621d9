// Rendering of plans and previews. Everything goes through el()/text nodes:
// plan, block and exercise names come from the host app and are untrusted.

import type { Block, Change, Exercise, Item, ItemExercise, Muscle, Plan, Preview, PreviewBlock, Retained } from "time-crunch";
import { el, type Child } from "./dom";
import { BLOCK_KIND_LABEL, CHANGE_KIND_LABEL, minutes, muscleLabel, percent, prescription, seconds } from "./format";

function blockHeading(block: Block | PreviewBlock, level: "h3" | "h4"): HTMLElement {
  const title = block.name ?? BLOCK_KIND_LABEL[block.kind];
  return el(
    "div",
    { class: "block-head" },
    el(level, { class: "block-title" }, title),
    block.name ? el("span", { class: "tag" }, BLOCK_KIND_LABEL[block.kind]) : null,
  );
}

function restLine(restSeconds: number, what: string): Child {
  return restSeconds > 0 ? el("span", { class: "rest" }, `rest ${seconds(restSeconds)}${what}`) : null;
}

function exerciseRow(ex: Exercise | ItemExercise, rest: Child): HTMLElement {
  return el(
    "div",
    { class: "exercise" },
    el("span", { class: "ex-name" }, ex.name),
    el("span", { class: "ex-dose" }, prescription(ex)),
    rest,
  );
}

function supersetItem(title: string, members: HTMLElement[], footer: Child): HTMLLIElement {
  return el(
    "li",
    { class: "item superset" },
    el("div", { class: "superset-label" }, title),
    el("ul", { class: "superset-members" }, ...members.map((m) => el("li", null, m))),
    footer,
  );
}

/** The blocks of a plan as written; author supersets are grouped together. */
export function renderPlanBlocks(plan: Plan): HTMLElement[] {
  return plan.blocks.map((block) => {
    const list = el("ol", { class: "items" });
    const seen = new Set<string>();
    for (const ex of block.exercises) {
      const group = ex.supersetGroup;
      if (group === undefined) {
        list.append(el("li", { class: "item" }, exerciseRow(ex, restLine(ex.restSeconds, ""))));
        continue;
      }
      if (seen.has(group)) continue;
      seen.add(group);
      const members = block.exercises.filter((e) => e.supersetGroup === group);
      list.append(
        supersetItem(
          `Superset · ${group}`,
          members.map((m) => exerciseRow(m, restLine(m.restSeconds, " after each set"))),
          null,
        ),
      );
    }
    return el("section", { class: "block" }, blockHeading(block, "h3"), list);
  });
}

function previewItem(item: Item): HTMLLIElement {
  const [only] = item.exercises;
  if (item.exercises.length === 1 && only) {
    return el("li", { class: "item" }, exerciseRow(only, restLine(item.restSeconds, "")));
  }
  return supersetItem(
    "Superset",
    item.exercises.map((m) => exerciseRow(m, restLine(m.restSeconds, " after each set"))),
    item.restSeconds > 0 ? el("div", { class: "rest rounds" }, `rest ${seconds(item.restSeconds)} between rounds`) : null,
  );
}

/** The compressed session, grouped by block. */
export function renderSession(preview: Preview): HTMLElement {
  if (preview.blocks.length === 0) return el("p", { class: "muted" }, "No exercises left.");
  return el(
    "div",
    { class: "blocks compact" },
    ...preview.blocks.map((block) =>
      el("section", { class: "block" }, blockHeading(block, "h4"), el("ol", { class: "items" }, ...block.items.map(previewItem))),
    ),
  );
}

function changeDetail(change: Change): string | null {
  if (change.from === undefined || change.to === undefined) return null;
  if (change.kind === "sets_reduced") return `${change.from} → ${change.to} sets`;
  if (change.kind === "rest_reduced") return `rest ${seconds(change.from)} → ${seconds(change.to)}`;
  return `${change.from} → ${change.to}`;
}

/** Every change with its reason; ids are shown by their names in the plan. */
export function renderChanges(changes: Change[], names: ReadonlyMap<string, string>): HTMLElement {
  if (changes.length === 0) return el("p", { class: "muted" }, "No changes: this is the plan as written.");
  return el(
    "ul",
    { class: "changes" },
    ...changes.map((change) => {
      const who = change.exerciseIds.map((id) => names.get(id) ?? id).join(" + ");
      const detail = changeDetail(change);
      return el(
        "li",
        { class: `change change-${change.kind}` },
        el(
          "div",
          { class: "change-head" },
          el("span", { class: "tag" }, CHANGE_KIND_LABEL[change.kind]),
          el("span", { class: "change-who" }, who),
          detail ? el("span", { class: "change-detail" }, detail) : null,
        ),
        el("p", { class: "change-reason" }, change.reason),
      );
    }),
  );
}

function bar(label: string, fraction: number): HTMLElement {
  const clamped = Math.max(0, Math.min(1, fraction));
  return el(
    "div",
    { class: "bar-row", role: "listitem" },
    el("span", { class: "bar-label" }, label),
    el("span", { class: "bar", "aria-hidden": "true" }, el("span", { class: "bar-fill", style: `width:${(clamped * 100).toFixed(1)}%` })),
    el("span", { class: "bar-value" }, percent(fraction)),
  );
}

/** Retained working sets, overall and per muscle. */
export function renderRetained(retained: Retained): HTMLElement {
  const muscles = (Object.entries(retained.byMuscle) as [Muscle, number][]).sort((a, b) => a[0].localeCompare(b[0]));
  return el(
    "div",
    { class: "retained" },
    el("p", { class: "retained-total" }, "Working sets kept: ", el("strong", null, percent(retained.workingSets))),
    muscles.length > 0
      ? el("div", { class: "bars", role: "list", "aria-label": "Working sets kept by muscle" }, ...muscles.map(([muscle, value]) => bar(muscleLabel(muscle), value)))
      : null,
  );
}

/** "2 blocks · 8 exercises · about 52 min" (", at your pace" when timed at the athlete's own). */
export function planMeta(plan: Plan, estimatedMinutes: number | null, atOwnPace = false): string {
  const exercises = plan.blocks.reduce((n, b) => n + b.exercises.length, 0);
  const parts = [`${plan.blocks.length} block${plan.blocks.length === 1 ? "" : "s"}`, `${exercises} exercise${exercises === 1 ? "" : "s"}`];
  if (estimatedMinutes !== null) parts.push(`about ${minutes(estimatedMinutes)}${atOwnPace ? " at your pace" : ""}`);
  return parts.join(" · ");
}
