// Parity between the browser module and the server twin: for every golden
// fixture, the server's response body is byte for byte JSON.stringify of
// what the npm package computes (errors: same code, message and path).
//
// Run with TIME_CRUNCH_SERVER=path/to/server node --test parity.test.mjs
// (scripts/test.sh does, with the release build of examples/server).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initSync, preview } from "time-crunch";
import { startTwin } from "../twin.mjs";

initSync({ module: readFileSync(new URL(import.meta.resolve("time-crunch/time_crunch_bg.wasm"))) });
const fixtures = new URL("../fixtures/", import.meta.url);
const cases = readdirSync(fixtures).filter((f) => f.endsWith(".request.json")).map((f) => f.replace(".request.json", ""));

let server;
let base;
let dataDir;

before(async () => {
  assert.ok(process.env.TIME_CRUNCH_SERVER, "set TIME_CRUNCH_SERVER to the server binary");
  dataDir = mkdtempSync(join(tmpdir(), "tc-parity-"));
  server = await startTwin({ dataDir, env: { RUST_LOG: "warn" } });
  base = server.base;
});

after(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test("the server answers byte for byte what the browser module computes", async () => {
  let compared = 0;
  for (const name of cases) {
    const text = readFileSync(new URL(`${name}.request.json`, fixtures), "utf8");
    const response = await fetch(`${base}/v1/time-crunch/preview`, {
      method: "POST", headers: { "content-type": "application/json" }, body: text,
    });
    const body = await response.text();
    let browser;
    try {
      browser = JSON.stringify(preview(JSON.parse(text)));
    } catch (error) {
      assert.ok(response.status >= 400 && response.status < 500, `${name}: ${response.status}`);
      const { error: server } = JSON.parse(body);
      assert.deepEqual({ code: server.code, message: server.message, path: server.path },
        { code: error.code, message: error.message, path: error.path }, name);
      compared++;
      continue;
    }
    assert.equal(response.status, 200, name);
    assert.equal(body, browser, `${name}: bytes differ`);
    compared++;
  }
  assert.equal(compared, cases.length);
});
