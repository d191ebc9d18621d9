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
cargo clippy --quiet --all-targets --all-features -- -D warnings

say "native tests: engine, invariants, golden fixtures, CLI, server twin"
cargo test --all-targets --quiet
cargo test --doc --quiet

say "WebAssembly tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver with_wasm_env \
  wasm-pack test --headless --chrome --mode no-install -- --features wasm --test wasm

say "npm package and budgets"
bash scripts/build-pkg.sh
bash scripts/budgets.sh

if [ -f www/package.json ]; then
  say "page build (www/)"
  (cd www && npm run --silent build)
fi

say "all tests passed in $((SECONDS - start)) s (after setup)"
