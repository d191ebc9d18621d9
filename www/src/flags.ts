// Who the user is, for the feature flag and telemetry. The flag itself
// (`feature.stream5_time_crunch_mode`) is evaluated by the package's
// TimeCrunchClient: off on any failure, silently (a missing flag service is a
// normal state, not an error).

const USER_KEY_STORAGE = "timeCrunch.userKey";

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
