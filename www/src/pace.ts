// The athlete's own pace (fitted on their training log, see training-log.ts)
// and how a plan is timed at it.
//
// The engine is the only judge here too: estimate() times a plan at the
// documented constants or at a pace, and calibrate() says whether a pace is
// the athlete's own. So the page holds no copy of the duration model nor of
// its constants.

import { estimate, type Pace, type Plan } from "time-crunch";

/**
 * Minutes `plan` takes as written (rounded to 0.1, as the engine reports
 * them), at `pace` when one is given. Throws the engine's typed error for an
 * invalid plan.
 */
export function planMinutes(plan: Plan, pace: Pace | null): number {
  return estimate(plan, pace ?? undefined).minutes;
}
