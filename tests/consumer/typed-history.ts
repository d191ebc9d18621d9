// Compiles only if the training-log module's generated types describe its
// API the way a TypeScript front end uses it with the preview module;
// `tsc --noEmit` is the assertion.
import initHistory, { importLog, calibrate, planFromSession, matchExercise } from "time-crunch/history";
import type {
  History,
  Calibration,
  SessionPlan,
  LoggedSession,
  Match,
  UnusedReason,
  TimeCrunchHistoryError,
} from "time-crunch/history";
import init, { preview, estimate } from "time-crunch";
import type { Pace, Preview, PreviewRequest } from "time-crunch";

export async function planToday(file: File, targetMinutes: number): Promise<string> {
  await Promise.all([init(), initHistory()]);
  let log: History;
  try {
    log = importLog(await file.text());
  } catch (e) {
    const error = e as TimeCrunchHistoryError;
    return `${error.name} ${error.code} at line ${error.line ?? "-"}`;
  }
  const skippedLines: number[] = log.skipped.map((row) => row.line);
  const latest: LoggedSession | undefined = log.sessions.at(-1);
  if (!latest) return "no sessions";
  const made: SessionPlan = planFromSession(latest, "today");
  const ask: string[] = made.unmatched.map((u) => u.name);
  const calibration: Calibration = calibrate(log);
  const pace: Pace = calibration.pace;
  const reasons: UnusedReason[] = calibration.leftOut.map((l) => l.reason);
  const request: PreviewRequest = { plan: made.plan, targetMinutes, options: { pace, goal: "general" } };
  const shown: Preview = preview(request);
  const recorded: Pace | undefined = shown.pace;
  const minutes: number = estimate(made.plan).minutes;
  const match: Match = matchExercise(latest.exercises[0]?.name ?? "Squat (Barbell)");
  const actual: number = latest.actualMinutes;
  return [
    log.format,
    skippedLines.length,
    ask.join(", "),
    reasons.length,
    recorded?.restFactor ?? "default pace",
    minutes,
    actual,
    match.exercise?.dbName ?? "unmatched",
    calibration.errorAfter <= calibration.errorBefore,
  ].join(" ");
}
