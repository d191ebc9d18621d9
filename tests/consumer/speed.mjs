// Speed budgets of the npm package in a real browser (issue #4): loads the
// built package into headless Chromium through Playwright, times preview()
// and sweep() on a typical plan, times the engine alone inside WebAssembly
// (the benchmark build's benchEngine) and natively, and prints the figures;
// with BUDGETS_ENFORCE=1 it fails when a budget is exceeded.
//
// Each figure is the median of 20 batches after a warm-up: single batches
// swing by a factor of two when the browser collects garbage.
//
// Run with `node speed.mjs` after scripts/build-pkg.sh and
// scripts/build-pkg.sh --bench (scripts/test.sh does both).
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";
import { CHROMIUM_LAUNCH } from "../chromium.mjs";

const BUDGET = { previewMicros: 50, sweepMillis: 8, ratio: 2 };
const repo = new URL("../../", import.meta.url);
const requestPath = new URL("tests/fixtures/supersets-pull-day.request.json", repo);
const request = readFileSync(requestPath, "utf8");
const cache = process.env.TIME_CRUNCH_CACHE ?? `${process.env.HOME}/.cache/time-crunch`;
const benchPkg = new URL(`file://${cache}/bench-pkg/`);

const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const server = createServer((req, res) => {
  const path = req.url === "/" ? "/bench.html" : req.url;
  if (path === "/bench.html") {
    res.writeHead(200, { "content-type": "text/html" });
    return res.end("<!doctype html><title>speed</title>");
  }
  try {
    const body = path.startsWith("/bench/")
      ? readFileSync(new URL(path.slice("/bench/".length), benchPkg))
      : readFileSync(new URL(`pkg${path}`, repo));
    res.writeHead(200, { "content-type": types[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch(CHROMIUM_LAUNCH);
let browserFigures;
try {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  browserFigures = await page.evaluate(async ({ base, request }) => {
    const { default: init, preview, sweep, estimate } = await import(`${base}/time_crunch.js`);
    await init();
    const bench = await import(`${base}/bench/time_crunch.js`);
    await bench.default();
    const input = JSON.parse(request);
    // Milliseconds per call: the median of 20 batches of runs/20 calls.
    const median = (runs, work) => {
      for (let i = 0; i < runs / 5; i++) work();
      const batches = [];
      for (let b = 0; b < 20; b++) {
        const start = performance.now();
        for (let i = 0; i < runs / 20; i++) work();
        batches.push((performance.now() - start) / (runs / 20));
      }
      return batches.sort((x, y) => x - y)[10];
    };
    return {
      previewMicros: median(10000, () => preview(input)) * 1000,
      sweepMillis: median(200, () => sweep(input)),
      // Reading the plan dominates estimate(): the boundary's input cost.
      estimateMicros: median(10000, () => estimate(input.plan)) * 1000,
      engineMicros: median(200, () => bench.benchEngine(input, 100)) * 1000 / 100,
    };
  }, { base, request });
} finally {
  await browser.close();
  server.close();
}

const native = JSON.parse(execFileSync("cargo", ["run", "--quiet", "--release", "-p", "time-crunch-cli", "--bin", "speed", "--", requestPath.pathname],
  { cwd: repo, encoding: "utf8" }));
// The budgeted ratio compares the same engine code compiled to WebAssembly
// and natively. End to end (JS objects in and out against JSON text in and
// out) is printed beside it: building a preview's ~300 JS values has no
// native counterpart.
const ratio = browserFigures.engineMicros / native.previewMicros;
const endToEnd = browserFigures.previewMicros / native.previewJsonMicros;
const sweepRatio = browserFigures.sweepMillis / native.sweepJsonMillis;
console.log(`speed: preview ${browserFigures.previewMicros.toFixed(1)} µs in Chromium, JS object to JS object (budget ${BUDGET.previewMicros} µs); native ${native.previewJsonMicros.toFixed(1)} µs JSON to JSON (end-to-end ratio ${endToEnd.toFixed(2)})`);
console.log(`speed: engine alone ${browserFigures.engineMicros.toFixed(1)} µs in WebAssembly, ${native.previewMicros.toFixed(1)} µs native (ratio ${ratio.toFixed(2)}; budget ${BUDGET.ratio})`);
console.log(`speed: sweep ${browserFigures.sweepMillis.toFixed(2)} ms in Chromium (budget ${BUDGET.sweepMillis} ms); native ${native.sweepJsonMillis.toFixed(2)} ms JSON to JSON, ${native.sweepMillis.toFixed(2)} ms engine only (end-to-end ratio ${sweepRatio.toFixed(2)})`);
console.log(`speed: estimate ${browserFigures.estimateMicros.toFixed(1)} µs in Chromium (mostly reading the plan object)`);
const over = [];
if (browserFigures.previewMicros > BUDGET.previewMicros) over.push("preview time");
if (browserFigures.sweepMillis > BUDGET.sweepMillis) over.push("sweep time");
if (ratio > BUDGET.ratio) over.push("wasm/native ratio");
if (over.length) {
  console.log(`speed: OVER budget: ${over.join(", ")}`);
  if (process.env.BUDGETS_ENFORCE === "1") process.exit(1);
}
