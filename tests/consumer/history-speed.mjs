// Speed of the training-log module (time-crunch/history) in a real browser
// (issue #15): loads pkg/history into headless Chromium through Playwright,
// times importLog and calibrate on a 1,000-session export, and the module's
// instantiation, and prints the figures and the module's size; with
// BUDGETS_ENFORCE=1 it fails when a budget is exceeded.
//
// The export: the Hevy export tests/data/exports/SIERRA711+workout-analysis
// (397 sessions, 2022–2026, one record per line) repeated with every date
// moved 8 years back per copy (a multiple of 4, so 29 February stays a
// date, and more than the 5 years the log spans, so no two sessions share a
// start), cut at 1,000 whole sessions. The script checks in Node that it
// imports as 1,000 sessions with no row skipped before timing.
//
// Each time is the median of 9 runs after 3 warm-up runs; instantiation
// (compile and instantiate from bytes already fetched, as init() does) is
// the median over 5 fresh pages, as a module instantiates once per page.
//
// Run with `node history-speed.mjs` after scripts/build-pkg.sh
// (scripts/test.sh does both).
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { CHROMIUM_LAUNCH } from "../chromium.mjs";
import { initSync, importLog } from "time-crunch/history";

const BUDGET = { importCalibrateMillis: 300 };
const SESSIONS = 1000;
const SHIFT_YEARS = 8;
const RUNS = 9;
const WARM_UPS = 3;
const PAGES = 5;

const repo = new URL("../../", import.meta.url);
const wasmPath = new URL("pkg/history/time_crunch_history_bg.wasm", repo);
const source = readFileSync(new URL("tests/data/exports/SIERRA711+workout-analysis/workout_data.csv", repo), "utf8");

/** The 1,000-session export (see the header comment). */
function thousandSessions(text) {
  const [header, ...rows] = text.split("\n");
  // One record per line: no quoted field holds a line break.
  for (const row of rows) assert.equal((row.match(/"/g) ?? []).length % 2, 0, "one record per line");
  // Rows of a session are consecutive and share start_time (the 2nd field).
  const sessions = [];
  for (const row of rows) {
    const start = /^"(?:[^"]|"")*","([^"]*)"/.exec(row)?.[1];
    assert.ok(start, `a start_time in ${row}`);
    if (sessions.at(-1)?.start !== start) sessions.push({ start, rows: [] });
    sessions.at(-1).rows.push(row);
  }
  const out = [header];
  for (let n = 0; n < SESSIONS; n++) {
    const shift = SHIFT_YEARS * Math.floor(n / sessions.length);
    // start_time and end_time, e.g. "3 Jan 2026, 17:29".
    const moved = (row) => row.replace(/"(\d{1,2} \S+ )(\d{4})(, \d{1,2}:\d{2})"/g, (_, day, year, time) => `"${day}${Number(year) - shift}${time}"`);
    out.push(...sessions[n % sessions.length].rows.map(moved));
  }
  return out.join("\n");
}

const exportText = thousandSessions(source);
initSync({ module: readFileSync(wasmPath) });
const checked = importLog(exportText);
assert.equal(checked.sessions.length, SESSIONS, "the built export holds 1,000 sessions");
assert.deepEqual(checked.skipped, [], "no row of the built export is skipped");

const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".csv": "text/csv" };
const server = createServer((req, res) => {
  if (req.url === "/") {
    res.writeHead(200, { "content-type": "text/html" });
    return res.end("<!doctype html><title>history speed</title>");
  }
  if (req.url === "/export.csv") {
    res.writeHead(200, { "content-type": types[".csv"] });
    return res.end(exportText);
  }
  try {
    const body = readFileSync(new URL(`pkg${req.url}`, repo));
    res.writeHead(200, { "content-type": types[req.url.slice(req.url.lastIndexOf("."))] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch(CHROMIUM_LAUNCH);
const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
let figures;
try {
  const instantiations = [];
  for (let p = 0; p < PAGES; p++) {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    instantiations.push(await page.evaluate(async (base) => {
      const { default: init } = await import(`${base}/history/time_crunch_history.js`);
      const bytes = await (await fetch(`${base}/history/time_crunch_history_bg.wasm`)).arrayBuffer();
      const start = performance.now();
      await init({ module_or_path: bytes });
      return performance.now() - start;
    }, base));
    if (p < PAGES - 1) await page.close();
    else {
      figures = await page.evaluate(async ({ base, runs, warmUps }) => {
        const { importLog, calibrate } = await import(`${base}/history/time_crunch_history.js`);
        const text = await (await fetch(`${base}/export.csv`)).text();
        const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
        const time = (work) => {
          for (let i = 0; i < warmUps; i++) work();
          const times = [];
          for (let i = 0; i < runs; i++) {
            const start = performance.now();
            work();
            times.push(performance.now() - start);
          }
          return median(times);
        };
        const history = importLog(text);
        return {
          sessions: history.sessions.length,
          bothMillis: time(() => calibrate(importLog(text))),
          importMillis: time(() => importLog(text)),
          calibrateMillis: time(() => calibrate(history)),
        };
      }, { base, runs: RUNS, warmUps: WARM_UPS });
    }
  }
  figures.instantiateMillis = median(instantiations);
} finally {
  await browser.close();
  server.close();
}

assert.equal(figures.sessions, SESSIONS);
// Gzipped as scripts/budgets.sh does (gzip -9), so the figures agree.
const gzipped = (path) => execFileSync("gzip", ["-9c", path.pathname], { maxBuffer: 64 << 20 }).length;
const gluePath = new URL("pkg/history/time_crunch_history.js", repo);
const kb = (bytes) => (bytes / 1024).toFixed(1);
console.log(`history speed: importLog + calibrate of ${SESSIONS} sessions (${kb(Buffer.byteLength(exportText))} KB of CSV) ${figures.bothMillis.toFixed(1)} ms in Chromium (budget ${BUDGET.importCalibrateMillis} ms)`);
console.log(`history speed: importLog ${figures.importMillis.toFixed(1)} ms, calibrate ${figures.calibrateMillis.toFixed(1)} ms`);
console.log(`history speed: instantiation of the module ${figures.instantiateMillis.toFixed(1)} ms (compile and instantiate from bytes, median of ${PAGES} pages)`);
console.log(`history size: time_crunch_history_bg.wasm ${readFileSync(wasmPath).length} bytes, ${gzipped(wasmPath)} bytes gzipped; glue ${gzipped(gluePath)} bytes gzipped`);
if (figures.bothMillis > BUDGET.importCalibrateMillis) {
  console.log("history speed: OVER budget: importLog + calibrate");
  if (process.env.BUDGETS_ENFORCE === "1") process.exit(1);
}
