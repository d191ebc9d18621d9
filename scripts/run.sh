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
say "starting the server twin"
exec cargo run --quiet --release --example server -- --addr "${TIME_CRUNCH_ADDR:-127.0.0.1:8080}" \
  --static-dir www/dist --pkg-dir pkg "$@"
