// Human wording for the engine's machine values.

import type { BlockKind, Equipment, Muscle, Pattern } from "time-crunch";

export const BLOCK_KIND_LABEL: Record<BlockKind, string> = {
  warmup: "Warm-up",
  main: "Main",
  accessory: "Accessory",
  core: "Core",
  conditioning: "Conditioning",
  cooldown: "Cool-down",
};

export const PATTERN_LABEL: Record<Pattern, string> = {
  squat: "Squat",
  hinge: "Hinge (deadlift)",
  lunge: "Lunge (split squat)",
  horizontal_push: "Horizontal push (bench)",
  vertical_push: "Vertical push (overhead)",
  horizontal_pull: "Horizontal pull (row)",
  vertical_pull: "Vertical pull (pull-up)",
  carry: "Carry",
  core: "Core (abs)",
  isolation: "Isolation (curl, raise)",
  conditioning: "Conditioning",
  mobility: "Mobility",
};

export const EQUIPMENT_LABEL: Record<Equipment, string> = {
  barbell: "Barbell",
  dumbbell: "Dumbbell",
  kettlebell: "Kettlebell",
  cable: "Cable",
  machine: "Machine",
  bodyweight: "Bodyweight",
  band: "Band",
  other: "Other",
};

/** Every muscle the engine knows, in the contract's order (the compiler checks that the list is complete and holds nothing else). */
const MUSCLES = Object.keys({
  chest: 0, back: 0, lats: 0, traps: 0, front_delts: 0, side_delts: 0, rear_delts: 0, biceps: 0, triceps: 0,
  forearms: 0, quads: 0, hamstrings: 0, glutes: 0, calves: 0, adductors: 0, abs: 0, obliques: 0, lower_back: 0,
  full_body: 0,
} satisfies Record<Muscle, 0>) as Muscle[];

export const MUSCLE_LABEL = Object.fromEntries(MUSCLES.map((muscle) => [muscle, muscleLabel(muscle)])) as Record<Muscle, string>;

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
