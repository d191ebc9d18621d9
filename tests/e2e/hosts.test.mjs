// End-to-end tests of the two host apps of the package's modal, each with
// time-crunch installed from the tarball `npm pack` makes of pkg/
// (scripts/test.sh packs it and installs it into each host): the plain page
// (examples/host-plain, no build step) and the React app
// (examples/host-react, its vite build). In each: open on a plan, scrub,
// apply (the host receives the applied plan), the host's theme variable
// applied and its replaced string shown.
//
// Run with: npm run test:hosts (after the hosts are installed, and host-react built).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { applyPreview, initSync, preview } from "time-crunch";
import { launchBrowser, repo, shots } from "./harness.mjs";
import { serveStatic } from "./static.mjs";

initSync({ module: readFileSync(join(repo, "pkg/time_crunch_bg.wasm")) });

const HOSTS = [
  { name: "host-plain", root: join(repo, "examples/host-plain"), plan: join(repo, "examples/host-plain/plan.json") },
  { name: "host-react", root: join(repo, "examples/host-react/dist"), plan: join(repo, "examples/host-react/src/plan.json") },
];
/** The hosts' theme (--tc-color-accent: #0a7d55) and wording (apply: "Use this session"). */
const ACCENT = "rgb(10, 125, 85)";
const APPLY = "Use this session";
const minutes = (v) => `${Number.isInteger(v) ? v : v.toFixed(1)} min`;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const host of HOSTS) {
  test(`${host.name}: open on a plan, scrub, apply; the host's theme and wording are shown and it receives the applied plan`, async () => {
    const plan = JSON.parse(readFileSync(host.plan, "utf8"));
    const server = await serveStatic(host.root);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const log = [];
    page.on("console", (m) => log.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
    const requests = [];
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    try {
      await page.goto(`${server.base}/`);
      await page.click("#crunch");
      await page.waitForSelector("#tc-dialog[open]");
      // Scrub: ten minutes down from where it opened, by keyboard.
      const start = Number(await page.inputValue("#tc-minutes"));
      await page.focus("#tc-range");
      for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowLeft");
      const target = start - 10;
      assert.equal(await page.inputValue("#tc-minutes"), String(target));
      const expected = preview({ plan, targetMinutes: target });
      assert.equal(await page.textContent(".tc-target"), minutes(target));
      assert.equal(await page.textContent(".tc-estimated"), minutes(expected.estimatedMinutes));
      // The host's theme and wording.
      assert.equal(await page.$eval("#tc-apply", (b) => getComputedStyle(b).backgroundColor), ACCENT);
      assert.equal(await page.$eval("#tc-dialog", (d) => getComputedStyle(d).borderTopLeftRadius), "4px");
      assert.equal(await page.textContent("#tc-apply"), APPLY);
      await page.screenshot({ path: join(shots, `${host.name}.png`) });
      // Apply: the host receives applyPreview of that preview.
      await page.click("#tc-apply");
      await page.waitForFunction(() => document.querySelector("#applied")?.textContent !== "");
      assert.deepEqual(JSON.parse(await page.textContent("#applied")), applyPreview(expected));
      // One WebAssembly module, from the installed package.
      assert.equal(requests.filter((p) => p.endsWith(".wasm")).length, 1, requests.join());
      assert.deepEqual(log, []);
    } finally {
      await context.close();
      await server.stop();
    }
  });
}

test("host-plain: a plan the engine refuses rejects open() with its TimeCrunchError and shows nothing; an engine that cannot load rejects with a TimeCrunchLoadError, fires timecrunch-error, and the page keeps working", async () => {
  const server = await serveStatic(HOSTS[0].root);
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = [];
  page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
  try {
    await page.goto(`${server.base}/`, { waitUntil: "networkidle" });
    const bad = await page.evaluate(async () => {
      const modal = document.querySelector("time-crunch-preview-modal");
      const plan = await (await fetch("./plan.json")).json();
      plan.blocks[0].exercises[0].sets = 0;
      try {
        await modal.open(plan);
        return { rejected: false };
      } catch (error) {
        return { rejected: true, name: error.name, code: error.code, path: error.path, open: modal.shadowRoot.querySelector("dialog").open };
      }
    });
    assert.deepEqual(bad, { rejected: true, name: "TimeCrunchError", code: "invalid_plan", path: "plan.blocks[0].exercises[0].sets", open: false });
  } finally {
    await context.close();
  }

  // The .wasm blocked (as offline or a CSP would): a fresh page, engine not loaded yet.
  const blocked = await browser.newContext();
  await blocked.route("**/*.wasm", (route) => route.abort("blockedbyclient"));
  const page2 = await blocked.newPage();
  const errors = [];
  page2.on("pageerror", (e) => errors.push(e.message));
  try {
    await page2.goto(`${server.base}/`, { waitUntil: "networkidle" });
    const failed = await page2.evaluate(async () => {
      const modal = document.querySelector("time-crunch-preview-modal");
      const events = [];
      modal.addEventListener("timecrunch-error", (e) => events.push(e.detail.error.code));
      const plan = await (await fetch("./plan.json")).json();
      const outcome = async (promise) => promise.then(() => null, (error) => ({ name: error.name, code: error.code }));
      return { prefetch: await outcome(modal.prefetch()), open: await outcome(modal.open(plan)), events, shown: modal.shadowRoot.querySelector("dialog").open };
    });
    assert.deepEqual(failed, {
      prefetch: { name: "TimeCrunchError", code: "engine_unavailable" },
      open: { name: "TimeCrunchError", code: "engine_unavailable" },
      events: ["engine_unavailable", "engine_unavailable"],
      shown: false,
    });
    // The host page still works.
    assert.equal(await page2.textContent("h1"), "Pull day");
    assert.deepEqual(errors, []);
    assert.deepEqual(log, []);
  } finally {
    await blocked.close();
    await server.stop();
  }
});
