// Human wording for the engine's machine values.

import type { BlockKind, ChangeKind, Muscle, Strategy } from "time-crunch";

export const STRATEGY_LABEL: Record<Strategy, string> = {
  full_accessory_blocks: "Full session",
  reduced_rest: "Shorter rest",
  supersets: "Supersets",
  core_plus_supersets: "Core lifts + supersets",
  core_only: "Core lifts only",
};

export const STRATEGY_HINT: Record<Strategy, string> = {
  full_accessory_blocks: "The plan as written.",
  reduced_rest: "Every exercise and set kept; rest cut toward safe floors.",
  supersets: "Every exercise kept; compatible exercises paired, accessory sets trimmed.",
  core_plus_supersets: "Core lifts plus the most valuable remaining work, paired.",
  core_only: "Core lifts only.",
};

export const BLOCK_KIND_LABEL: Record<BlockKind, string> = {
  warmup: "Warm-up",
  main: "Main",
  accessory: "Accessory",
  core: "Core",
  conditioning: "Conditioning",
  cooldown: "Cool-down",
};

export const CHANGE_KIND_LABEL: Record<ChangeKind, string> = {
  removed: "Removed",
  sets_reduced: "Fewer sets",
  rest_reduced: "Less rest",
  paired: "Superset",
};

export function muscleLabel(muscle: Muscle): string {
  const text = muscle.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "90 s", "2 min", "2:30 min". */
export function seconds(total: number): string {
  if (total < 60) return `${total} s`;
  const m = Math.floor(total / 60);
  const s = total % 60;
  return s === 0 ? `${m} min` : `${m}:${String(s).padStart(2, "0")} min`;
}

/** Minutes as the engine reports them (already rounded to 0.1). */
export function minutes(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(1)} min`;
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** "4 × 8", "3 × 45 s", with "each side" for unilateral work. */
export function prescription(ex: { sets: number; reps?: number; durationSeconds?: number; unilateral?: boolean }): string {
  const per = ex.reps !== undefined ? `${ex.reps}` : ex.durationSeconds !== undefined ? seconds(ex.durationSeconds) : "?";
  return `${ex.sets} × ${per}${ex.unilateral ? " each side" : ""}`;
}
