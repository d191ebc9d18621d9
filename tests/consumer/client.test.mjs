// The npm package's flag and telemetry client (TimeCrunchClient) in headless
// Chromium against the real server twin: the page and the package are served
// by the server itself, as a host app would serve them.
//
// Run with TIME_CRUNCH_SERVER=path/to/server node --test client.test.mjs
// after scripts/build-pkg.sh (scripts/test.sh does both).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_LAUNCH } from "../chromium.mjs";
import { startTwin } from "../twin.mjs";

const FLAG = "feature.stream5_time_crunch_mode";
const TOKEN = "client-test-token";
const pkgDir = fileURLToPath(new URL("../../pkg", import.meta.url));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let dir;
let port = 0; // any free port the first time
let server;
let browser;

/**
 * Starts the server twin; after the first start, on the same port again, as
 * after a restart: the open page's origin, which its client sends to,
 * includes the port. That port was the twin's own a moment before, not a
 * guess; were it taken meanwhile, the start fails with the server's message.
 */
async function startServer() {
  server = await startTwin({ dataDir: join(dir, "data"), flags: join(dir, "flags.json"), staticDir: join(dir, "site"),
    pkgDir, port, env: { RUST_LOG: "warn", TIME_CRUNCH_ADMIN_TOKEN: TOKEN } });
  port = server.port;
}

async function stopServer() {
  await server.stop();
}

/** Every stored event for `userKey`, from the admin export. */
async function storedEvents(userKey) {
  const response = await fetch(`http://127.0.0.1:${port}/v1/admin/telemetry?since=0`,
    { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(response.status, 200);
  const lines = (await response.text()).split("\n").filter(Boolean).map((line) => JSON.parse(line).event);
  return lines.filter((event) => event.userKey === userKey);
}

/** A page of the server's own origin with the package loaded as `window.tc`. */
async function openPage() {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.evaluate(async () => {
    const module = await import("/pkg/time_crunch.js");
    await module.default();
    window.tc = module;
  });
  return { page, problems };
}

before(async () => {
  assert.ok(process.env.TIME_CRUNCH_SERVER, "set TIME_CRUNCH_SERVER to the server binary");
  dir = mkdtempSync(join(tmpdir(), "tc-client-"));
  writeFileSync(join(dir, "flags.json"), JSON.stringify({
    flags: { [FLAG]: { enabled: true, rolloutPercent: 0, allow: ["user-on"] } },
  }));
  mkdirSync(join(dir, "site"));
  writeFileSync(join(dir, "site", "index.html"), "<!doctype html><title>host app</title>");
  await startServer();
  browser = await chromium.launch(CHROMIUM_LAUNCH);
});

after(async () => {
  await browser?.close();
  await server?.stop(); // a no-op if it already exited
  rmSync(dir, { recursive: true, force: true });
});

test("the flag is evaluated by the server for the user and cached", async () => {
  const { page, problems } = await openPage();
  const answers = await page.evaluate(async () => {
    const on = new window.tc.TimeCrunchClient({ userKey: "user-on" });
    const off = new window.tc.TimeCrunchClient({ userKey: "user-off" });
    return [await on.isEnabled(), await off.isEnabled(), await on.isEnabled()];
  });
  assert.deepEqual(answers, [true, false, true]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("events arrive at the server, batched, with the client's ids, once each", async () => {
  const { page, problems } = await openPage();
  const sent = await page.evaluate(async () => {
    const client = new window.tc.TimeCrunchClient({ userKey: "user-events", sessionId: "session-1" });
    client.track({ type: "modal_opened" });
    const request = await (await fetch("/pkg/package.json")).json();
    const plan = { id: "p", name: "Push", blocks: [{ id: "b", kind: "main", exercises: [
      { id: "bench", name: "Bench", priority: "core", pattern: "horizontal_push", muscles: ["chest"],
        equipment: "barbell", sets: 5, reps: 5, restSeconds: 180 },
      { id: "fly", name: "Fly", priority: "optional", pattern: "isolation", muscles: ["chest"],
        equipment: "cable", sets: 4, reps: 12, restSeconds: 90 }] }] };
    const start = performance.now();
    const preview = window.tc.preview({ plan, targetMinutes: 15 });
    client.trackPreview(preview, performance.now() - start);
    client.track({ type: "preview_applied", targetMinutes: 15 });
    client.track({ type: "no_such_event" });
    const pendingBefore = client.pending();
    await client.flush();
    return { pendingBefore, pendingAfter: client.pending(), rejected: client.rejected(), name: request.name,
      strategy: preview.strategy };
  });
  assert.equal(sent.name, "time-crunch");
  assert.equal(sent.pendingBefore, 3);
  assert.equal(sent.pendingAfter, 0);
  assert.equal(sent.rejected, 1, "the malformed event is counted, not thrown");
  const events = await storedEvents("user-events");
  assert.deepEqual(events.map((e) => e.type), ["modal_opened", "preview_generated", "preview_applied"]);
  assert.deepEqual(events.map((e) => e.id), ["session-1-1", "session-1-2", "session-1-3"]);
  const generated = events[1];
  assert.equal(generated.strategy, sent.strategy);
  assert.equal(generated.targetMinutes, 15);
  assert.equal(typeof generated.fits, "boolean");
  assert.ok(generated.generationMs >= 0);
  assert.ok(events.every((e) => e.sessionId === "session-1" && Number.isInteger(e.at)));
  assert.deepEqual(problems, []);
  await page.close();
});

test("a finished session arrives as session_completed, counted by whether it kept to the target", async () => {
  const { page, problems } = await openPage();
  const sent = await page.evaluate(async () => {
    const client = new window.tc.TimeCrunchClient({ userKey: "user-completed", sessionId: "session-c" });
    const plan = { id: "p", name: "Legs", blocks: [{ id: "b", kind: "main", exercises: [
      { id: "squat", name: "Squat", priority: "core", pattern: "squat", muscles: ["quads"],
        equipment: "barbell", sets: 5, reps: 5, restSeconds: 180 },
      { id: "curl", name: "Leg curl", priority: "optional", pattern: "isolation", muscles: ["hamstrings"],
        equipment: "machine", sets: 4, reps: 12, restSeconds: 90 }] }] };
    const preview = window.tc.preview({ plan, targetMinutes: 20 });
    client.trackCompleted(preview, preview.targetMinutes - 1.5); // within target
    client.trackCompleted(preview, preview.targetMinutes + 4); // over it
    // Implausible minutes, or a preview without its estimate: dropped, counted, never thrown.
    for (const bad of [NaN, 0, -3, 1441, Infinity, undefined]) client.trackCompleted(preview, bad);
    client.trackCompleted({ ...preview, estimatedMinutes: undefined }, 20);
    const pendingBefore = client.pending();
    await client.flush();
    return { pendingBefore, pendingAfter: client.pending(), rejected: client.rejected(), strategy: preview.strategy,
      targetMinutes: preview.targetMinutes, estimatedMinutes: preview.estimatedMinutes };
  });
  assert.equal(sent.pendingBefore, 2);
  assert.equal(sent.pendingAfter, 0);
  assert.equal(sent.rejected, 7);
  const events = await storedEvents("user-completed");
  assert.deepEqual(events.map((e) => [e.type, e.actualMinutes]),
    [["session_completed", sent.targetMinutes - 1.5], ["session_completed", sent.targetMinutes + 4]]);
  for (const event of events) {
    assert.equal(event.strategy, sent.strategy);
    assert.equal(event.targetMinutes, sent.targetMinutes);
    assert.equal(event.estimatedMinutes, sent.estimatedMinutes);
    assert.equal(event.sessionId, "session-c");
  }
  const metrics = await (await fetch(server.metricsUrl)).text();
  assert.match(metrics, /^time_crunch_sessions_completed_total\{within_target="true"\} 1$/m);
  assert.match(metrics, /^time_crunch_sessions_completed_total\{within_target="false"\} 1$/m);
  assert.match(metrics, /^time_crunch_session_actual_to_estimated_ratio_count 2$/m);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a full batch leaves on its own, and hiding the page sends the rest by beacon", async () => {
  const { page, problems } = await openPage();
  await page.evaluate(() => {
    // A long interval: only the batch size and the page being hidden send.
    window.client = new window.tc.TimeCrunchClient({ userKey: "user-batch", flushIntervalMs: 3_600_000, maxBatch: 5 });
    for (let i = 0; i < 7; i++) window.client.track({ type: "preview_failed", errorCode: "invalid_plan" });
  });
  for (let i = 0; i < 100 && (await storedEvents("user-batch")).length < 5; i++) await sleep(50);
  assert.equal((await storedEvents("user-batch")).length, 5, "the full batch of 5 was sent");
  // The server stores a batch before its answer reaches the client, which
  // only then stops counting those events as pending.
  for (let i = 0; i < 100 && (await page.evaluate(() => window.client.pending())) > 2; i++) await sleep(50);
  assert.equal(await page.evaluate(() => window.client.pending()), 2);
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  for (let i = 0; i < 100 && (await storedEvents("user-batch")).length < 7; i++) await sleep(50);
  assert.equal((await storedEvents("user-batch")).length, 7, "the beacon carried the last 2");
  assert.deepEqual(problems, []);
  await page.close();
});

test("server down: the flag is off, nothing throws, the queue is bounded, and it drains when the server is back", async () => {
  const { page, problems } = await openPage();
  await stopServer();
  const down = await page.evaluate(async () => {
    window.client = new window.tc.TimeCrunchClient({ userKey: "user-retry", maxBuffer: 4, flushIntervalMs: 100 });
    const enabled = await window.client.isEnabled();
    for (let i = 0; i < 10; i++) window.client.track({ type: "modal_opened" });
    await window.client.flush();
    // A preview still works while telemetry cannot be sent.
    const estimate = window.tc.estimate({ id: "p", name: "P", blocks: [{ id: "b", kind: "main", exercises: [
      { id: "e", name: "E", priority: "core", pattern: "squat", muscles: ["quads"], equipment: "barbell",
        sets: 3, reps: 5, restSeconds: 120 }] }] });
    return { enabled, pending: window.client.pending(), dropped: window.client.dropped(), minutes: estimate.minutes };
  });
  assert.equal(down.enabled, false, "unreachable means off");
  assert.equal(down.pending, 4, "the buffer keeps the newest maxBuffer events");
  assert.ok(down.dropped >= 7, `dropped ${down.dropped}`);
  assert.ok(down.minutes > 0);
  await startServer();
  // Retries back off from 1 s; give them a few rounds.
  for (let i = 0; i < 200 && (await storedEvents("user-retry")).length < 4; i++) await sleep(100);
  const events = await storedEvents("user-retry");
  assert.equal(events.length, 4, "every kept event arrives once the server is back");
  assert.equal(new Set(events.map((e) => e.id)).size, 4, "each once");
  assert.equal(await page.evaluate(() => window.client.pending()), 0);
  assert.deepEqual(problems, []);
  await page.close();
});
