// Feature-flag hook. The host app answers
//   GET /v1/flags/feature.stream5_time_crunch_mode?userKey=<key>
// with an evaluation such as {"key": ..., "value": true, ...}. Only an
// explicit `value === true` turns the feature on; a failed request, a non-2xx
// answer, a body that is not JSON, or any other value keeps it off, silently
// (nothing is logged: a missing flag service is a normal state, not an error).

export const TIME_CRUNCH_FLAG = "feature.stream5_time_crunch_mode";

const USER_KEY_STORAGE = "timeCrunch.userKey";
const FLAG_TIMEOUT_MS = 5000;

function randomId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context; getRandomValues does not.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

let memoryKey: string | null = null;

/** A random id for this browser, kept in localStorage (in memory if storage is unavailable). */
export function userKey(): string {
  try {
    const stored = localStorage.getItem(USER_KEY_STORAGE);
    if (stored) return stored;
    const key = randomId();
    localStorage.setItem(USER_KEY_STORAGE, key);
    return key;
  } catch {
    memoryKey ??= randomId();
    return memoryKey;
  }
}

/** Whether `flag` is on for `key`; false on any failure. Never throws, never logs. */
export async function isFlagOn(flag: string, key: string): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FLAG_TIMEOUT_MS);
  try {
    const url = `/v1/flags/${encodeURIComponent(flag)}?userKey=${encodeURIComponent(key)}`;
    const response = await fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
      signal: controller.signal,
    });
    if (!response.ok) return false;
    const body: unknown = await response.json();
    return typeof body === "object" && body !== null && (body as { value?: unknown }).value === true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
