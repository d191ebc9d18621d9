// Time Crunch front end: the workout screen and the "Short on time?" modal.
//
// Plain DOM on purpose, no React (or any other framework): the modal has to
// embed in any host app, whatever that app is built with, at no framework
// cost: no runtime to download, no second virtual DOM, no version clash with
// the host's own copy. The engine itself is the WebAssembly package
// "time-crunch" (built by wasm-pack --target web), initialised once below.

import init, { estimate, type Plan } from "time-crunch";
import { byId, el, replaceChildren } from "./dom";
import { TIME_CRUNCH_FLAG, isFlagOn, userKey } from "./flags";
import { crunchModal } from "./modal";
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

let engineReady = false;
let currentPlan: Plan | null = null;
let currentMinutes: number | null = null;

function showPlan(plan: Plan): void {
  currentPlan = plan;
  currentMinutes = null;
  if (engineReady) {
    try {
      currentMinutes = estimate(plan).minutes;
    } catch {
      currentMinutes = null;
    }
  }
  title.textContent = plan.name;
  meta.textContent = planMeta(plan, currentMinutes);
  replaceChildren(blocks, ...renderPlanBlocks(plan));
}

function fillPicker(): void {
  picker.replaceChildren(...plans.map((plan, index) => el("option", { value: index }, plan.name)));
  picker.disabled = plans.length === 0;
  picker.addEventListener("change", () => {
    const plan = plans[Number(picker.value)];
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

  // The flag request and the engine download run side by side.
  const flag = isFlagOn(TIME_CRUNCH_FLAG, userKey());
  try {
    await init();
    engineReady = true;
  } catch {
    status.textContent = "The time-crunch engine could not be loaded.";
  }
  showPlan(first);

  const on = await flag;
  openButton.hidden = !(on && engineReady);
  openButton.addEventListener("click", () => {
    if (!currentPlan) return;
    crunchModal().open(currentPlan, currentMinutes ?? 60, openButton);
  });
}

void start();
