// Time Crunch front end: the workout screen and the "Short on time?" modal.
//
// Plain DOM on purpose, no React (or any other framework): the modal has to
// embed in any host app, whatever that app is built with, at no framework
// cost: no runtime to download, no second virtual DOM, no version clash with
// the host's own copy. The engine itself is the WebAssembly package
// "time-crunch" (built by wasm-pack --target web), initialised once below.

import init, { TimeCrunchClient, estimate, type Plan } from "time-crunch";
import { byId, el, replaceChildren } from "./dom";
import { userKey } from "./flags";
import { CrunchModal } from "./modal";
import { planInput } from "./plan-input";
import { planMeta, renderPlanBlocks } from "./render";
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

/** The picker's option for a plan that did not come from the samples. */
const OWN = "own";

let engineReady = false;
let currentPlan: Plan | null = null;
let ownPlan: Plan | null = null;

function showPlan(plan: Plan): void {
  currentPlan = plan;
  let estimated: number | null = null;
  if (engineReady) {
    try {
      estimated = estimate(plan).minutes;
    } catch {
      estimated = null;
    }
  }
  title.textContent = plan.name;
  meta.textContent = planMeta(plan, estimated);
  replaceChildren(blocks, ...renderPlanBlocks(plan));
}

/** Shows a plan the athlete brought (pasted, uploaded or applied) and selects it in the picker. */
function showOwnPlan(plan: Plan, label: string): void {
  ownPlan = plan;
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
  // Checking an uploaded plan needs the engine.
  if (engineReady) ownPlanSlot.append(planInput((plan) => showOwnPlan(plan, "Your plan")));

  // Off, unreachable or no engine: the action is simply not there. The
  // decision is published on <html data-time-crunch> for the host app (and
  // the end-to-end tests) to know it has been made.
  if (!(await flag) || !client) {
    document.documentElement.dataset.timeCrunch = "unavailable";
    return;
  }
  const modal = new CrunchModal({
    telemetry: client,
    onApply: (plan, preview) => showOwnPlan(plan, `${preview.targetMinutes} min`),
  });
  openButton.hidden = false;
  openButton.addEventListener("click", () => {
    if (currentPlan) modal.open(currentPlan, openButton);
  });
  document.documentElement.dataset.timeCrunch = "available";
}

void start();
