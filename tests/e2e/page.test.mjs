// End-to-end tests of the page as athletes use it: www/dist and pkg/ served
// same-origin by the real server twin, in Debian's Chromium.
//
// Run with TIME_CRUNCH_SERVER=path/to/release/server npm test (scripts/test.sh
// does, after building pkg/ and www/). Screenshots go to test-results/e2e/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { initSync, applyPreview, preview as enginePreview } from "time-crunch";
import * as history from "time-crunch/history";
import { launchBrowser, openPage, repo, shots, startServer, userKeyFor } from "./harness.mjs";

initSync({ module: readFileSync(join(repo, "pkg/time_crunch_bg.wasm")) });
history.initSync({ module: readFileSync(join(repo, "pkg/history/time_crunch_history_bg.wasm")) });

const corpusDir = join(repo, "tests/corpus");
const corpus = Object.fromEntries(
  readdirSync(corpusDir).filter((f) => f.endsWith(".plan.json")).map((f) => [f.replace(".plan.json", ""), JSON.parse(readFileSync(join(corpusDir, f), "utf8"))]),
);

// What the page shows for the engine's values (the wording users read).
const STRATEGY_LABEL = {
  full_accessory_blocks: "Full session",
  reduced_rest: "Shorter rest",
  supersets: "Supersets",
  core_plus_supersets: "Core lifts + supersets",
  core_only: "Core lifts only",
};
const minutes = (v) => `${Number.isInteger(v) ? v : v.toFixed(1)} min`;
const percent = (f) => `${Math.round(f * 100)}%`;

// The modal is the package's <time-crunch-preview-modal>: its parts live in
// an open shadow root. Playwright's CSS selectors pierce it; code evaluated in
// the page reaches them through `modal` (the shadow root).

/** The parts of the modal that must not move or resize while scrubbing. */
const STABLE = ["#tc-dialog", ".tc-head", "#tc-range", "#tc-minutes", ".tc-status-row", ".tc-stats", ".tc-hint", ".tc-timeline", ".tc-legend", ".tc-body", ".tc-foot", "#tc-apply"];
/** Text whose width follows its content, but whose start must stay put. */
const ANCHORED = [".tc-strategy", ".tc-fit", ".tc-estimated", ".tc-target", ".tc-planned"];

let server;
let browser;

before(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Boxes of the stable parts, rounded to 1/100 px. */
function boxes(page) {
  return page.evaluate(([stable, anchored]) => {
    const modal = document.querySelector("time-crunch-preview-modal").shadowRoot;
    const box = (s, whole) => {
      const r = modal.querySelector(s)?.getBoundingClientRect();
      return [s, r ? (whole ? [r.x, r.y, r.width, r.height] : [r.x, r.y]).map((n) => Math.round(n * 100) / 100) : null];
    };
    return Object.fromEntries([...stable.map((s) => box(s, true)), ...anchored.map((s) => box(s, false))]);
  }, [STABLE, ANCHORED]);
}

/** Sums layout shifts reported by Chromium's Layout Instability API from now on. */
async function watchLayoutShift(page) {
  await page.evaluate(() => {
    window.__shift = { score: 0, entries: 0, sources: [] };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__shift.score += entry.value;
        window.__shift.entries += 1;
        for (const source of entry.sources ?? []) {
          const node = source.node;
          const name = node?.nodeType === 1 ? `${node.tagName.toLowerCase()}.${node.className}` : node?.nodeName;
          window.__shift.sources.push(`${name} ${JSON.stringify(source.previousRect)} -> ${JSON.stringify(source.currentRect)}`);
        }
      }
    }).observe({ type: "layout-shift" });
  });
  return () => page.evaluate(() => window.__shift);
}

async function selectPlan(page, plan) {
  await page.selectOption("#plan-picker", { label: plan.name });
  await page.waitForFunction((name) => document.getElementById("plan-title")?.textContent === name, plan.name);
}

async function openModal(page) {
  await page.click("#crunch-open");
  await page.waitForSelector("#tc-dialog[open]");
}

/**
 * How long one step takes in the open modal (input event to updated DOM,
 * layout included), and opening again (sweep of 166 previews, plan timeline,
 * first render).
 */
function sliderTiming(page) {
  return page.evaluate(() => {
    const modal = document.querySelector("time-crunch-preview-modal").shadowRoot;
    const range = modal.querySelector("#tc-range");
    const steps = [];
    for (let v = 15; v <= 180; v++) {
      const t = performance.now();
      range.value = String(v);
      range.dispatchEvent(new Event("input", { bubbles: true }));
      void modal.querySelector(".tc-body").offsetHeight; // force layout
      steps.push(performance.now() - t);
    }
    steps.sort((a, b) => a - b);
    modal.querySelector("#tc-dialog").close();
    const t = performance.now();
    document.querySelector("#crunch-open").click();
    void modal.querySelector(".tc-body").offsetHeight;
    return { open: performance.now() - t, median: steps[steps.length >> 1], max: steps[steps.length - 1] };
  });
}

async function setMinutes(page, value) {
  await page.fill("#tc-minutes", String(value));
  await page.press("#tc-minutes", "Enter");
  await page.waitForFunction((v) => document.querySelector("time-crunch-preview-modal").shadowRoot.querySelector(".tc-target")?.textContent === `${v} min`, value);
}

/** What the modal shows, as text. */
function shown(page) {
  return page.evaluate(() => {
    const modal = document.querySelector("time-crunch-preview-modal").shadowRoot;
    const text = (s) => modal.querySelector(s)?.textContent ?? null;
    const all = (s) => [...modal.querySelectorAll(s)].map((n) => n.textContent);
    const segEnd = (track) => {
      const segs = [...track.querySelectorAll(".tl-seg")];
      const last = segs[segs.length - 1];
      return { count: segs.length, end: last ? parseFloat(last.style.left) + parseFloat(last.style.width) : 0 };
    };
    const tracks = modal.querySelectorAll(".tl-track");
    return {
      strategy: text(".tc-strategy"),
      fit: text(".tc-fit"),
      estimated: text(".tc-estimated"),
      target: text(".tc-target"),
      planned: text(".tc-planned"),
      fallback: text(".tc-fallback"),
      exercises: all(".tc-body .ex-name"),
      doses: all(".tc-body .ex-dose"),
      reasons: all(".tc-body .change-reason"),
      changedWho: all(".tc-body .change-who"),
      kept: text(".retained-total strong"),
      byMuscle: [...modal.querySelectorAll(".tc-body .bar-row")].map((row) => [row.querySelector(".bar-label").textContent, row.querySelector(".bar-value").textContent]),
      planBar: segEnd(tracks[0]),
      sessionBar: segEnd(tracks[1]),
      caption: text("#tc-timeline-caption"),
    };
  });
}

/** Compares everything the modal shows at `target` with the server's preview (with `options`, if given). Returns it. */
async function checkAgainstServer(page, plan, target, userKey, options = undefined) {
  await setMinutes(page, target);
  const { status, body: expected } = await server.preview({ plan, targetMinutes: target, ...(options ? { options } : {}) }, userKey);
  assert.equal(status, 200);
  const got = await shown(page);
  const items = expected.blocks.flatMap((b) => b.items);
  const members = items.flatMap((i) => i.exercises);
  const names = new Map(plan.blocks.flatMap((b) => b.exercises.map((e) => [e.id, e.name])));
  assert.equal(got.strategy, STRATEGY_LABEL[expected.strategy], `strategy at ${target}`);
  assert.equal(got.estimated, minutes(expected.estimatedMinutes), `estimate at ${target}`);
  assert.equal(got.target, minutes(target));
  assert.equal(got.planned, minutes(expected.originalMinutes));
  assert.equal(got.fit, expected.fits ? "✓ Fits" : `Over by ${minutes(Math.round((expected.estimatedMinutes - target) * 10) / 10)}`);
  assert.deepEqual(got.exercises, members.map((m) => m.name), `session at ${target}`);
  assert.deepEqual(got.doses.map((d) => d.split(" × ")[0]), members.map((m) => String(m.sets)), `sets at ${target}`);
  assert.deepEqual(got.reasons, expected.changes.map((c) => c.reason), `changes at ${target}`);
  assert.deepEqual(got.changedWho, expected.changes.map((c) => c.exerciseIds.map((id) => names.get(id)).join(" + ")));
  assert.equal(got.kept, percent(expected.retained.workingSets));
  const byMuscle = Object.entries(expected.retained.byMuscle).sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => percent(v));
  assert.deepEqual(got.byMuscle.map(([, v]) => v), byMuscle);
  // The picture: one segment per item, lengths in proportion to the minutes.
  assert.equal(got.sessionBar.count, items.length);
  const ratio = got.sessionBar.end / got.planBar.end;
  assert.ok(Math.abs(ratio - expected.estimatedMinutes / expected.originalMinutes) < 0.1 / expected.originalMinutes + 0.005,
    `timeline ratio ${ratio} at ${target}`);
  assert.match(got.caption, new RegExp(`This session: ${minutes(expected.estimatedMinutes)}`));
  if (expected.fits) {
    assert.equal(got.fallback, null);
  } else {
    // The fallback, in plain words.
    assert.ok(got.fallback.startsWith(`Nothing fits in ${target} min`), got.fallback);
    assert.ok(got.fallback.includes(expected.fallback.message));
    assert.ok(got.fallback.endsWith(`Use ${Math.ceil(expected.fallback.minimumMinutes)} min`), got.fallback);
  }
  return expected;
}

test("the numbers shown equal the server's parity endpoint for the same plan and target", async () => {
  const userKey = userKeyFor("parity");
  const { page, console: log, context } = await openPage(browser, server.base, { userKey });
  const plan = corpus["powerlifting-heavy"];
  await selectPlan(page, plan);
  await openModal(page);
  const strategies = new Set();
  // Tight, middle, and more than the plan needs.
  for (const target of [15, 30, 45, 60, 75, 115]) strategies.add((await checkAgainstServer(page, plan, target, userKey)).strategy);
  assert.ok(strategies.size >= 3, [...strategies].join());
  await page.keyboard.press("Escape");

  // No sample plan is too long for 15 minutes; one where every exercise is a
  // core lift is (about 35 minutes at least). Pasted as a saved preview
  // request, which the page accepts for its plan.
  const own = structuredClone(plan);
  own.name = "Every lift is core";
  for (const block of own.blocks) for (const ex of block.exercises) ex.priority = "core";
  await page.click("#own-plan summary");
  await page.fill("#plan-json", JSON.stringify({ plan: own, targetMinutes: 20 }));
  await page.click("text=Show this plan");
  await page.waitForFunction((name) => document.getElementById("plan-title").textContent === name, own.name);
  await openModal(page);
  const fallback = await checkAgainstServer(page, own, 20, userKey);
  assert.equal(fallback.fits, false);
  await page.screenshot({ path: join(shots, "modal-fallback.png") });
  // One click to the shortest target that fits.
  await page.click("#tc-use-minimum");
  const enough = Math.ceil(fallback.fallback.minimumMinutes);
  assert.equal(await page.inputValue("#tc-minutes"), String(enough));
  assert.equal(await page.evaluate(() => (() => { let a = document.activeElement; while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement; return a; })().id), "tc-range");
  assert.equal((await checkAgainstServer(page, own, enough, userKey)).fits, true);
  assert.deepEqual(log, []);
  await context.close();
});

test("scrubbing by keyboard and pointer: the preview follows every step and nothing moves", async () => {
  const { page, console: log, context } = await openPage(browser, server.base, { userKey: userKeyFor("scrub") });
  await selectPlan(page, corpus["athletic-performance"]);
  await openModal(page);
  await page.screenshot({ path: join(shots, "modal-desktop.png") });
  const shift = await watchLayoutShift(page);
  const start = await boxes(page);
  const seen = new Set();

  // Keyboard: Home, then one minute at a time to the end.
  await page.focus("#tc-range");
  await page.keyboard.press("Home");
  for (let value = 15; value <= 180; value++) {
    if (value > 15) await page.keyboard.press("ArrowRight");
    const state = await page.evaluate(() => {
      const modal = document.querySelector("time-crunch-preview-modal").shadowRoot;
      return {
        range: modal.querySelector("#tc-range").value,
        number: modal.querySelector("#tc-minutes").value,
        target: modal.querySelector(".tc-target").textContent,
        valuetext: modal.querySelector("#tc-range").getAttribute("aria-valuetext"),
        estimated: modal.querySelector(".tc-estimated").textContent,
      };
    });
    assert.deepEqual([state.range, state.number, state.target], [String(value), String(value), `${value} min`]);
    assert.ok(state.valuetext.startsWith(`${value} minutes: `));
    seen.add(state.estimated);
    if (value % 15 === 0) assert.deepEqual(await boxes(page), start, `boxes moved at ${value} min (keyboard)`);
  }
  assert.ok(seen.size > 10, `the estimate followed the slider (${seen.size} values)`);

  // Pointer: press on the track and drag across it.
  const track = await page.locator("#tc-range").boundingBox();
  const y = track.y + track.height / 2;
  await page.mouse.move(track.x + 4, y);
  await page.mouse.down();
  const values = new Set();
  for (let i = 0; i <= 40; i++) {
    await page.mouse.move(track.x + 4 + ((track.width - 8) * i) / 40, y);
    const v = await page.inputValue("#tc-minutes");
    assert.equal(await page.textContent(".tc-target"), `${v} min`);
    values.add(v);
    if (i % 10 === 0) assert.deepEqual(await boxes(page), start, `boxes moved during the drag (step ${i})`);
  }
  await page.mouse.up();
  assert.ok(values.size >= 30, `the drag moved the value through ${values.size} values`);
  assert.ok(values.has("15") && values.has("180"));

  const timing = await sliderTiming(page);
  console.log(`# one slider step: median ${timing.median.toFixed(2)} ms, max ${timing.max.toFixed(2)} ms; opening: ${timing.open.toFixed(1)} ms`);
  // "No waiting": a step fits in one 60 Hz frame.
  assert.ok(timing.median < 16, `slider step median ${timing.median} ms`);

  const { score, entries, sources } = await shift();
  console.log(`# layout shift while scrubbing (Layout Instability API): score ${score.toFixed(4)} in ${entries} entries`);
  assert.equal(score, 0, sources.slice(0, 5).join("\n"));
  assert.deepEqual(log, []);
  await context.close();
});

test("apply: the download and the clipboard hold the translated plan, and the workout shows it", async () => {
  const userKey = userKeyFor("apply");
  const { page, console: log, context } = await openPage(browser, server.base, {
    userKey, permissions: ["clipboard-read", "clipboard-write"],
  });
  const plan = corpus["upper-pull-hypertrophy"];
  await selectPlan(page, plan);
  await openModal(page);
  await setMinutes(page, 35);
  const { body: expected } = await server.preview({ plan, targetMinutes: 35 }, userKey);
  const translated = applyPreview(expected);

  await page.click("#tc-apply");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#tc-download")]);
  assert.equal(download.suggestedFilename(), "upper-pull-hypertrophy-35min.plan.json");
  const file = readFileSync(await download.path(), "utf8");
  assert.deepEqual(JSON.parse(file), translated);

  await page.click("#tc-copy");
  await page.waitForFunction(() => document.querySelector("time-crunch-preview-modal").shadowRoot.querySelector("#tc-copy")?.textContent === "Copied ✓");
  assert.equal(await page.textContent("#tc-download"), "Download JSON");
  assert.deepEqual(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())), translated);
  await page.screenshot({ path: join(shots, "modal-applied.png") });

  await page.click("#tc-done");
  await page.waitForSelector("#tc-dialog:not([open])", { state: "attached" });
  // The workout screen now shows the applied session.
  const names = await page.$$eval("#plan-blocks .ex-name", (nodes) => nodes.map((n) => n.textContent));
  assert.deepEqual(names, translated.blocks.flatMap((b) => b.exercises.map((e) => e.name)));
  assert.equal(await page.$eval("#plan-picker", (s) => s.selectedOptions[0].textContent), `35 min: ${plan.name}`);
  assert.deepEqual(log, []);
  await context.close();
});

test("telemetry: flag evaluated, opening, a settled preview and applying arrive at the server for this user", async () => {
  const userKey = userKeyFor("telemetry");
  const { page, console: log, context } = await openPage(browser, server.base, { userKey });
  await openModal(page);
  // A fast scrub over 30 minutes must not send one event per step.
  await page.focus("#tc-range");
  for (let i = 0; i < 30; i++) await page.keyboard.press("ArrowLeft");
  const settled = Number(await page.inputValue("#tc-minutes"));
  await page.waitForTimeout(700); // longer than the settle delay
  await page.click("#tc-apply");

  let mine = [];
  for (let i = 0; i < 100; i++) {
    mine = (await server.telemetry()).filter((e) => e.userKey === userKey);
    if (mine.some((e) => e.type === "preview_applied")) break;
    await page.waitForTimeout(100);
  }
  const types = mine.map((e) => e.type);
  assert.ok(types.includes("modal_opened"), types.join());
  // The package's client reports the flag it evaluated for this page.
  assert.ok(mine.some((e) => e.type === "flag_evaluated" && e.flagValue === true), types.join());
  const generated = mine.filter((e) => e.type === "preview_generated");
  assert.ok(generated.length >= 1 && generated.length <= 3, `${generated.length} preview_generated for one scrub`);
  const last = generated[generated.length - 1];
  assert.equal(last.targetMinutes, settled);
  assert.ok(typeof last.strategy === "string" && typeof last.fits === "boolean" && last.generationMs >= 0);
  const applied = mine.find((e) => e.type === "preview_applied");
  assert.ok(applied, types.join());
  assert.equal(applied.targetMinutes, settled);
  assert.equal(new Set(mine.map((e) => e.sessionId)).size, 1);
  assert.deepEqual(log, []);
  await context.close();
});

test("flag off through the admin API: after a reload the action is absent and the console is silent; on again: back", async () => {
  const userKey = userKeyFor("flag");
  try {
    await server.setFlag({ enabled: false });
    const off = await openPage(browser, server.base, { userKey });
    assert.equal(await off.page.getAttribute("html", "data-time-crunch"), "unavailable");
    assert.equal(await off.page.isVisible("#crunch-open"), false);
    // The rest of the page works: plans switch, an own plan can be shown.
    await selectPlan(off.page, corpus["lower-strength"]);
    assert.ok((await off.page.$$("#plan-blocks .exercise")).length > 3);
    await off.page.screenshot({ path: join(shots, "flag-off.png"), fullPage: true });
    assert.deepEqual(off.console, []);
    await off.context.close();
  } finally {
    await server.setFlag({ enabled: true, rolloutPercent: 100 });
  }
  const on = await openPage(browser, server.base, { userKey });
  assert.equal(await on.page.isVisible("#crunch-open"), true);
  await on.context.close();
});

test("server unreachable: the page works without the action and throws nothing", async () => {
  const { page, console: log, context } = await (async () => {
    const context = await browser.newContext();
    await context.route("**/v1/**", (route) => route.abort("connectionrefused"));
    const page = await context.newPage();
    const log = [];
    page.on("console", (m) => log.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
    await page.goto(`${server.base}/`);
    await page.waitForSelector("html[data-time-crunch]", { state: "attached" });
    return { page, console: log, context };
  })();
  assert.equal(await page.getAttribute("html", "data-time-crunch"), "unavailable");
  assert.equal(await page.isVisible("#crunch-open"), false);
  await selectPlan(page, corpus["bodyweight-home"]);
  // Chromium itself reports the refused connection of the flag request; the
  // page adds nothing of its own (no errors, no warnings, no logs).
  const own = log.filter((line) => !/^error: Failed to load resource: net::ERR_CONNECTION_REFUSED$/.test(line));
  assert.deepEqual(own, []);
  console.log(`# browser network messages while unreachable: ${log.length - own.length}`);
  await context.close();
});

test("bad upload: the engine's typed error is shown inline and the text is kept", async () => {
  const { page, console: log, context } = await openPage(browser, server.base, { userKey: userKeyFor("upload") });
  const plan = structuredClone(corpus["full-body-beginner"]);
  plan.blocks[1].exercises[0].sets = 0;
  const text = JSON.stringify(plan, null, 2);
  const titleBefore = await page.textContent("#plan-title");
  await page.click("#own-plan summary");
  await page.setInputFiles("#plan-file", { name: "bad.plan.json", mimeType: "application/json", buffer: Buffer.from(text) });
  await page.waitForSelector("#plan-json-error .form-error-code");
  const error = await page.evaluate(() => ({
    code: document.querySelector(".form-error-code").textContent,
    path: document.querySelector(".form-error-path")?.textContent,
    message: document.querySelector(".form-error-message").textContent,
    role: document.getElementById("plan-json-error").getAttribute("role"),
    invalid: document.getElementById("plan-json").getAttribute("aria-invalid"),
    describedBy: document.getElementById("plan-json").getAttribute("aria-describedby").split(" "),
    kept: document.getElementById("plan-json").value,
  }));
  assert.deepEqual({ code: error.code, path: error.path, message: error.message },
    { code: "invalid_plan", path: "blocks[1].exercises[0].sets", message: "sets must be a whole number from 1 to 20" });
  assert.equal(error.role, "alert");
  assert.equal(error.invalid, "true");
  assert.ok(error.describedBy.includes("plan-json-error"));
  assert.equal(error.kept, text);
  // The plan on screen did not change.
  assert.equal(await page.textContent("#plan-title"), titleBefore);
  await page.screenshot({ path: join(shots, "bad-upload.png"), fullPage: true });

  // Not JSON at all: a typed error too.
  await page.fill("#plan-json", "{ \"id\": ");
  await page.click("text=Show this plan");
  assert.equal(await page.textContent(".form-error-code"), "invalid_json");

  // Fixed in place, the plan is shown and the error is gone.
  plan.blocks[1].exercises[0].sets = 3;
  await page.fill("#plan-json", JSON.stringify(plan));
  await page.click("text=Show this plan");
  await page.waitForFunction((name) => document.getElementById("plan-title").textContent === name, plan.name);
  assert.equal(await page.getAttribute("#plan-json", "aria-invalid"), null);
  assert.equal(await page.isVisible("#plan-json-error"), false);
  assert.deepEqual(log, []);
  await context.close();
});

test("untrusted plan and exercise names are rendered as text, never as HTML", async () => {
  const { page, console: log, context } = await openPage(browser, server.base, { userKey: userKeyFor("xss") });
  const plan = structuredClone(corpus["upper-push-hypertrophy"]);
  plan.name = "<img src=x onerror=window.__xss=1>";
  plan.blocks[0].name = "<b onmouseover=window.__xss=2>warm</b>";
  for (const block of plan.blocks) for (const ex of block.exercises) ex.name = `<img src=y onerror=window.__xss=3>${ex.id}`;
  await page.click("#own-plan summary");
  await page.fill("#plan-json", JSON.stringify(plan));
  await page.click("text=Show this plan");
  await page.waitForFunction((name) => document.getElementById("plan-title").textContent === name, plan.name);
  await openModal(page);
  await setMinutes(page, 25); // exercises removed: names appear in the changes too
  const result = await page.evaluate(() => {
    const modal = document.querySelector("time-crunch-preview-modal").shadowRoot;
    return {
      images: document.querySelectorAll("img, b").length + modal.querySelectorAll("img, b").length,
      xss: window.__xss ?? null,
      option: document.getElementById("plan-picker").selectedOptions[0].textContent,
      modalName: modal.querySelector(".tc-plan-name").textContent,
      anyName: modal.querySelector(".tc-body .ex-name").textContent,
      changed: modal.querySelector(".tc-body .change-who")?.textContent ?? "",
    };
  });
  assert.equal(result.images, 0);
  assert.equal(result.xss, null);
  assert.equal(result.option, `Your plan: ${plan.name}`);
  assert.equal(result.modalName, plan.name);
  assert.match(result.anyName, /^<img src=y onerror=window.__xss=3>/);
  assert.match(result.changed, /<img src=y/);
  await page.screenshot({ path: join(shots, "untrusted-names.png") });
  assert.deepEqual(log, []);
  await context.close();
});

test("keyboard only: reach the action, scrub, apply, focus stays in the dialog and returns on Escape", async () => {
  const { page, console: log, context } = await openPage(browser, server.base, { userKey: userKeyFor("keys") });
  const active = () => page.evaluate(() => {
    const a = (() => { let a = document.activeElement; while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement; return a; })();
    return { id: a?.id ?? "", text: a?.textContent?.trim() ?? "", inDialog: !!a?.closest("dialog") };
  });
  // Tab from the top of the page to the action.
  let found = false;
  for (let i = 0; i < 10 && !found; i++) {
    await page.keyboard.press("Tab");
    found = (await active()).id === "crunch-open";
  }
  assert.ok(found, "Tab reaches “Short on time?”");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#tc-dialog[open]");
  assert.equal((await active()).id, "tc-range", "focus starts on the slider");
  const before = await page.inputValue("#tc-minutes");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  assert.equal(Number(await page.inputValue("#tc-minutes")), Number(before) - 2);
  await page.keyboard.press("PageDown");
  assert.ok(Number(await page.inputValue("#tc-minutes")) < Number(before) - 2);

  // Tab and Shift+Tab go round the dialog and never leave it.
  const stops = new Set();
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press("Tab");
    const a = await active();
    assert.ok(a.inDialog, `Tab ${i + 1} left the dialog (${a.id || a.text})`);
    stops.add(a.id || a.text);
  }
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press("Shift+Tab");
    assert.ok((await active()).inDialog, `Shift+Tab ${i + 1} left the dialog`);
  }
  for (const stop of ["×", "tc-range", "tc-minutes", "tc-details", "Cancel", "tc-apply"]) {
    assert.ok(stops.has(stop), `${stop} is reachable by Tab (${[...stops].join(", ")})`);
  }

  // Apply with the keyboard: focus moves to the download.
  while ((await active()).id !== "tc-apply") await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  assert.equal((await active()).id, "tc-download");
  await page.screenshot({ path: join(shots, "keyboard-applied.png") });

  await page.keyboard.press("Escape");
  await page.waitForSelector("#tc-dialog:not([open])", { state: "attached" });
  assert.equal((await active()).id, "crunch-open", "focus returns to the action");
  assert.deepEqual(log, []);
  await context.close();
});

test("phone width (360 px): nothing overflows, everything is reachable, nothing moves while scrubbing", async () => {
  const { page, console: log, context } = await openPage(browser, server.base, {
    userKey: userKeyFor("phone"), viewport: { width: 360, height: 740 },
  });
  const overflow = () => page.evaluate(() => {
    const modal = document.querySelector("time-crunch-preview-modal")?.shadowRoot;
    const wide = [...document.querySelectorAll("body *"), ...(modal?.querySelectorAll("*") ?? [])].filter((n) => {
      const r = n.getBoundingClientRect();
      return r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5) && !n.closest(".visually-hidden");
    }).map((n) => n.className || n.tagName);
    return { scroll: document.documentElement.scrollWidth, wide };
  });
  await selectPlan(page, corpus["long-bodybuilding-arms-shoulders"]);
  assert.deepEqual(await overflow(), { scroll: 360, wide: [] });
  await page.screenshot({ path: join(shots, "phone-workout.png"), fullPage: true });

  await openModal(page);
  assert.deepEqual(await overflow(), { scroll: 360, wide: [] });
  for (const selector of ["#tc-range", "#tc-minutes", "#tc-apply", ".tc-timeline"]) {
    const box = await page.locator(selector).boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360 && box.y >= 0 && box.y + box.height <= 740, `${selector} on screen`);
  }
  await page.screenshot({ path: join(shots, "phone-modal.png") });

  const start = await boxes(page);
  const shift = await watchLayoutShift(page);
  await page.focus("#tc-range");
  await page.keyboard.press("Home");
  for (let i = 0; i < 165; i += 5) {
    for (let k = 0; k < 5; k++) await page.keyboard.press("ArrowRight");
    assert.deepEqual(await boxes(page), start, `boxes moved at ${await page.inputValue("#tc-minutes")} min`);
  }
  const { score, sources } = await shift();
  console.log(`# layout shift while scrubbing at 360 px: score ${score.toFixed(4)}`);
  assert.equal(score, 0, sources.slice(0, 5).join("\n"));
  await setMinutes(page, 15);
  await page.screenshot({ path: join(shots, "phone-modal-15min.png") });
  await page.click("#tc-apply");
  assert.deepEqual(await overflow(), { scroll: 360, wide: [] });
  // The result's buttons take the place of Apply's row: the footer keeps its size.
  assert.deepEqual((await boxes(page))[".tc-foot"], start[".tc-foot"]);
  await page.screenshot({ path: join(shots, "phone-applied.png") });
  assert.deepEqual(log, []);
  await context.close();
});

// ---- "Use your training log" ----------------------------------------------

const exportsDir = join(repo, "tests/data/exports");
const STRONG = join(exportsDir, "breinsp+strong-charts/strong.csv");
const HEVY = join(exportsDir, "SIERRA711+workout-analysis/workout_data.csv");
const PACE_NOTE = "Personal estimate: timed at your pace from your training log";
const isHistoryRequest = (url) => /time_crunch_history/.test(url);

/** The summary's first sentence as the page words it, from the module's own calibration. */
function headline(calibration) {
  const change = Math.round((calibration.actualToPlanned - 1) * 100);
  const runs = change === 0 ? "about as long as planned" : `about ${Math.abs(change)}% ${change > 0 ? "longer" : "shorter"} than planned`;
  const factor = Math.round(calibration.pace.restFactor * 10) / 10;
  return `Your ${calibration.used.length} sessions run ${runs}; you rest about ${factor}× the planned rest. Estimates below use your pace.`;
}

/** The page's label of a logged session in the picker. */
const sessionLabel = (s) => `${s.start.replace("T", " ").slice(0, 16)} · ${s.name} · ${Math.round(s.actualMinutes)} min`;
/** The plan id the page gives a logged session's plan. */
const planIdOf = (s) => `log-${s.start.slice(0, 10)}`;

/** Uploads a training log; resolves when the page has answered (summary or error), with the milliseconds it took. */
async function uploadLog(page, files) {
  if (!(await page.$eval("#training-log", (d) => d.open))) await page.click("#training-log summary");
  const started = Date.now();
  await page.setInputFiles("#log-file", files);
  await page.waitForFunction(() => !document.getElementById("log-summary").textContent.startsWith("Reading"));
  return Date.now() - started;
}

function logSummary(page) {
  return page.evaluate(() => ({
    headline: document.querySelector("#log-summary .log-headline")?.textContent ?? null,
    facts: document.querySelector("#log-summary .log-facts")?.textContent ?? null,
    skipped: [...document.querySelectorAll("#log-summary .log-skipped li")].map((li) => li.textContent),
    role: document.getElementById("log-summary").getAttribute("role"),
    error: document.querySelector("#log-error .form-error-code")?.textContent ?? null,
    pickShown: !document.querySelector(".log-pick").hidden,
  }));
}

async function useLoggedSession(page, index, session) {
  await page.selectOption("#log-session", String(index));
  await page.click("#log-use");
  if (session) await page.waitForFunction((name) => document.getElementById("plan-title").textContent === name, session.name);
}

/** Waits until the server holds an event of `type` for this user; returns it. */
async function telemetryEvent(page, userKey, type) {
  for (let i = 0; i < 100; i++) {
    const found = (await server.telemetry()).find((e) => e.userKey === userKey && e.type === type);
    if (found) return found;
    await page.waitForTimeout(100);
  }
  assert.fail(`no ${type} for ${userKey}`);
}

test("training log (Strong): loaded only on upload; the summary, a past session as today's plan, the modal at the athlete's pace, and Finished", async () => {
  const userKey = userKeyFor("log-strong");
  const { page, console: log, context, requests } = await openPage(browser, server.base, { userKey });
  await page.waitForLoadState("networkidle");
  assert.deepEqual(requests.filter(isHistoryRequest), [], "the first load does not fetch the training-log module");

  const logged = history.importLog(readFileSync(STRONG, "utf8"));
  const calibration = history.calibrate(logged);
  assert.equal(logged.sessions.length, 129);
  const { pace } = calibration;
  assert.ok(enginePreview({ plan: corpus["lower-strength"], targetMinutes: 30, options: { pace } }).pace, "the log gives a personal pace");

  const ms = await uploadLog(page, STRONG);
  const fetched = requests.filter(isHistoryRequest).map((url) => url.split("/").pop());
  assert.ok(fetched.some((f) => /^time_crunch_history-[\w-]+\.js$/.test(f)), fetched.join());
  assert.ok(fetched.some((f) => /^time_crunch_history_bg-[\w-]+\.wasm$/.test(f)), fetched.join());

  const summary = await logSummary(page);
  assert.equal(summary.headline, headline(calibration));
  assert.match(summary.headline, /^Your \d+ sessions run about \d+% (longer|shorter) than planned; you rest about \d+(\.\d)?× the planned rest\. Estimates below use your pace\.$/);
  const leftOut = calibration.leftOut.length;
  assert.ok(summary.facts.startsWith(`Fitted on ${calibration.used.length} of 129 sessions${leftOut > 0 ? `; ${leftOut} left out (` : "."}`), summary.facts);
  assert.ok(summary.facts.endsWith("Every row was read."), summary.facts);
  assert.deepEqual(summary.skipped, []);
  assert.equal(summary.role, "status");
  assert.equal(summary.error, null);
  console.log(`# training log, Strong export (129 sessions, ${fetched.length} module requests): upload to summary ${ms} ms`);
  console.log(`# ${summary.headline} ${summary.facts}`);

  // The picker: every session, newest first.
  const options = await page.$$eval("#log-session option", (nodes) => nodes.map((n) => [n.value, n.textContent]));
  assert.equal(options.length, 129);
  assert.deepEqual(options[0], ["128", sessionLabel(logged.sessions[128])]);
  assert.deepEqual(options[128], ["0", sessionLabel(logged.sessions[0])]);
  await page.screenshot({ path: join(shots, "training-log-summary.png"), fullPage: true });

  // The newest session: every name matched, so no questions.
  const session = logged.sessions[128];
  const made = history.planFromSession(session, planIdOf(session));
  assert.deepEqual(made.unmatched, []);
  await useLoggedSession(page, 128, session);
  assert.equal(await page.isVisible("#log-describe"), false);
  const plan = made.plan;
  assert.deepEqual(await page.$$eval("#plan-blocks .ex-name", (nodes) => nodes.map((n) => n.textContent)),
    plan.blocks.flatMap((b) => b.exercises.map((e) => e.name)));
  assert.equal(await page.$eval("#plan-picker", (s) => s.selectedOptions[0].textContent), `From your log: ${session.name}`);
  const atPace = enginePreview({ plan, targetMinutes: 60, options: { pace } });
  const standard = enginePreview({ plan, targetMinutes: 60 });
  assert.notEqual(atPace.originalMinutes, standard.originalMinutes);
  assert.ok((await page.textContent("#plan-meta")).endsWith(`about ${minutes(atPace.originalMinutes)} at your pace`));

  // "Short on time?": the sweep is timed at the pace and says so.
  await openModal(page);
  assert.equal(await page.isVisible("#tc-pace"), true);
  assert.equal(await page.textContent("#tc-pace"), PACE_NOTE);
  for (const target of [30, 60, 90]) {
    const expected = await checkAgainstServer(page, plan, target, userKey, { pace });
    assert.deepEqual(expected.pace, pace);
  }
  // The same figure as the package's own preview with that pace.
  await setMinutes(page, 60);
  assert.equal(await page.textContent(".tc-estimated"), minutes(atPace.estimatedMinutes));
  assert.equal(await page.textContent(".tc-planned"), minutes(atPace.originalMinutes));
  await page.screenshot({ path: join(shots, "training-log-modal.png") });

  // Apply, train, and say how long it took.
  await setMinutes(page, 45);
  const { body: applied } = await server.preview({ plan, targetMinutes: 45, options: { pace } }, userKey);
  await page.click("#tc-apply");
  await page.click("#tc-done");
  await page.waitForSelector("#tc-dialog:not([open])", { state: "attached" });
  assert.equal(await page.isVisible("#finished"), true);
  await page.fill("#finished-minutes", "52");
  await page.click("#finished-log");
  await page.waitForFunction(() => document.getElementById("finished-note").textContent.startsWith("Logged"));
  assert.equal(await page.textContent("#finished-note"), "Logged: 52 min for a 45 min target.");
  const completed = await telemetryEvent(page, userKey, "session_completed");
  assert.deepEqual(
    { actual: completed.actualMinutes, target: completed.targetMinutes, estimated: completed.estimatedMinutes, strategy: completed.strategy },
    { actual: 52, target: 45, estimated: applied.estimatedMinutes, strategy: applied.strategy },
  );
  await page.screenshot({ path: join(shots, "training-log-finished.png"), fullPage: true });
  // Another plan on screen: the control belongs to the applied session only.
  await selectPlan(page, corpus["athletic-performance"]);
  assert.equal(await page.isVisible("#finished"), false);
  // A sample plan is timed at the pace too; each new step times its picture through the engine at the pace.
  await openModal(page);
  assert.equal(await page.textContent("#tc-pace"), PACE_NOTE);
  const timing = await sliderTiming(page);
  console.log(`# one slider step at the athlete's pace (athletic-performance): median ${timing.median.toFixed(2)} ms, max ${timing.max.toFixed(2)} ms; opening: ${timing.open.toFixed(1)} ms`);
  await page.keyboard.press("Escape");
  assert.deepEqual(log, []);
  await context.close();
});

test("training log (Hevy): unmatched exercises are asked about, and the answers are in today's plan and its previews", async () => {
  const userKey = userKeyFor("log-hevy");
  const { page, console: log, context } = await openPage(browser, server.base, { userKey });
  const logged = history.importLog(readFileSync(HEVY, "utf8"));
  const calibration = history.calibrate(logged);
  const { pace } = calibration;
  const ms = await uploadLog(page, HEVY);
  const summary = await logSummary(page);
  assert.equal(summary.headline, headline(calibration));
  assert.ok(summary.facts.startsWith(`Fitted on ${calibration.used.length} of ${logged.sessions.length} sessions`), summary.facts);
  console.log(`# training log, Hevy export (${logged.sessions.length} sessions): upload to summary ${ms} ms; ${summary.headline}`);

  // The newest session with a name the database does not know.
  const index = logged.sessions.findLastIndex((s) => history.planFromSession(s, "probe").unmatched.length > 0);
  const session = logged.sessions[index];
  const made = history.planFromSession(session, planIdOf(session));
  const titleBefore = await page.textContent("#plan-title");
  await useLoggedSession(page, index, null);
  await page.waitForSelector("#log-describe:not([hidden])");
  // Nothing changes until the athlete confirms.
  assert.equal(await page.textContent("#plan-title"), titleBefore);
  const questions = await page.$$eval("#log-describe fieldset", (sets) => sets.map((set) => ({
    name: set.querySelector("legend").textContent,
    values: [...set.querySelectorAll("select")].map((s) => s.value),
    labels: [...set.querySelectorAll("label")].map((l) => l.textContent),
    choices: [...set.querySelectorAll("select")].map((s) => s.options.length),
  })));
  const exercises = new Map(made.plan.blocks.flatMap((b) => b.exercises.map((e) => [e.id, e])));
  assert.deepEqual(questions.map((q) => q.name), made.unmatched.map((u) => u.name));
  for (const [i, u] of made.unmatched.entries()) {
    const placeholder = exercises.get(u.exerciseIds[0]);
    assert.deepEqual(questions[i].values, [placeholder.pattern, placeholder.muscles[0], placeholder.equipment], u.name);
    assert.deepEqual(questions[i].labels, ["Movement", "Main muscle", "Equipment"]);
    // Every value of the engine's types: 12 patterns, 19 muscles, 8 kinds of equipment.
    assert.deepEqual(questions[i].choices, [12, 19, 8]);
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), "log-u0-pattern", "focus moves to the first question");
  await page.screenshot({ path: join(shots, "training-log-questions.png"), fullPage: true });
  // At 360 px wide too, nothing of the section overflows.
  await page.setViewportSize({ width: 360, height: 740 });
  const wide = await page.evaluate(() => [...document.querySelectorAll("#training-log *")]
    .filter((n) => { const r = n.getBoundingClientRect(); return r.width > 0 && (r.right > innerWidth + 0.5 || r.left < -0.5); })
    .map((n) => n.id || n.className || n.tagName));
  assert.deepEqual({ scroll: await page.evaluate(() => document.documentElement.scrollWidth), wide }, { scroll: 360, wide: [] });
  await page.screenshot({ path: join(shots, "training-log-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Answer (a landmine press: a vertical push for the front delts, with a barbell) and confirm.
  const answer = { pattern: "vertical_push", muscle: "front_delts", equipment: "barbell" };
  for (const i of made.unmatched.keys()) {
    await page.selectOption(`#log-u${i}-pattern`, answer.pattern);
    await page.selectOption(`#log-u${i}-muscle`, answer.muscle);
    await page.selectOption(`#log-u${i}-equipment`, answer.equipment);
  }
  await page.click("#log-describe-use");
  await page.waitForFunction((name) => document.getElementById("plan-title").textContent === name, session.name);
  assert.equal(await page.isVisible("#log-describe"), false);
  const plan = structuredClone(made.plan);
  for (const block of plan.blocks) {
    for (const ex of block.exercises) {
      if (!made.unmatched.some((u) => u.exerciseIds.includes(ex.id))) continue;
      Object.assign(ex, { pattern: answer.pattern, muscles: [answer.muscle], equipment: answer.equipment });
    }
  }
  assert.deepEqual(await page.$$eval("#plan-blocks .ex-name", (nodes) => nodes.map((n) => n.textContent)),
    plan.blocks.flatMap((b) => b.exercises.map((e) => e.name)));

  await openModal(page);
  assert.equal(await page.textContent("#tc-pace"), PACE_NOTE);
  // The retained volume per muscle shows the answered muscle.
  for (const target of [20, 35]) await checkAgainstServer(page, plan, target, userKey, { pace });
  // Applied, the plan carries the answers.
  await setMinutes(page, 35);
  const { body: expected } = await server.preview({ plan, targetMinutes: 35, options: { pace } }, userKey);
  await page.click("#tc-apply");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#tc-download")]);
  const file = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.deepEqual(file, applyPreview(expected));
  const answered = file.blocks.flatMap((b) => b.exercises).filter((e) => made.unmatched.some((u) => u.exerciseIds.includes(e.id)));
  for (const ex of answered) assert.deepEqual([ex.pattern, ex.muscles, ex.equipment], [answer.pattern, [answer.muscle], answer.equipment]);
  await page.screenshot({ path: join(shots, "training-log-hevy-modal.png") });
  assert.deepEqual(log, []);
  await context.close();
});

test("training log: bad uploads show their typed error inline and break nothing; a short log keeps the standard pace", async () => {
  const userKey = userKeyFor("log-bad");
  const { page, console: log, context } = await openPage(browser, server.base, { userKey });
  const titleBefore = await page.textContent("#plan-title");
  const error = () => page.evaluate(() => ({
    code: document.querySelector("#log-error .form-error-code")?.textContent ?? null,
    line: document.querySelector("#log-error .form-error-line")?.textContent ?? null,
    message: document.querySelector("#log-error .form-error-message")?.textContent ?? null,
    role: document.getElementById("log-error").getAttribute("role"),
    invalid: document.getElementById("log-file").getAttribute("aria-invalid"),
  }));
  const csv = (name, text) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
  const strong = readFileSync(STRONG, "utf8").split("\n");
  const cases = [
    ["contacts.csv", "name,email\nAda,ada@example.com\n"],
    ["empty.csv", ""],
    ["broken.csv", [strong[0], strong[1], strong[2], "2021-02-10 16:46:13,\"Mittwoch,2h 18m,Bench"].join("\n")],
  ];
  for (const [name, text] of cases) {
    let expected;
    try {
      history.importLog(text);
    } catch (thrown) {
      expected = thrown;
    }
    assert.ok(expected, `${name} is refused by the module`);
    await uploadLog(page, csv(name, text));
    const shown = await error();
    assert.deepEqual(shown, {
      code: expected.code, line: expected.line === undefined ? null : String(expected.line), message: expected.message, role: "alert", invalid: "true",
    }, name);
    const summary = await logSummary(page);
    assert.equal(summary.headline, null);
    assert.equal(summary.pickShown, false);
    assert.equal(await page.textContent("#plan-title"), titleBefore);
  }
  assert.deepEqual((await error()).code, "broken_csv");
  await page.screenshot({ path: join(shots, "training-log-bad-upload.png"), fullPage: true });

  // The rest of the page works: the modal opens, at the standard pace, with no personal note.
  await openModal(page);
  assert.equal(await page.isVisible("#tc-pace"), false);
  await checkAgainstServer(page, Object.values(corpus).find((p) => p.name === titleBefore), 30, userKey);
  await page.keyboard.press("Escape");

  // Three sessions (too few for a pace), two rows that cannot be read, and
  // names that look like HTML: the sessions are still usable.
  const dates = [...new Set(strong.slice(1).map((line) => line.split(",")[0]))].slice(0, 3);
  const rows = strong.slice(1).filter((line) => dates.includes(line.split(",")[0]))
    .map((line) => line.replace("\"Mittwoch\"", "\"<img src=x onerror=window.__xss=1>\"").replace("\"Bench Press (Barbell)\"", "\"<b onmouseover=window.__xss=2>Zorbl</b>\""));
  rows.splice(3, 0, "garbage,row,here");
  rows.splice(7, 0, "2021-02-10 16:46:13,Foo,1h,Bench,1,60,5,,,,");
  const short = [strong[0], ...rows].join("\n");
  const logged = history.importLog(short);
  assert.equal(logged.sessions.length, 3);
  assert.equal(logged.skipped.length, 2);
  let tooLittle;
  try {
    history.calibrate(logged);
  } catch (thrown) {
    tooLittle = thrown;
  }
  assert.equal(tooLittle?.code, "not_enough_history");
  await uploadLog(page, csv("short.csv", short));
  const summary = await logSummary(page);
  assert.deepEqual(await error(), { code: null, line: null, message: null, role: "alert", invalid: null });
  assert.equal(summary.headline, `Not enough history for a personal pace: ${tooLittle.message}. Estimates below use the standard pace.`);
  assert.equal(summary.facts, "3 sessions read. 2 rows could not be read.");
  assert.deepEqual(summary.skipped, logged.skipped.map((row) => `Line ${row.line}: ${row.reason}`));
  await page.click("#log-summary .log-skipped summary");
  await page.screenshot({ path: join(shots, "training-log-short.png"), fullPage: true });

  // The first session, with its HTML-looking names, as today's plan.
  const session = logged.sessions[0];
  const made = history.planFromSession(session, planIdOf(session));
  await useLoggedSession(page, 0, null);
  if (made.unmatched.length > 0) {
    await page.waitForSelector("#log-describe:not([hidden])");
    assert.deepEqual(await page.$$eval("#log-describe legend", (nodes) => nodes.map((n) => n.textContent)), made.unmatched.map((u) => u.name));
    await page.click("#log-describe-use");
  }
  await page.waitForFunction((name) => document.getElementById("plan-title").textContent === name, session.name);
  assert.ok(!(await page.textContent("#plan-meta")).includes("at your pace"));
  const xss = await page.evaluate(() => ({
    elements: document.querySelectorAll("img, b").length + (document.querySelector("time-crunch-preview-modal")?.shadowRoot.querySelectorAll("img, b").length ?? 0),
    fired: window.__xss ?? null,
  }));
  assert.deepEqual(xss, { elements: 0, fired: null });
  assert.ok(made.unmatched.some((u) => u.name.startsWith("<b ")), "the HTML-looking exercise name is asked about");
  await openModal(page);
  assert.equal(await page.isVisible("#tc-pace"), false);
  await checkAgainstServer(page, made.plan, 30, userKey);
  assert.deepEqual(log, []);
  await context.close();
});
