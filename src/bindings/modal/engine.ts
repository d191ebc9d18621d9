// The preview module, loaded on demand: the element's own code is small and
// defines the element at once; the engine (JS glue and WebAssembly) loads on
// prefetch() or the first open(). It is imported through the package's entry
// ("time-crunch", the "." export), so a host that also uses the engine
// shares one WebAssembly instance with the modal.

import type { Pace, Plan, PreviewRequest } from "time-crunch";

export type Engine = typeof import("time-crunch");

/** Why the engine could not load: offline, blocked (CSP), or no WebAssembly. */
export interface TimeCrunchLoadError extends Error {
  name: "TimeCrunchError";
  /** Always "engine_unavailable". */
  code: "engine_unavailable";
  /** What the browser reported. */
  cause: unknown;
}

let loading: Promise<Engine> | null = null;

function loadError(cause: unknown): TimeCrunchLoadError {
  const error = new Error("The time-crunch engine could not be loaded.", { cause }) as TimeCrunchLoadError;
  error.name = "TimeCrunchError";
  error.code = "engine_unavailable";
  return error;
}

/** The engine, instantiated; loaded once (a failed load is retried on the next call). */
export function loadEngine(): Promise<Engine> {
  loading ??= (async () => {
    if (typeof WebAssembly !== "object") throw new Error("WebAssembly is not available");
    const engine = await import("time-crunch");
    await engine.default();
    return engine;
  })().catch((cause: unknown) => {
    loading = null;
    throw loadError(cause);
  });
  return loading;
}

/** `request` with the athlete's pace, when there is one (nothing added otherwise). */
export function withPace(request: PreviewRequest, pace: Pace | null): PreviewRequest {
  return pace ? { ...request, options: { ...request.options, pace } } : request;
}

/** Seconds `plan` takes as written, at `pace` when one is given. */
export function planSeconds(engine: Engine, plan: Plan, pace: Pace | null): number {
  return engine.estimate(plan, pace ?? undefined).seconds;
}
