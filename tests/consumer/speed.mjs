// Speed budgets of the npm package in a real browser (issue #4): loads the
// built package into headless Chromium through Playwright, times preview()
// and sweep() on a typical plan, times the same natively, prints the figures
// and fails when a budget is exceeded.
//
// Run with `node speed.mjs` after scripts/build-pkg.sh (scripts/test.sh does).
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const BUDGET = { previewMicros: 50, sweepMillis: 8, ratio: 2 };
const repo = new URL("../../", import.meta.url);
const requestPath = new URL("tests/fixtures/supersets-pull-day.request.json", repo);
const request = readFileSync(requestPath, "utf8");

const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const server = createServer((req, res) => {
  const path = req.url === "/" ? "/bench.html" : req.url;
  if (path === "/bench.html") {
    res.writeHead(200, { "content-type": "text/html" });
    return res.end("<!doctype html><title>speed</title>");
  }
  try {
    const body = readFileSync(new URL(`pkg${path}`, repo));
    res.writeHead(200, { "content-type": types[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
let browserFigures;
try {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  browserFigures = await page.evaluate(async ({ base, request }) => {
    const { default: init, preview, sweep, estimate } = await import(`${base}/time_crunch.js`);
    await init();
    const input = JSON.parse(request);
    const mean = (runs, work) => {
      for (let i = 0; i < runs / 10; i++) work();
      const start = performance.now();
      for (let i = 0; i < runs; i++) work();
      return (performance.now() - start) / runs;
    };
    return {
      previewMicros: mean(5000, () => preview(input)) * 1000,
      sweepMillis: mean(100, () => sweep(input)),
      // Reading the plan dominates estimate(): the boundary's input cost.
      estimateMicros: mean(5000, () => estimate(input.plan)) * 1000,
    };
  }, { base, request });
} finally {
  await browser.close();
  server.close();
}

const native = JSON.parse(execFileSync("cargo", ["run", "--quiet", "--release", "--example", "speed", "--", requestPath.pathname],
  { cwd: repo, encoding: "utf8" }));
// Like for like: the browser's call includes its boundary conversions, so it
// is compared with the native request-JSON-to-preview-JSON time.
const ratio = browserFigures.previewMicros / native.previewJsonMicros;
const sweepRatio = browserFigures.sweepMillis / native.sweepJsonMillis;
console.log(`speed: preview ${browserFigures.previewMicros.toFixed(1)} µs in Chromium; native ${native.previewJsonMicros.toFixed(1)} µs JSON to JSON, ${native.previewMicros.toFixed(1)} µs engine only (ratio ${ratio.toFixed(2)}; budget ${BUDGET.previewMicros} µs, ratio ${BUDGET.ratio})`);
console.log(`speed: sweep ${browserFigures.sweepMillis.toFixed(2)} ms in Chromium; native ${native.sweepJsonMillis.toFixed(2)} ms JSON to JSON, ${native.sweepMillis.toFixed(2)} ms engine only (ratio ${sweepRatio.toFixed(2)}; budget ${BUDGET.sweepMillis} ms)`);
console.log(`speed: estimate ${browserFigures.estimateMicros.toFixed(1)} µs in Chromium (mostly reading the plan object)`);
const over = [];
if (browserFigures.previewMicros > BUDGET.previewMicros) over.push("preview time");
if (browserFigures.sweepMillis > BUDGET.sweepMillis) over.push("sweep time");
if (ratio > BUDGET.ratio) over.push("wasm/native ratio");
if (over.length) {
  console.log(`speed: OVER budget: ${over.join(", ")}`);
  if (process.env.BUDGETS_ENFORCE === "1") process.exit(1);
}
