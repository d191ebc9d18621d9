#!/usr/bin/env bash
# The test command: set up, then run every test. Each stage prints its name;
# the first failure stops the run with a non-zero status.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
start=$SECONDS

say "rustfmt"
cargo fmt --all -- --check

say "clippy -D warnings (engine, bindings, examples, tests)"
cargo clippy --quiet --workspace --all-targets --all-features -- -D warnings

if wasm_uses_rustup; then
  # Debian's compiler has no clippy; the native --all-features run above
  # lints the bindings there.
  say "clippy -D warnings for wasm32 (the bindings and browser tests as the module compiles them)"
  with_wasm_env cargo clippy --quiet --target wasm32-unknown-unknown --features wasm --lib --test wasm -- -D warnings
  say "clippy -D warnings for wasm32 (the training-log module as it compiles: --features wasm-history)"
  with_wasm_env cargo clippy --quiet --target wasm32-unknown-unknown --features wasm-history --lib -- -D warnings
fi

say "native tests: engine, invariants, golden fixtures, CLI, server twin, soak, doc examples"
# Every crate of the workspace: the engine, the test support, the server twin, soak, verify, checkpoint, the CLI.
cargo test --quiet --workspace
say "benchmarks, one quick pass each (figures: cargo bench)"
cargo test --benches --quiet

say "accuracy of estimates on the real exports (report): the documented constants against each lifter's own pace"
# One JSON line per lifter, then the summary; the figures are reported, not
# gated (BENCHMARKS.md records them), but the summary must be whole.
accuracy=$(bash scripts/accuracy.sh tests/data/exports)
printf '%s\n' "$accuracy"
printf '%s\n' "$accuracy" | tail -n 1 | python3 -c '
import json, sys
s = json.loads(sys.stdin.read())
ok = s.get("lifters") == 6 and type(s.get("sessions")) is int and s["sessions"] > 0 and all(
    type(s.get(k, {}).get(f)) in (int, float) for k in ("default", "personal") for f in ("medianApe", "within20"))
sys.exit(0 if ok else 1)' || die "the accuracy summary (last line above) should name 6 lifters, sessions > 0, and medianApe and within20 for default and personal"

say "server twin process: telemetry survives kill -9, retries stored once, SIGTERM drains"
cargo build --quiet --release -p time-crunch-server
python3 tests/durability.py "$CARGO_TARGET_DIR/release/server"

say "server twin faults: overload sheds and recovers; malformed, oversized and slow requests; full and unusable data directory"
python3 tests/faults.py "$CARGO_TARGET_DIR/release/server"
say "server twin flags and admin: a FIFO or huge flags file, durable admin overrides, the admin token"
python3 tests/faults_flags.py "$CARGO_TARGET_DIR/release/server"
say "server twin storage faults: retention, size cap, free-space floor, flushed commits, file size limit, a database lost or damaged, duplicate ids and keys"
python3 tests/faults_storage.py "$CARGO_TARGET_DIR/release/server"

say "server twin on PostgreSQL: two instances on a throwaway cluster; start refusals, events stored once, flag changes on every instance within 1 s, kill -9 during a burst, the database stopped and started during traffic"
python3 tests/postgres.py "$CARGO_TARGET_DIR/release/server"

say "server twin HTTP edges: every API error in the envelope, configuration mistakes exit 2, static files and security headers"
python3 tests/faults_edges.py "$CARGO_TARGET_DIR/release/server"

say "server twin connections: one client cannot take the API down, idle and trickling connections closed, file limit kept, bounded metric labels"
python3 tests/faults_conn.py "$CARGO_TARGET_DIR/release/server"

say "rollout tools: examples/verify against a fresh server twin, then a 25 s soak that must end in verdict: GO"
# deploy-dashboard (its stage below) is built with them: one feature set of reqwest for the three.
cargo build --quiet --release -p time-crunch-verify -p time-crunch-soak -p time-crunch-deploy-dashboard
bash tests/rollout.sh "$CARGO_TARGET_DIR/release" 25s

say "fuzzing: a short bounded pass from the seeds, 8 s per target (longer: scripts/fuzz.sh SECONDS)"
bash scripts/fuzz.sh --fresh 8

say "deploy-dashboard against the Grafana stand-in (tests/grafana_standin.py): deployed, verified, URL printed; --dry-run sends nothing; 401, 403, unknown folder, 412, timeout, refused, HTML, redirect, failing database, a panel lost, bad configuration"
python3 tests/deploy_dashboard.py "$CARGO_TARGET_DIR/release/deploy-dashboard"

say "alert rules: promtool check and unit tests"
promtool check rules dashboards/alerts.yml
promtool check config dashboards/prometheus.yml
(cd dashboards && promtool test rules alerts.test.yml)

say "dashboards and alerts against a real Prometheus scraping the server twin"
python3 tests/dashboards.py "$CARGO_TARGET_DIR/release/server"

say "the dashboard against Grafana's own schema: dashboards/time-crunch.json type-checked as a Dashboard of @grafana/schema (tsc --strict), and copies with one mistake each rejected"
(cd dashboards/schema-check && npm test --silent)

say "checkpoint reports against a real Prometheus holding 48 h of rehearsed rollouts (promtool backfill): each scenario's status, trigger, firedAt and verdict; every exit-2 path"
# The dev build scripts/checkpoint.sh runs (the native tests built it already).
cargo build --quiet -p time-crunch-checkpoint
python3 tests/checkpoint.py "$CARGO_TARGET_DIR/debug"

say "WebAssembly tests in headless Chromium"
# What `wasm-pack test --headless --chrome` runs, narrowed to tests/wasm.rs
# (wasm-pack would also build the server example, which is native only).
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_ONLY_WEB=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner with_wasm_env \
  cargo test --target wasm32-unknown-unknown --features wasm --test wasm

say "npm package: build both modules, public API of their generated types against tests/reference, sizes (preview module gated, training-log module reported)"
bash scripts/build-pkg.sh
# The generated .d.ts files are API: a change must be deliberate. Compared
# as their public part (scripts/public-api.mjs), which no compiler's
# mangling changes: the preview module's and the training-log module's.
for dts in pkg/time_crunch.d.ts pkg/history/time_crunch_history.d.ts; do
  reference="tests/reference/$(basename "$dts" .d.ts).public.d.ts"
  node scripts/public-api.mjs "$dts" | diff -u "$reference" - ||
    die "the package's public API differs from $reference (above); if intended: node scripts/public-api.mjs $dts > $reference"
  node scripts/public-api.mjs --undocumented "$dts" || die "every export of $dts needs a doc comment"
done
bash scripts/budgets.sh

say "the npm package imported as a consumer does (node --test, tsc): the preview module, and the training-log module on the real exports with native parity"
(cd tests/consumer && npm test --silent)

say "parity: the server twin answers byte for byte what the browser module computes"
(cd tests/consumer && TIME_CRUNCH_SERVER="$CARGO_TARGET_DIR/release/server" node --test parity.test.mjs)

say "the package's flag and telemetry client in Chromium against the server twin"
(cd tests/consumer && TIME_CRUNCH_SERVER="$CARGO_TARGET_DIR/release/server" node --test client.test.mjs)

say "speed in headless Chromium against native, and of the training-log module on 1,000 sessions (report; BUDGETS_ENFORCE=1 to fail when over)"
# The benchmark build (the module plus benchEngine) times the engine alone.
bash scripts/build-pkg.sh --bench
(cd tests/consumer && node speed.mjs && node history-speed.mjs)

if [ -f www/package.json ]; then
  say "page build (www/)"
  (cd www && npm run --silent build)

  say "the page end to end: www/dist on the server twin, in Chromium via Playwright (screenshots: test-results/e2e/)"
  (cd tests/e2e && TIME_CRUNCH_SERVER="$CARGO_TARGET_DIR/release/server" npm test --silent)
fi

say "the flag through OpenFeature's OFREP: OpenFeature's web SDK and OFREP provider in Chromium against the server twin, per user, ETag/304 polls, a rollback"
(cd tests/e2e && TIME_CRUNCH_SERVER="$CARGO_TARGET_DIR/release/server" npm run --silent test:ofrep)

say "the modal's host apps, from the packed package: examples/host-plain (an import map, no build) and examples/host-react (Vite + React + TypeScript) in Chromium"
# Each host installs the tarball npm pack makes of pkg/, as a team would
# (never the source tree): vendor/time-crunch.tgz, the path their
# package.json names; their lockfiles pin everything else.
pack="$TIME_CRUNCH_CACHE/pack"
rm -rf "$pack" && mkdir -p "$pack"
(cd pkg && npm pack --silent --pack-destination "$pack" >/dev/null)
for host in examples/host-plain examples/host-react; do
  mkdir -p "$host/vendor"
  cp "$pack"/time-crunch-*.tgz "$host/vendor/time-crunch.tgz"
  (cd "$host" && npm ci --silent --no-audit --no-fund --prefer-offline >/dev/null) || die "npm ci in $host/ failed"
done
(cd examples/host-react && npm run --silent build >/dev/null)
(cd tests/e2e && npm run --silent test:hosts)
say "load time of the modal in the plain host, 1.6 Mbps / 150 ms RTT: click to first preview, cold and after prefetch() (report; BUDGETS_ENFORCE=1 to fail when over)"
(cd tests/e2e && timeout 600 node load-time.mjs)

say "all tests passed in $((SECONDS - start)) s (after setup)"
