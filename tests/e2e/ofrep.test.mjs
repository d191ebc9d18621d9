// The flag through OpenFeature's remote evaluation protocol (OFREP), the
// way a team that already uses OpenFeature evaluates it: OpenFeature's own
// web SDK and OFREP provider (`ofrep-app/flags.mjs`, bundled by esbuild) in
// Chromium, on a page of another origin (a static server, CORS allowed for
// it), against the release server twin. Per user (an allow-listed user and
// two the 50 % split buckets apart, each as GET /v1/flags answers), the
// provider's polls with If-None-Match answered 304, and a rollback through
// PUT /v1/admin/flags/{key} reaching every open page by its polling.
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { FLAG, launchBrowser, startServer, userKeyFor } from "./harness.mjs";
import { serveStatic } from "./static.mjs";

const APP = fileURLToPath(new URL("./ofrep-app/", import.meta.url));
/** Short, so the rollback is seen within a few seconds. */
const POLL_MS = 300;
const RULE = { enabled: true, rolloutPercent: 50, salt: `ofrep-e2e-${process.pid}` };

let site, server, browser, appDir;

before(async () => {
  appDir = mkdtempSync(join(tmpdir(), "tc-ofrep-app-"));
  await build({
    entryPoints: [join(APP, "flags.mjs")], bundle: true, format: "esm", platform: "browser", target: "es2022",
    outfile: join(appDir, "flags.js"), logLevel: "warning",
  });
  copyFileSync(join(APP, "index.html"), join(appDir, "index.html"));
  site = await serveStatic(appDir);
  const vip = userKeyFor("vip");
  [server, browser] = await Promise.all([
    startServer({ rule: { ...RULE, allow: [vip] }, env: { TIME_CRUNCH_CORS_ORIGINS: site.base } }),
    launchBrowser(),
  ]);
  server.vip = vip;
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await site?.stop();
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

/** The twin's own route, which OFREP must agree with. */
async function flagRoute(userKey) {
  const response = await fetch(`${server.base}/v1/flags/${FLAG}?userKey=${encodeURIComponent(userKey)}`);
  assert.equal(response.status, 200);
  return response.json();
}

/** OFREP's name for the flag route's reason (the protocol has no DEFAULT). */
const ofrepReason = (reason) => (reason === "DEFAULT" ? "STATIC" : reason);

/**
 * A page of the app for one user, with every bulk evaluation it made:
 * request's If-None-Match, response status and ETag.
 */
async function openApp(targetingKey, { pollInterval = POLL_MS } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const console = [];
  const polls = [];
  page.on("console", (message) => console.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => console.push(`pageerror: ${error.message}`));
  page.on("response", (response) => {
    const request = response.request();
    if (request.method() !== "POST" || request.url() !== `${server.base}/ofrep/v1/evaluate/flags`) return;
    // Recorded in arrival order; only the body is read later.
    const poll = { ifNoneMatch: request.headers()["if-none-match"] ?? null, status: response.status(),
      etag: response.headers().etag ?? null, body: undefined };
    polls.push(poll);
    if (poll.status !== 304) response.json().then((body) => { poll.body = body; }, () => { poll.body = "not JSON"; });
  });
  await page.goto(`${site.base}/`);
  await page.waitForFunction(() => window.flags !== undefined);
  const started = await page.evaluate((options) => window.flags.start(options), {
    baseUrl: server.base, targetingKey, pollInterval,
  });
  const details = (key = FLAG, fallback = false) =>
    page.evaluate(([k, f]) => window.flags.details(k, f), [key, fallback]);
  return { context, page, console, polls, started, details };
}

/** Waits until `check()` holds, polling every 100 ms, for at most `ms`. */
async function eventually(what, check, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Two users of the 50 % split, one in and one out, as the twin buckets them. */
async function splitUsers() {
  const found = {};
  for (let n = 0; n < 200 && !(found.true && found.false); n += 1) {
    const user = userKeyFor(`split-${n}`);
    const answer = await flagRoute(user);
    if (answer.reason === "SPLIT") found[answer.value] ??= user;
  }
  assert.ok(found.true && found.false, "the 50 % split puts some users in and some out");
  return [found.true, found.false];
}

test("the OpenFeature web SDK evaluates the flag per user through OFREP, polls with ETag/304, and sees a rollback", async () => {
  const [userIn, userOut] = await splitUsers();
  const users = [server.vip, userIn, userOut];
  const apps = await Promise.all(users.map((user) => openApp(user)));
  try {
    // Per user, the SDK's answer is the twin's own route's.
    for (const [n, app] of apps.entries()) {
      assert.deepEqual(app.started, { ready: true }, users[n]);
      const expected = await flagRoute(users[n]);
      assert.deepEqual(await app.details(), {
        value: expected.value, variant: expected.variant, reason: ofrepReason(expected.reason), errorCode: null,
      }, users[n]);
    }
    assert.deepEqual((await Promise.all(apps.map((app) => app.details()))).map((d) => [d.value, d.reason]), [
      [true, "TARGETING_MATCH"], [true, "SPLIT"], [false, "SPLIT"],
    ]);
    // A flag the twin does not have is the provider's FLAG_NOT_FOUND, with the code default.
    assert.deepEqual(await apps[0].details("no.such.flag", true),
      { value: true, variant: null, reason: "ERROR", errorCode: "FLAG_NOT_FOUND" });

    // Polls carry the last ETag and are answered 304 while the answer stands.
    for (const app of apps) {
      await eventually("a poll answered 304", () => app.polls.some((p) => p.status === 304));
      const [first] = app.polls;
      assert.equal(first.status, 200);
      assert.equal(first.ifNoneMatch, null);
      assert.match(first.etag, /^"[0-9a-f]{40}"$/, "the ETag is readable cross-origin");
      const unchanged = app.polls.find((p) => p.status === 304);
      assert.equal(unchanged.ifNoneMatch, first.etag);
    }
    const etags = apps.map((app) => app.polls[0].etag);
    assert.notEqual(etags[1], etags[2], "users with different answers have different tags");

    // Rollback: off for everyone through the admin API; every page's
    // provider sees it by polling, and says which flag changed.
    const before = apps.map((app) => app.polls.length);
    await server.setFlag({ enabled: false });
    const rolledBackAt = Date.now();
    for (const app of apps) {
      await eventually("the rollback reaches the SDK",
        async () => (await app.details()).reason === "DISABLED", 5_000);
      assert.deepEqual(await app.details(), { value: false, variant: "off", reason: "DISABLED", errorCode: null });
    }
    const seenWithin = Date.now() - rolledBackAt;
    assert.ok(seenWithin < 5_000, `seen after ${seenWithin} ms`);
    for (const [n, app] of apps.entries()) {
      const changed = app.polls.slice(before[n]).find((p) => p.status === 200);
      assert.ok(changed, "the poll after the rollback is a new answer");
      assert.notEqual(changed.etag, etags[n]);
      const changes = await app.page.evaluate(() => window.flags.changes);
      assert.ok(changes.some((flags) => flags.includes(FLAG)), `ConfigurationChanged named the flag: ${JSON.stringify(changes)}`);
      // Everyone is now answered alike (the same body, the same tag), and
      // the polls settle on 304 again.
      await eventually("304 again after the rollback", () => app.polls.at(-1).status === 304);
    }
    assert.equal(new Set(apps.map((app) => app.polls.findLast((p) => p.etag !== null && p.status === 200).etag)).size, 1);
    for (const app of apps) assert.deepEqual(app.console, []);
  } finally {
    await Promise.all(apps.map((app) => app.context.close()));
  }
});

test("a missing targeting key is answered TARGETING_KEY_MISSING and fails the provider; the single-flag endpoint answers a browser of an allowed origin", async () => {
  await server.setFlag({ ...RULE, allow: [server.vip] });
  const app = await openApp(undefined, { pollInterval: 0 });
  try {
    // The twin answers the protocol's 400; the provider (0.4.3) reports
    // every bulk status other than 200 and 304 as GENERAL and stays not ready.
    await eventually("the bulk evaluation's answer is read", () => app.polls[0]?.body !== undefined);
    assert.deepEqual(app.polls.map((p) => [p.status, p.body?.errorCode]), [[400, "TARGETING_KEY_MISSING"]]);
    assert.equal(app.started.ready, false);
    assert.equal(app.started.code, "GENERAL", JSON.stringify(app.started));
    const single = await app.page.evaluate(async ([base, flag, user]) => {
      const response = await fetch(`${base}/ofrep/v1/evaluate/flags/${flag}`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ context: { targetingKey: user, plan: "free" } }),
      });
      return { status: response.status, body: await response.json() };
    }, [server.base, FLAG, server.vip]);
    assert.deepEqual(single, { status: 200, body: { key: FLAG, value: true, reason: "TARGETING_MATCH", variant: "on" } });
  } finally {
    await app.context.close();
  }
});
