// dashboards/time-crunch.json against Grafana's published schema
// (@grafana/schema): the JSON is written out as an object literal of the
// type in dashboard-type.ts and compiled with `tsc --strict`, so an unknown
// field (TypeScript's excess property check), a missing required field or
// a value outside an enum fails. Importing the .json file instead would
// check nothing of the kind: TypeScript widens its strings and skips excess
// property checks on imported JSON. Copies with one mistake each prove the
// check rejects what Grafana would not accept.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dashboardPath = join(here, '..', 'time-crunch.json');
const dashboardText = readFileSync(dashboardPath, 'utf8');

/** Each copy with one mistake, and what the compiler must say about it. */
const mistakes = {
  'unknown-dashboard-field': {
    change: (d) => { d.graphTooltipp = 1; },
    expect: /TS2353: .*'"graphTooltipp"' does not exist/,
  },
  'unknown-panel-field': {
    change: (d) => { d.panels[2].titel = d.panels[2].title; },
    expect: /TS2353: .*'"titel"' does not exist/,
  },
  'unknown-legend-option': {
    change: (d) => { d.panels[0].options.legend.showLegnd = true; },
    expect: /TS2353: .*'"showLegnd"' does not exist/,
  },
  'unknown-enum-value': {
    change: (d) => { d.panels[0].options.legend.displayMode = 'tabular'; },
    expect: /TS2322: Type '"tabular"' is not assignable to type '"hidden" \| "list" \| "table" \| undefined'/,
  },
  'wrong-value-type': {
    change: (d) => { d.graphTooltip = 'shared'; },
    expect: /TS2322: Type 'string' is not assignable to type 'DashboardCursorSync \| undefined'/,
  },
  'missing-required-field': {
    change: (d) => { delete d.panels[1].gridPos.h; },
    expect: /TS2741: Property 'h' is missing/,
  },
};

let dir;
/** tsc's error lines, by the generated file they are about. */
const errors = new Map();
/** Anything else tsc printed (it cannot run, a broken tsconfig): fails the dashboard's test. */
const unreadable = [];

/** A TypeScript module whose only statement is the dashboard as an object literal of the type. */
function moduleOf(jsonText) {
  return [
    "import type { TimeCrunchDashboard } from '../dashboard-type.ts';",
    `export const dashboard: TimeCrunchDashboard = ${jsonText.trim()};`,
    '',
  ].join('\n');
}

before(async () => {
  // Inside this folder so the modules resolve node_modules/@grafana/schema.
  dir = mkdtempSync(join(here, '.generated-'));
  const files = ['time-crunch.ts'];
  writeFileSync(join(dir, 'time-crunch.ts'), moduleOf(dashboardText));
  for (const [name, { change }] of Object.entries(mistakes)) {
    const copy = JSON.parse(dashboardText);
    change(copy);
    writeFileSync(join(dir, `${name}.ts`), moduleOf(JSON.stringify(copy, null, 2)));
    files.push(`${name}.ts`);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      allowImportingTsExtensions: true,
      strict: true,
      noEmit: true,
      // The package's own .d.ts files are Grafana's; only the dashboard is under test.
      skipLibCheck: true,
    },
    files,
  }));
  const tsc = join(here, 'node_modules', '.bin', 'tsc');
  const output = await new Promise((resolve) => {
    // tsc exits non-zero whenever a file has errors; the mistakes must have some.
    execFile(tsc, ['-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], (_error, stdout, stderr) => resolve(stdout + stderr));
  });
  for (const line of output.split('\n')) {
    const match = /^(?:.*[\\/])?([\w-]+)\.ts\(\d+,\d+\): (error .*)$/.exec(line);
    if (!match) {
      if (line.trim()) unreadable.push(line);
      continue;
    }
    if (!errors.has(match[1])) errors.set(match[1], []);
    errors.get(match[1]).push(match[2]);
  }
});

after(() => dir && rmSync(dir, { recursive: true, force: true }));

test('dashboards/time-crunch.json is a Grafana Dashboard (@grafana/schema), its panels time series panels', () => {
  assert.deepEqual(unreadable, [], 'tsc printed something other than errors about the files');
  assert.deepEqual(errors.get('time-crunch') ?? [], [], 'the dashboard has fields or values Grafana does not accept');
});

for (const [name, { expect }] of Object.entries(mistakes)) {
  test(`the check rejects a copy with one mistake: ${name}`, () => {
    const found = errors.get(name) ?? [];
    assert.ok(found.some((e) => expect.test(e)), `expected ${expect} for ${name}, tsc said:\n${found.join('\n') || '(nothing)'}`);
  });
}
