// The athlete's own pace (fitted on their training log, see training-log.ts)
// and how a plan is timed at it.
//
// The engine is the only judge here too: estimate() times a plan at the
// documented constants, a preview times it at the pace of its request, and a
// preview records that pace only when it differs from the documented
// constants. So the page holds no copy of the duration model nor of its
// constants.

import { estimate, preview, type Pace, type Plan, type PreviewRequest } from "time-crunch";

/**
 * The target a plan is timed at with a pace. Any valid target gives the plan
 * as written (`originalMinutes`); the engine's longest one needs no
 * compression, so it is the quickest.
 */
const TIMING_TARGET = 180;

/** A plan of one set, only to ask the engine whether a pace is its own. */
const PROBE: Plan = {
  id: "pace-probe",
  name: "pace probe",
  blocks: [
    {
      id: "main",
      kind: "main",
      exercises: [
        { id: "squat", name: "squat", priority: "core", pattern: "squat", muscles: ["quads"], equipment: "barbell", sets: 1, reps: 1, restSeconds: 0 },
      ],
    },
  ],
};

/** Whether `pace` differs from the documented constants (calibrate returns exactly those when the log does not beat them). */
export function isPersonalPace(pace: Pace): boolean {
  return preview({ plan: PROBE, targetMinutes: TIMING_TARGET, options: { pace } }).pace !== undefined;
}

/** `request` with the athlete's pace, when there is one (nothing added otherwise). */
export function withPace(request: PreviewRequest, pace: Pace | null): PreviewRequest {
  return pace ? { ...request, options: { ...request.options, pace } } : request;
}

/**
 * Minutes `plan` takes as written (rounded to 0.1, as the engine reports
 * them), at `pace` when one is given. Throws the engine's typed error for an
 * invalid plan.
 */
export function planMinutes(plan: Plan, pace: Pace | null): number {
  if (!pace) return estimate(plan).minutes;
  return preview({ plan, targetMinutes: TIMING_TARGET, options: { pace } }).originalMinutes;
}

/**
 * Seconds `plan` takes as written: exact at the documented constants; at a
 * pace, to the engine's 0.1 minute (estimate() takes no pace, a preview
 * reports minutes).
 */
export function planSeconds(plan: Plan, pace: Pace | null): number {
  return pace ? planMinutes(plan, pace) * 60 : estimate(plan).seconds;
}
