// Loads the built npm package as an ES module from node_modules, as a front
// end's bundler would resolve it, and checks it against the golden fixtures.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import init, { initSync, preview, sweep, applyPreview, estimate, version } from "time-crunch";

const wasm = readFileSync(new URL(import.meta.resolve("time-crunch/time_crunch_bg.wasm")));
initSync({ module: wasm });
const fixtures = new URL("../fixtures/", import.meta.url);
const cases = readdirSync(fixtures).filter((f) => f.endsWith(".request.json")).map((f) => f.replace(".request.json", ""));
const read = (name) => JSON.parse(readFileSync(new URL(name, fixtures), "utf8"));

test("the package exports the documented API", () => {
  assert.equal(typeof init, "function");
  for (const fn of [preview, sweep, applyPreview, estimate, version]) assert.equal(typeof fn, "function");
  const pkg = JSON.parse(readFileSync(new URL(import.meta.resolve("time-crunch/package.json")), "utf8"));
  assert.equal(version(), pkg.version);
  for (const field of ["name", "version", "description", "license", "repository", "files", "types"]) {
    assert.ok(pkg[field], `package.json has ${field}`);
  }
});

test("previews equal the native golden fixtures, byte for byte as JSON", () => {
  for (const name of cases.filter((c) => !c.startsWith("error-"))) {
    const expected = read(`${name}.preview.json`);
    const actual = preview(read(`${name}.request.json`));
    assert.deepEqual(actual, expected, name);
  }
});

test("bad input throws TimeCrunchError with code and path", () => {
  for (const name of cases.filter((c) => c.startsWith("error-"))) {
    const { error } = read(`${name}.error.json`);
    assert.throws(() => preview(read(`${name}.request.json`)), (e) => {
      assert.ok(e instanceof Error, name);
      assert.equal(e.name, "TimeCrunchError");
      assert.equal(e.code, error.code, name);
      assert.equal(e.path, error.path, name);
      return true;
    });
  }
});

test("a sweep feeds a slider and an applied preview saves as a plan", () => {
  const request = read("supersets-pull-day.request.json");
  const previews = sweep(request);
  assert.equal(previews.length, 166);
  assert.deepEqual(previews.map((p) => p.targetMinutes), Array.from({ length: 166 }, (_, i) => i + 15));
  const plan = applyPreview(previews[40 - 15]);
  assert.equal(estimate(plan).minutes, previews[40 - 15].estimatedMinutes);
});
