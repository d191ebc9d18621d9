// The training-log module (time-crunch/history) as a front end imports it:
// every real export in tests/data/exports reads into the sessions the
// native importer finds, gives the same History and Calibration as native
// (the `import` program of examples/cli), calibrates to a pace in the
// documented ranges, and a plan made from the latest session previews in
// the preview module with that pace. Bad input throws TimeCrunchError with
// its code (src/history/error.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import * as history from "time-crunch/history";
import { estimate, preview, initSync } from "time-crunch";

initSync({ module: readFileSync(new URL(import.meta.resolve("time-crunch/time_crunch_bg.wasm"))) });
history.initSync({ module: readFileSync(new URL(import.meta.resolve("time-crunch/history/time_crunch_history_bg.wasm"))) });
const { importLog, calibrate, planFromSession, matchExercise } = history;

const repo = new URL("../../", import.meta.url);
const exportsDir = new URL("tests/data/exports/", repo);

// Sessions per export as the native importer reads them (`cargo run -p
// time-crunch-cli --bin import -- FILE`, the length of `sessions`); the
// parity test below also compares every session with native's.
const SESSIONS = {
  "DericMei+My-WorkOut-Project": 384,
  "SIERRA711+workout-analysis": 397,
  "breinsp+strong-charts": 129,
  "dravenbc+gym-dashboard": 20,
  "mouadja02+Hevy-Coach": 17,
  "ys-math+strength-training": 37,
};

// The documented ranges of a pace (src/config.rs PACE_*_RANGE).
const PACE_RANGES = {
  setupSeconds: [5, 90],
  secondsPerRep: [1, 12],
  restFactor: [0.5, 3],
  transitionSeconds: [0, 600],
};
const DEFAULT_PACE = { setupSeconds: 15, secondsPerRep: 3, restFactor: 1, transitionSeconds: 60 };

const exportFiles = readdirSync(exportsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => {
    const csv = readdirSync(new URL(`${d.name}/`, exportsDir)).filter((f) => f.endsWith(".csv"));
    assert.equal(csv.length, 1, `${d.name} holds one export`);
    return { folder: d.name, path: new URL(`${d.name}/${csv[0]}`, exportsDir) };
  })
  .sort((a, b) => (a.folder < b.folder ? -1 : 1));
const read = (path) => readFileSync(path, "utf8");

// The native program, built once (release, like the other native tools).
const nativeImport = (() => {
  const out = execFileSync(
    "cargo",
    ["build", "--quiet", "--release", "-p", "time-crunch-cli", "--bin", "import", "--message-format=json"],
    { cwd: repo, encoding: "utf8", maxBuffer: 64 << 20 },
  );
  const artifact = out
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line))
    .find((m) => m.reason === "compiler-artifact" && m.target?.name === "import" && m.executable);
  assert.ok(artifact, "cargo built the import program");
  return (...args) => execFileSync(artifact.executable, args, { encoding: "utf8", maxBuffer: 256 << 20 });
})();

/** Asserts that `fn` throws TimeCrunchError with `code`; returns the error. */
function throwsCode(fn, code) {
  let thrown;
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, "TimeCrunchError");
    assert.equal(e.code, code, e.message);
    thrown = e;
    return true;
  });
  return thrown;
}

test("the real exports are there, one per folder the expected counts name", () => {
  assert.deepEqual(exportFiles.map((f) => f.folder), Object.keys(SESSIONS).sort());
});

for (const { folder, path } of exportFiles) {
  test(`${folder}: imports, calibrates and previews a plan from its latest session`, () => {
    const log = importLog(read(path));
    assert.equal(log.sessions.length, SESSIONS[folder]);
    assert.deepEqual(log.skipped, []);

    const calibration = calibrate(log);
    const { pace } = calibration;
    assert.deepEqual(Object.keys(pace).sort(), Object.keys(PACE_RANGES).sort());
    for (const [key, [low, high]] of Object.entries(PACE_RANGES)) {
      assert.ok(pace[key] >= low && pace[key] <= high, `${key} ${pace[key]} in [${low}, ${high}]`);
    }

    const made = planFromSession(log.sessions.at(-1), "latest");
    assert.ok(estimate(made.plan).minutes > 0);
    const shown = preview({ plan: made.plan, targetMinutes: 30, options: { pace } });
    assert.equal(shown.planId, "latest");
    if (JSON.stringify(pace) === JSON.stringify(DEFAULT_PACE)) {
      assert.equal(shown.pace, undefined, "the default pace is not recorded");
    } else {
      assert.deepEqual(shown.pace, pace);
    }
    assert.ok(shown.fits || shown.fallback, "fits, or says why not");
  });

  test(`${folder}: importLog and calibrate give what native gives`, () => {
    // Byte for byte: whole numbers are written as integers on both sides.
    const log = importLog(read(path));
    assert.equal(JSON.stringify(log), nativeImport(path.pathname).trimEnd());
    const calibration = calibrate(log);
    assert.equal(JSON.stringify(calibration), nativeImport("--calibrate", path.pathname).trimEnd());
  });
}

test("matchExercise names a database entry for a common lift", () => {
  const { exercise, confidence } = matchExercise("Bench Press (Barbell)");
  assert.ok(exercise, "matched");
  assert.equal(exercise.equipment, "barbell");
  assert.ok(confidence > 0 && confidence <= 1);
});

test("bad input throws TimeCrunchError with its code", () => {
  throwsCode(() => importLog(""), "empty_file");
  throwsCode(() => importLog("a,b\n1,2\n"), "not_an_export");
  throwsCode(() => importLog("x".repeat(21 * 1024 * 1024)), "too_large");

  const strong = read(new URL("breinsp+strong-charts/strong.csv", exportsDir)).split("\n");
  // The first row's notes open a quote that never closes (the next row's
  // first quote would close it, so the row would swallow a line break).
  const row = '2021-02-10 16:46:13,"Mittwoch",2h 18m,"Bench Press (Barbell)",1,75.0,8,0,0,"4x8,,';
  const unclosed = [strong[0], row, ...strong.slice(2, 6)].join("\n");
  assert.equal(throwsCode(() => importLog(unclosed), "broken_csv").line, 2);

  const log = importLog(read(new URL("breinsp+strong-charts/strong.csv", exportsDir)));
  throwsCode(() => calibrate({ ...log, sessions: log.sessions.slice(-1) }), "not_enough_history");
  throwsCode(() => calibrate({}), "invalid_input");
});
