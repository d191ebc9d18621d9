#!/usr/bin/env bash
# One idempotent setup step used by both README commands. It installs what
# the project needs and skips whatever is already there, so a second run
# takes seconds. Tools are cached under $TIME_CRUNCH_CACHE (default
# ~/.cache/time-crunch), outside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

mkdir -p "$TOOLS_DIR/bin"
[ -n "$WASM_BINDGEN_VERSION" ] || die "could not read the pinned wasm-bindgen version from Cargo.toml"

# --- The wasm32 compiler -------------------------------------------------------
# The standard path first: rustup's wasm32 target (seconds). Bounded, since a
# registry that does not answer would otherwise hang here; when it fails,
# Debian's rustc-web builds std from source instead (scripts/env.sh).
case "$TIME_CRUNCH_WASM_PATH" in
  auto | rustup)
    if ! rustup_has_wasm32; then
      say "adding rustup's wasm32-unknown-unknown target (at most 120 s)"
      timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 \
        || say "rustup could not add the wasm32 target: using Debian's rustc-web instead"
    fi
    if [ "$TIME_CRUNCH_WASM_PATH" = rustup ] && ! rustup_has_wasm32; then
      die "TIME_CRUNCH_WASM_PATH=rustup, but rustup has no wasm32 target"
    fi
    ;;
  debian) ;;
  *) die "TIME_CRUNCH_WASM_PATH must be auto, rustup or debian (not $TIME_CRUNCH_WASM_PATH)" ;;
esac
if wasm_uses_rustup; then
  say "wasm32 builds: rustup's target ($(rustc --version))"
else
  say "wasm32 builds: Debian's rustc-web with build-std"
fi

# --- Debian packages ---------------------------------------------------------
# prometheus brings promtool too: the dashboards and alerts are tested against it.
# postgresql: the shared store's tests start a throwaway cluster of their own
# (tests/pg_cluster.py); openssl makes the certificates of deploy-dashboard's
# HTTPS test; libssl-dev and pkg-config let its HTTP client build against the
# system's OpenSSL.
apt_packages=(chromium chromium-driver prometheus strace openssl libssl-dev pkg-config postgresql)
wasm_uses_rustup || apt_packages+=(rustc-web cargo-web rust-web-src lld)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "apt-get not found; install by hand: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  say "installing Debian packages: ${missing[*]} (a few minutes the first time)"
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install failed for: ${missing[*]}"
fi
if ! wasm_uses_rustup; then
  [ -d /usr/lib/rustlib/src/rust/library ] || die "rust-web-src did not provide /usr/lib/rustlib/src/rust (needed to build std for wasm32)"
  command -v wasm-ld >/dev/null || die "wasm-ld (Debian package lld) is missing"
fi
[ -x /usr/bin/chromium ] || die "chromium is missing (Debian package chromium)"
[ -x /usr/bin/chromedriver ] || die "chromedriver is missing (Debian package chromium-driver)"
command -v promtool >/dev/null || die "promtool is missing (Debian package prometheus)"
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || die "initdb is missing (Debian package postgresql)"

# --- Cargo-installed tools (rustup toolchain, cached in $TOOLS_DIR) ---------
have_version() { "$1" --version 2>/dev/null | grep -q " $2\$\| $2 "; }
if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes the first time)"
  # Without --locked: the published lockfile names a yanked dependency.
  cargo install --quiet --root "$TOOLS_DIR" --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" \
    || die "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION failed"
fi
if ! have_version wasm-pack "$WASM_PACK_VERSION"; then
  say "installing wasm-pack $WASM_PACK_VERSION (about 3 minutes the first time)"
  cargo install --quiet --root "$TOOLS_DIR" --force --locked wasm-pack --version "$WASM_PACK_VERSION" \
    || die "cargo install wasm-pack failed"
fi

export CARGO_FUZZ_VERSION=0.13.2
if ! have_version cargo-fuzz "$CARGO_FUZZ_VERSION"; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (about a minute the first time)"
  cargo install --quiet --root "$TOOLS_DIR" --force --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" \
    || die "cargo install cargo-fuzz failed"
fi

# --- Node tools --------------------------------------------------------------
if ! command -v wasm-opt >/dev/null || [ "$(command -v wasm-opt)" != "$TOOLS_DIR/npm/node_modules/.bin/wasm-opt" ]; then
  say "installing wasm-opt (npm binaryen)"
  mkdir -p "$TOOLS_DIR/npm"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/npm" binaryen@132.0.0 >/dev/null \
    || die "npm install binaryen failed"
fi
# Node packages of the package's modal (its build tools), the page, the
# package-consumer test, the page's e2e test and the dashboard's schema check.
for dir in src/bindings/modal www tests/consumer tests/e2e dashboards/schema-check; do
  [ -f "$dir/package-lock.json" ] || continue
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing $dir/ Node packages"
    (cd "$dir" && npm ci --silent --no-audit --no-fund --prefer-offline >/dev/null) || die "npm ci in $dir/ failed"
  fi
done

say "setup complete"
