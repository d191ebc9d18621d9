// Compiles only if the package's generated types describe the API the way a
// TypeScript front end uses it; `tsc --noEmit` is the assertion.
import init, { preview, sweep, estimate, applyPreview, version } from "time-crunch";
import type { Plan, Preview, PreviewRequest, Strategy, Change, TimeCrunchError } from "time-crunch";

export async function use(plan: Plan): Promise<string> {
  await init();
  const request: PreviewRequest = { plan, targetMinutes: 30, options: { goal: "strength", keep: [], allowSupersets: true } };
  const result: Preview = preview(request);
  const strategy: Strategy = result.strategy;
  const firstChange: Change | undefined = result.changes[0];
  const minimum: number | undefined = result.fallback?.minimumMinutes;
  const slider: Preview[] = sweep(request);
  const saved: Plan = applyPreview(slider[15]);
  const minutes: number = estimate(saved).minutes;
  try {
    preview({ ...request, targetMinutes: 5 });
  } catch (e) {
    const error = e as TimeCrunchError;
    return `${error.code} ${error.path ?? ""}`;
  }
  return `${version()} ${strategy} ${firstChange?.reason ?? ""} ${minimum ?? ""} ${minutes}`;
}
