// The host app: today's plan, a "Short on time?" button and the package's
// modal. The element is created by JSX; React holds it through a ref and
// listens to its typed events.
import { useEffect, useRef, useState } from "react";
import type { Plan } from "time-crunch";
import "time-crunch/modal";
import type { TimeCrunchModalStrings, TimeCrunchPreviewModal } from "time-crunch/modal";
import todays from "./plan.json";
import "./app.css";

const plan = todays as Plan;
/** The host's own wording for one of the modal's texts. */
const strings: Partial<TimeCrunchModalStrings> = { apply: "Use this session" };

export function App() {
  const modal = useRef<TimeCrunchPreviewModal>(null);
  const [applied, setApplied] = useState<Plan | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const element = modal.current;
    if (!element) return;
    element.strings = strings;
    // The flag says the feature is on: load the engine before the click.
    element.prefetch().catch(() => setProblem("Time Crunch is not available right now."));
    const onApply = (event: CustomEvent<{ plan: Plan }>) => setApplied(event.detail.plan);
    element.addEventListener("timecrunch-apply", onApply);
    return () => element.removeEventListener("timecrunch-apply", onApply);
  }, []);

  const open = () => {
    modal.current?.open(applied ?? plan, { targetMinutes: 30 }).catch((error: Error) => setProblem(error.message));
  };

  return (
    <main>
      <h1>{(applied ?? plan).name}</h1>
      <button id="crunch" type="button" onClick={open}>
        Short on time?
      </button>
      {problem && <p role="alert">{problem}</p>}
      <pre id="applied">{applied ? JSON.stringify(applied, null, 2) : ""}</pre>
      <time-crunch-preview-modal ref={modal} className="crunch" />
    </main>
  );
}
