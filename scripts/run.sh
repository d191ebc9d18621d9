#!/usr/bin/env bash
# The run command: set up, build pkg/ and www/, start the server twin on
# 127.0.0.1 and print the URL. Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
bash scripts/build-pkg.sh
say "building the page (www/)"
(cd www && npm run --silent build)
# The first build compiles the server twin and its dependencies (about three
# minutes on two cores): cargo's own progress shows while it does.
say "building the server twin (release)"
cargo build --release -p time-crunch-server
say "starting the server twin"
exec "$CARGO_TARGET_DIR/release/server" --addr "${TIME_CRUNCH_ADDR:-127.0.0.1:8080}" \
  --static-dir www/dist --pkg-dir pkg "$@"
