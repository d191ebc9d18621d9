// Shared set-up of the end-to-end tests: a real release build of the server
// twin serving the built page (www/dist) and package (pkg/) same-origin, with
// a temporary data directory, a flags file and an admin token; and Debian's
// Chromium driven through playwright-core.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_LAUNCH } from "../chromium.mjs";
import { startTwin } from "../twin.mjs";

export const FLAG = "feature.stream5_time_crunch_mode";
export const repo = fileURLToPath(new URL("../../", import.meta.url));
/** Screenshots, kept as artefacts (git-ignored). */
export const shots = join(repo, "test-results", "e2e");

/**
 * Starts the server twin with the flag at `rule` and extra environment
 * `env`; `stop()` ends it and removes its data.
 */
export async function startServer({ rule = { enabled: true, rolloutPercent: 100 }, env = {} } = {}) {
  if (!process.env.TIME_CRUNCH_SERVER) throw new Error("set TIME_CRUNCH_SERVER to the release build of examples/server");
  const dataDir = mkdtempSync(join(tmpdir(), "tc-e2e-"));
  const flagsFile = join(dataDir, "flags.json");
  writeFileSync(flagsFile, JSON.stringify({ flags: { [FLAG]: rule } }));
  const token = `e2e-${process.pid}-${Date.now()}`;
  let twin;
  try {
    twin = await startTwin({
      dataDir: join(dataDir, "data"), flags: flagsFile, staticDir: join(repo, "www/dist"), pkgDir: join(repo, "pkg"),
      env: { TIME_CRUNCH_ADMIN_TOKEN: token, RUST_LOG: "warn", ...env }, forwardStderr: true, // warnings show in the test output
    });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { base } = twin;
  const admin = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  return {
    base,
    /** Changes the flag through the admin API (takes effect on the next request). */
    async setFlag(rule) {
      const response = await fetch(`${base}/v1/admin/flags/${FLAG}`, { method: "PUT", headers: admin, body: JSON.stringify(rule) });
      if (!response.ok) throw new Error(`PUT flag: ${response.status} ${await response.text()}`);
    },
    /** Every stored telemetry event, oldest first. */
    async telemetry() {
      const response = await fetch(`${base}/v1/admin/telemetry?since=0`, { headers: admin });
      if (!response.ok) throw new Error(`telemetry export: ${response.status}`);
      return (await response.text()).split("\n").filter(Boolean).map((line) => JSON.parse(line).event);
    },
    /** The server's preview for this user (the parity endpoint). */
    async preview(request, userKey) {
      const response = await fetch(`${base}/v1/time-crunch/preview?userKey=${encodeURIComponent(userKey)}`, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request),
      });
      return { status: response.status, body: await response.json() };
    },
    async stop() {
      await twin.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser() {
  mkdirSync(shots, { recursive: true });
  return chromium.launch(CHROMIUM_LAUNCH);
}

/**
 * A fresh browser context for one user: the page's user key is set before
 * any script runs, and every console message, page error and requested URL
 * (from the first) is collected.
 */
export async function openPage(browser, base, { userKey, viewport = { width: 1280, height: 900 }, permissions = [] } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  if (permissions.length > 0) await context.grantPermissions(permissions, { origin: base });
  await context.addInitScript((key) => localStorage.setItem("timeCrunch.userKey", key), userKey);
  const page = await context.newPage();
  const console = [];
  const requests = [];
  page.on("console", (message) => console.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => console.push(`pageerror: ${error.message}`));
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(`${base}/`);
  // The page has decided whether to offer the action (flag and engine answered).
  await page.waitForSelector("html[data-time-crunch]", { state: "attached" });
  return { context, page, console, requests };
}

export const userKeyFor = (name) => `e2e-${name}-${process.pid}-${Date.now()}`;
