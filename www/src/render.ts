// Rendering of the workout screen's plan (the modal renders its previews itself). Everything goes through el()/text nodes:
// plan, block and exercise names come from the host app and are untrusted.

import type { Block, Exercise, Plan } from "time-crunch";
import { el, type Child } from "./dom";
import { BLOCK_KIND_LABEL, minutes, prescription, seconds } from "./format";

function blockHeading(block: Block, level: "h3" | "h4"): HTMLElement {
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

function exerciseRow(ex: Exercise, rest: Child): HTMLElement {
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

/** "2 blocks · 8 exercises · about 52 min" (", at your pace" when timed at the athlete's own). */
export function planMeta(plan: Plan, estimatedMinutes: number | null, atOwnPace = false): string {
  const exercises = plan.blocks.reduce((n, b) => n + b.exercises.length, 0);
  const parts = [`${plan.blocks.length} block${plan.blocks.length === 1 ? "" : "s"}`, `${exercises} exercise${exercises === 1 ? "" : "s"}`];
  if (estimatedMinutes !== null) parts.push(`about ${minutes(estimatedMinutes)}${atOwnPace ? " at your pace" : ""}`);
  return parts.join(" · ");
}
