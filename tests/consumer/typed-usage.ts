// Compiles only if the package's generated types describe the API the way a
// TypeScript front end uses it; `tsc --noEmit` is the assertion.
import init, { preview, sweep, estimate, applyPreview, version, TimeCrunchClient } from "time-crunch";
import type { Plan, Preview, PreviewRequest, Strategy, Change, TimeCrunchError, ClientOptions, TrackedEvent } from "time-crunch";

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

export async function report(plan: Plan, userKey: string): Promise<boolean> {
  const options: ClientOptions = { userKey, baseUrl: "https://api.example.com", flushIntervalMs: 2000 };
  const client = new TimeCrunchClient(options);
  const enabled: boolean = await client.isEnabled();
  const opened: TrackedEvent = { type: "modal_opened" };
  client.track(opened);
  const shown: Preview = preview({ plan, targetMinutes: 45 });
  client.trackPreview(shown, 0.05);
  client.trackCompleted(shown, 47.5);
  client.track({ type: "preview_failed", errorCode: "invalid_plan", targetMinutes: 45 });
  await client.flush();
  const counts: number = client.pending() + client.dropped() + client.rejected();
  client.free();
  return enabled && counts >= 0;
}
