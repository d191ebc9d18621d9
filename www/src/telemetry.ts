// The modal's telemetry, behind one small interface so that the modal does
// not care who sends it. The sender is the wasm package's TimeCrunchClient
// (batched, retried with backoff, bounded buffer, sendBeacon when the page is
// hidden); the same client answers the feature flag (see main.ts).
//
// Rules every implementation keeps: never throws, never logs, never blocks or
// breaks a preview when the server is down (SPEC §9).

import type { Preview, TrackedEvent } from "time-crunch";

export interface Telemetry {
  /** Queues an event; id, at, sessionId and userKey are filled in. */
  track(event: TrackedEvent): void;
  /** A `preview_generated` event describing `preview`. */
  trackPreview(preview: Preview, generationMs: number): void;
  /** Sends what is queued; never rejects. */
  flush(): Promise<void>;
}
