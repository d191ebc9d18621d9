// Time Crunch front end: the workout screen, a host of the package's
// "Short on time?" modal (<time-crunch-preview-modal>, from "time-crunch/modal").
//
// Plain DOM, no framework. The engine is the WebAssembly package
// "time-crunch" (built by wasm-pack --target web), initialised once below;
// the modal imports it through the same entry, so both share one instance.
// Its training-log module ("time-crunch/history") loads only when the
// athlete uploads a log (training-log.ts).

import init, { TimeCrunchClient, type Pace, type Plan, type Preview } from "time-crunch";
import { byId, el, replaceChildren } from "./dom";
import { finishedControl, type FinishedControl } from "./finished";
import { userKey } from "./flags";
import "time-crunch/modal";
import { planMinutes } from "./pace";
import { planInput } from "./plan-input";
import { planMeta, renderPlanBlocks } from "./render";
import { trainingLog } from "./training-log";
import "./style.css";

// The sample plans, bundled at build time.
const corpus = import.meta.glob<Plan>("../../tests/corpus/*.plan.json", { eager: true, import: "default" });

const plans: Plan[] = Object.values(corpus).sort((a, b) => a.name.localeCompare(b.name));

const picker = byId<HTMLSelectElement>("plan-picker");
const openButton = byId<HTMLButtonElement>("crunch-open");
const status = byId<HTMLParagraphElement>("app-status");
const title = byId<HTMLHeadingElement>("plan-title");
const meta = byId<HTMLParagraphElement>("plan-meta");
const blocks = byId<HTMLDivElement>("plan-blocks");
const ownPlanSlot = byId<HTMLDivElement>("own-plan-slot");
const finishedSlot = byId<HTMLDivElement>("finished-slot");

/** The picker's option for a plan that did not come from the samples. */
const OWN = "own";

let engineReady = false;
let currentPlan: Plan | null = null;
let ownPlan: Plan | null = null;
/** The preview the own plan was applied from, if it was. */
let ownPreview: Preview | null = null;
/** The athlete's pace from their training log; null: the documented constants. */
let pace: Pace | null = null;
let finished: FinishedControl | null = null;

function showPlan(plan: Plan): void {
  currentPlan = plan;
  let estimated: number | null = null;
  if (engineReady) {
    try {
      estimated = planMinutes(plan, pace);
    } catch {
      estimated = null;
    }
  }
  title.textContent = plan.name;
  meta.textContent = planMeta(plan, estimated, pace !== null);
  replaceChildren(blocks, ...renderPlanBlocks(plan));
  // "Finished?" belongs to an applied session only.
  if (plan === ownPlan && ownPreview) finished?.offer(ownPreview);
  else finished?.withdraw();
}

/** Shows a plan the athlete brought (pasted, uploaded, from their log or applied) and selects it in the picker. */
function showOwnPlan(plan: Plan, label: string, from: Preview | null = null): void {
  ownPlan = plan;
  ownPreview = from;
  let option = picker.querySelector<HTMLOptionElement>(`option[value="${OWN}"]`);
  if (!option) {
    option = el("option", { value: OWN });
    picker.prepend(option);
  }
  option.textContent = `${label}: ${plan.name}`;
  picker.value = OWN;
  showPlan(plan);
}

function fillPicker(): void {
  picker.replaceChildren(...plans.map((plan, index) => el("option", { value: index }, plan.name)));
  picker.disabled = plans.length === 0;
  picker.addEventListener("change", () => {
    const plan = picker.value === OWN ? ownPlan : plans[Number(picker.value)];
    if (plan) showPlan(plan);
  });
}

async function start(): Promise<void> {
  fillPicker();
  const first = plans[0];
  if (!first) {
    status.textContent = "No sample plans found.";
    return;
  }

  // The flag and telemetry client lives in the engine package, so the
  // engine loads first; the flag request then goes out at once.
  let client: TimeCrunchClient | null = null;
  try {
    await init();
    engineReady = true;
    client = new TimeCrunchClient({ userKey: userKey() });
  } catch {
    if (!engineReady) status.textContent = "The time-crunch engine could not be loaded.";
  }
  const flag = client ? client.isEnabled() : Promise.resolve(false);
  showPlan(first);
  // Checking an uploaded plan, and making one from a log, needs the engine.
  if (engineReady) {
    ownPlanSlot.append(
      planInput((plan) => showOwnPlan(plan, "Your plan")),
      trainingLog({
        onPace: (next) => {
          pace = next;
          if (currentPlan) showPlan(currentPlan);
        },
        onPlan: (plan) => showOwnPlan(plan, "From your log"),
      }),
    );
  }

  // Off, unreachable or no engine: the action is simply not there. The
  // decision is published on <html data-time-crunch> for the host app (and
  // the end-to-end tests) to know it has been made.
  if (!(await flag) || !client) {
    document.documentElement.dataset.timeCrunch = "unavailable";
    return;
  }
  finished = finishedControl(client);
  finishedSlot.append(finished.element);
  const modal = document.createElement("time-crunch-preview-modal");
  modal.client = client;
  modal.addEventListener("timecrunch-apply", (event) => {
    const { plan, preview } = event.detail;
    showOwnPlan(plan, `${preview.targetMinutes} min`, preview);
  });
  document.body.append(modal);
  openButton.hidden = false;
  openButton.addEventListener("click", () => {
    // A plan the engine refuses opens nothing; the page says why.
    if (currentPlan) modal.open(currentPlan, { pace }).then(() => (status.textContent = ""), (error: unknown) => {
      status.textContent = error instanceof Error ? error.message : "The plan could not be compressed.";
    });
  });
  document.documentElement.dataset.timeCrunch = "available";
}

void start();
