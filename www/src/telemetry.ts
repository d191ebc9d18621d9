// The modal's telemetry, behind one small interface so that the page does not
// care who sends it. Today a minimal sender lives here; the wasm package's
// TimeCrunchClient (batching, backoff, bounded buffer) replaces it with a few
// lines in `createTelemetry`.
//
// Rules every implementation keeps: never throws, never logs, never blocks or
// breaks a preview when the server is down (SPEC §9).

import type { Preview, Strategy, TelemetryEventType } from "time-crunch";

/** What the page reports; id, at, sessionId and userKey are filled in. */
export interface TrackedEvent {
  type: TelemetryEventType;
  strategy?: Strategy;
  targetMinutes?: number;
  fits?: boolean;
  fallbackReason?: string;
  generationMs?: number;
  errorCode?: string;
  flagValue?: boolean;
}

export interface Telemetry {
  track(event: TrackedEvent): void;
  /** A `preview_generated` event describing `preview`. */
  trackPreview(preview: Preview, generationMs: number): void;
  /** Sends what is queued; never rejects. */
  flush(): Promise<void>;
}

const ENDPOINT = "/v1/telemetry";
const FLUSH_INTERVAL_MS = 5000;
const MAX_BATCH = 50;
/** Older events are dropped past this, so a long outage cannot grow memory. */
const MAX_BUFFER = 500;

function randomId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Interim sender: one POST per flush, events dropped on failure (no retry). */
class FetchTelemetry implements Telemetry {
  private queue: object[] = [];
  private readonly sessionId = randomId();

  constructor(private readonly userKey: string) {
    setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") void this.flush();
    });
  }

  track(event: TrackedEvent): void {
    this.queue.push({ ...event, id: randomId(), at: Date.now(), sessionId: this.sessionId, userKey: this.userKey });
    if (this.queue.length > MAX_BUFFER) this.queue.splice(0, this.queue.length - MAX_BUFFER);
    if (this.queue.length >= MAX_BATCH) void this.flush();
  }

  trackPreview(preview: Preview, generationMs: number): void {
    this.track({
      type: "preview_generated",
      strategy: preview.strategy,
      targetMinutes: preview.targetMinutes,
      fits: preview.fits,
      fallbackReason: preview.fallback?.reason,
      generationMs,
    });
  }

  async flush(): Promise<void> {
    if (this.queue.length === 0) return;
    const events = this.queue.splice(0, MAX_BATCH);
    try {
      // keepalive lets the request outlive a closing tab.
      await fetch(ENDPOINT, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ events }),
        keepalive: true,
        credentials: "same-origin",
      });
    } catch {
      // Server down: the events are lost, the page is not.
    }
  }
}

/** Telemetry that does nothing: for a page where the feature is off. */
export const noTelemetry: Telemetry = {
  track() {},
  trackPreview() {},
  flush: () => Promise.resolve(),
};

export function createTelemetry(userKey: string): Telemetry {
  return new FetchTelemetry(userKey);
}
