# Sourced by the project's scripts: where the cached tools live and how to
# reach them. Nothing here installs anything; see scripts/setup.sh.

# Tools and build caches live outside the clone so a fresh clone (and CI)
# reuses them; override with TIME_CRUNCH_CACHE.
export TIME_CRUNCH_CACHE="${TIME_CRUNCH_CACHE:-$HOME/.cache/time-crunch}"
export TOOLS_DIR="$TIME_CRUNCH_CACHE/tools"
export PATH="$TOOLS_DIR/bin:$TOOLS_DIR/npm/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Native builds use the rustup toolchain (it has clippy and rustfmt).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$TIME_CRUNCH_CACHE/target-native}"

# The exact wasm-bindgen version pinned in Cargo.toml; the CLI must match it.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../Cargo.toml" | head -n1)"
export WASM_BINDGEN_VERSION
export WASM_PACK_VERSION=0.15.1

# Which compiler builds for wasm32: "rustup" (rustup's wasm32 target, the
# standard path) or "debian" (Debian's rustc-web building std from source,
# the fallback where rustup cannot install the target). Setup decides;
# TIME_CRUNCH_WASM_PATH=debian forces the fallback (to test it), "rustup"
# forbids it.
export TIME_CRUNCH_WASM_PATH="${TIME_CRUNCH_WASM_PATH:-auto}"

# True when the rustup toolchain can already target wasm32 (no build-std needed).
rustup_has_wasm32() {
  local libdir
  libdir="$(rustc --print target-libdir --target wasm32-unknown-unknown 2>/dev/null)" || return 1
  [ -d "$libdir" ] && ls "$libdir"/libstd-*.rlib >/dev/null 2>&1
}

# True when wasm32 builds take the standard path.
wasm_uses_rustup() {
  [ "$TIME_CRUNCH_WASM_PATH" != debian ] && rustup_has_wasm32
}

# Runs a command with the environment that builds for wasm32. Without a
# rustup wasm32 target, Debian's rustc-web builds std from source.
with_wasm_env() {
  if wasm_uses_rustup; then
    CARGO_TARGET_DIR="$TIME_CRUNCH_CACHE/target-wasm" "$@"
  else
    # Building std ourselves allows two size levers that keep behaviour
    # (BENCHMARKS.md): std's smaller algorithms and no file/line locations
    # in panic messages. panic=immediate-abort would save more but silence
    # the panic hook, so it is not used.
    PATH="/usr/bin:$PATH" \
      RUSTC_BOOTSTRAP=1 \
      CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
      CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none" \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
      CARGO_TARGET_DIR="$TIME_CRUNCH_CACHE/target-wasm-debian" \
      RUSTUP_TOOLCHAIN= \
      "$@"
  fi
}

# Each line carries the seconds since its script started, so slow stages show.
say() { printf '\033[1m==> [%3d s] %s\033[0m\n' "$SECONDS" "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }
