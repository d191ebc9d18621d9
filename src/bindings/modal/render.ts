// Rendering of a preview: the session, every change with its reason, the
// training kept. Everything goes through el()/text nodes: plan, block and
// exercise names come from the host app and are untrusted.

import type { Change, Item, ItemExercise, Muscle, Preview, PreviewBlock, Retained } from "time-crunch";
import { el, type Child } from "./dom.js";
import type { Texts } from "./strings.js";

function blockHeading(t: Texts, block: PreviewBlock): HTMLElement {
  const kind = t.s.blockKinds[block.kind];
  return el(
    "div",
    { class: "block-head" },
    el("h4", { class: "block-title" }, block.name ?? kind),
    block.name ? el("span", { class: "tag" }, kind) : null,
  );
}

/** "4 × 8", "3 × 45 s", with "each side" for unilateral work. */
function prescription(t: Texts, ex: ItemExercise): string {
  const per = ex.reps !== undefined ? t.num(ex.reps) : ex.durationSeconds !== undefined ? t.sec(ex.durationSeconds) : "?";
  return `${t.num(ex.sets)} × ${per}${ex.unilateral ? t.s.eachSide : ""}`;
}

function exerciseRow(t: Texts, ex: ItemExercise, rest: Child): HTMLElement {
  return el("div", { class: "exercise" }, el("span", { class: "ex-name" }, ex.name), el("span", { class: "ex-dose" }, prescription(t, ex)), rest);
}

function restLine(text: string | null): Child {
  return text === null ? null : el("span", { class: "rest" }, text);
}

function previewItem(t: Texts, item: Item): HTMLLIElement {
  const [only] = item.exercises;
  if (item.exercises.length === 1 && only) {
    return el("li", { class: "item" }, exerciseRow(t, only, restLine(item.restSeconds > 0 ? t.s.rest(t.sec(item.restSeconds)) : null)));
  }
  return el(
    "li",
    { class: "item superset" },
    el("div", { class: "superset-label" }, t.s.superset),
    el(
      "ul",
      { class: "superset-members" },
      ...item.exercises.map((m) =>
        el("li", null, exerciseRow(t, m, restLine(m.restSeconds > 0 ? t.s.restAfterEachSet(t.sec(m.restSeconds)) : null))),
      ),
    ),
    item.restSeconds > 0 ? el("div", { class: "rest rounds" }, t.s.restBetweenRounds(t.sec(item.restSeconds))) : null,
  );
}

/** The compressed session, grouped by block. */
export function renderSession(t: Texts, preview: Preview): HTMLElement {
  if (preview.blocks.length === 0) return el("p", { class: "muted" }, t.s.noExercises);
  return el(
    "div",
    { class: "blocks compact" },
    ...preview.blocks.map((block) =>
      el("section", { class: "block" }, blockHeading(t, block), el("ol", { class: "items" }, ...block.items.map((item) => previewItem(t, item)))),
    ),
  );
}

function changeDetail(t: Texts, change: Change): string | null {
  if (change.from === undefined || change.to === undefined) return null;
  if (change.kind === "sets_reduced") return t.s.setsChange(t.num(change.from), t.num(change.to));
  if (change.kind === "rest_reduced") return t.s.rest(`${t.sec(change.from)} → ${t.sec(change.to)}`);
  return `${t.num(change.from)} → ${t.num(change.to)}`;
}

/** Every change with its reason; ids are shown by their names in the plan. */
export function renderChanges(t: Texts, changes: Change[], names: ReadonlyMap<string, string>): HTMLElement {
  if (changes.length === 0) return el("p", { class: "muted" }, t.s.noChanges);
  return el(
    "ul",
    { class: "changes" },
    ...changes.map((change) => {
      const who = change.exerciseIds.map((id) => names.get(id) ?? id).join(" + ");
      const detail = changeDetail(t, change);
      return el(
        "li",
        { class: `change change-${change.kind}` },
        el(
          "div",
          { class: "change-head" },
          el("span", { class: "tag" }, t.s.changeKinds[change.kind]),
          el("span", { class: "change-who" }, who),
          detail ? el("span", { class: "change-detail" }, detail) : null,
        ),
        el("p", { class: "change-reason" }, change.reason),
      );
    }),
  );
}

function bar(t: Texts, label: string, fraction: number): HTMLElement {
  const clamped = Math.max(0, Math.min(1, fraction));
  return el(
    "div",
    { class: "bar-row", role: "listitem" },
    el("span", { class: "bar-label" }, label),
    el("span", { class: "bar", "aria-hidden": "true" }, el("span", { class: "bar-fill", style: `width:${(clamped * 100).toFixed(1)}%` })),
    el("span", { class: "bar-value" }, t.pct(fraction)),
  );
}

/** Retained working sets, overall and per muscle. */
export function renderRetained(t: Texts, retained: Retained): HTMLElement {
  const muscles = (Object.entries(retained.byMuscle) as [Muscle, number][]).sort((a, b) => a[0].localeCompare(b[0]));
  return el(
    "div",
    { class: "retained" },
    el("p", { class: "retained-total" }, t.s.workingSetsKept, el("strong", null, t.pct(retained.workingSets))),
    muscles.length > 0
      ? el("div", { class: "bars", role: "list", "aria-label": t.s.byMuscle }, ...muscles.map(([muscle, value]) => bar(t, t.muscle(muscle), value)))
      : null,
  );
}
