// Load time of the modal in a host app (examples/host-plain, installed from
// the packed package), in Chromium with its network emulated at 1.6 Mbps
// down, 750 kbps up and 150 ms round trip (the throttling profile of the
// issue), the server sending gzip:
//
// - cold: the page is loaded (the element is defined, the engine is not);
//   from the click on "Short on time?" to the first preview rendered (the
//   frame after the dialog opened with its figures);
// - after prefetch(): the same, once the host has called prefetch().
//
// Each is measured RUNS times in a fresh context (HTTP cache empty); the
// median and the worst are printed. Goals: cold at most 1 s, after prefetch
// at most 50 ms. A report (BENCHMARKS.md records it); BUDGETS_ENFORCE=1
// makes a figure over its goal fail.
//
// Run with: node load-time.mjs (after the hosts are installed; scripts/test.sh does)
import { join } from "node:path";
import { launchBrowser, repo } from "./harness.mjs";
import { serveStatic } from "./static.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) };
const GOALS = { cold: 1000, prefetched: 50 };

/** Clicks the host's button and resolves, in the page, with ms to the frame after the first preview shows. */
function clickToPreview(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error("no preview within 10 s")), 10_000);
    const root = document.querySelector("time-crunch-preview-modal").shadowRoot;
    const start = performance.now();
    document.querySelector("#crunch").click();
    const frame = () => {
      if (root.querySelector("#tc-dialog").open && root.querySelector(".tc-estimated").textContent) resolve(performance.now() - start);
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }));
}

async function measure(browser, base, prefetch) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", NETWORK);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Loaded and idle: the element is defined and the host has its plan.
  await page.goto(`${base}/`, { waitUntil: "networkidle" });
  await page.waitForFunction(() => customElements.get("time-crunch-preview-modal") !== undefined);
  if (prefetch) await page.evaluate(() => document.querySelector("time-crunch-preview-modal").prefetch());
  const ms = await clickToPreview(page);
  await context.close();
  if (errors.length > 0) throw new Error(errors.join("\n"));
  return ms;
}

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1], max: sorted[sorted.length - 1] };
};

const server = await serveStatic(join(repo, "examples/host-plain"));
const browser = await launchBrowser();
let over = false;
try {
  for (const [name, prefetch] of [["cold", false], ["prefetched", true]]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(browser, server.base, prefetch));
    const { median, max } = summary(runs);
    const label = prefetch ? "after prefetch()" : "cold (engine not loaded)";
    console.log(`load time: click to first rendered preview, ${label}, 1.6 Mbps / 150 ms RTT: median ${median.toFixed(0)} ms, max ${max.toFixed(0)} ms over ${RUNS} runs (goal ${GOALS[name]} ms)`);
    if (median > GOALS[name]) over = true;
  }
} finally {
  await browser.close();
  await server.stop();
}
if (over) {
  console.log("load time: OVER a goal (above)");
  if (process.env.BUDGETS_ENFORCE === "1") process.exit(1);
}
