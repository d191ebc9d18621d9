// The engine's thrown error. Its type comes from the package; it is an
// interface, not a class (the engine throws a plain Error), so it is
// recognised by name.

import type { TimeCrunchError } from "time-crunch";

export function isTimeCrunchError(error: unknown): error is TimeCrunchError {
  return error instanceof Error && error.name === "TimeCrunchError";
}
