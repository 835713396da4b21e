# shellcheck shell=bash
# Shared by the scripts in this folder: `source "$(dirname "$0")/lib.sh"`.
#
# Sets REPO_ROOT, puts the project's tools first on PATH (npm's binaryen
# wasm-opt in node_modules/.bin, cargo-installed trunk, wasm-bindgen and
# wasm-pack in ~/.cargo/bin) and defines log/die.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

CARGO_BIN_DIR="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$REPO_ROOT/node_modules/.bin:$CARGO_BIN_DIR:$PATH"

# Versions of the tools scripts/setup installs. wasm-bindgen-cli has no entry:
# it must equal the `wasm-bindgen` crate in Cargo.lock, see wasm_bindgen_version.
# shellcheck disable=SC2034 # read by scripts/setup
TRUNK_VERSION="0.21.14"
# wasm-split-cli, from the crate wasm_split_cli_support, splits the release
# wasm (scripts/build). 0.2.3 is the first to read wasm-bindgen 0.2.128+
# output; it must read the markers of Cargo.lock's wasm_split_helpers.
# shellcheck disable=SC2034 # read by scripts/setup
WASM_SPLIT_CLI_VERSION="0.2.4"

# The collector is compiled once, in the debug profile, and shared by
# scripts/demo and the end-to-end tests (tests/e2e/harness.mjs looks here).
# Debug, because `cargo test --workspace` has already compiled its
# dependencies that way: after it the collector links in seconds, where a
# release build (the `release` profile, tuned for the server's speed) starts
# over. A debug collector is fast enough for a demo and for the tests; the
# throughput benchmarks build the release one.
COLLECTOR_BIN="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/collector"
export COLLECTOR_BIN

log() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The version of the wasm-bindgen crate that Cargo.lock pins; the CLI that
# post-processes the wasm (trunk) and runs wasm tests (wasm-pack) must match it.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$REPO_ROOT/Cargo.lock"
}

# Prints the second word of `TOOL --version` ("trunk 0.21.14" -> 0.21.14),
# or nothing when TOOL is missing or broken.
tool_version() {
  command -v "$1" >/dev/null 2>&1 || return 0
  "$1" --version 2>/dev/null | awk 'NR == 1 { print $2 }'
}

# The standard library's own workspace, which rustup's rust-src component
# ships with its Cargo.lock. The release build recompiles std from it
# (scripts/build), so the crates that lockfile names (libc, hashbrown,
# compiler_builtins, ...) must be in the cargo cache like the project's own.
std_manifest() {
  printf '%s/lib/rustlib/src/rust/library/Cargo.toml\n' "$(rustc --print sysroot)"
}

# Runs `cargo fetch --locked` with ARGS on both lockfiles: the workspace's
# (every target, so host tests and the wasm build alike) and the standard
# library's. std's manifest uses unstable cargo features, hence
# RUSTC_BOOTSTRAP for that one call. Downloads only from crates.io.
fetch_crates() {
  cargo fetch --locked --manifest-path "$REPO_ROOT/Cargo.toml" "$@" &&
    RUSTC_BOOTSTRAP=1 cargo fetch --locked --manifest-path "$(std_manifest)" "$@"
}

# True when every crate of both lockfiles is in the local cargo cache, so
# the offline builds (scripts/build, the test layers) can resolve them.
crates_cached() {
  fetch_crates --offline --quiet >/dev/null 2>&1
}

# The environment of the widget's release build (scripts/build), shared with
# the fresh-cache check (scripts/check-fresh-cache) so both build alike. Two
# unstable options of the pinned 1.95 toolchain, unlocked with
# RUSTC_BOOTSTRAP for this build only, take 14 KB off the wasm: the standard
# library is rebuilt with the widget's size profile, and a panic aborts at
# once instead of formatting a message nobody reads (the page shows its
# crash screen either way). The standard library's source comes from
# rustup's rust-src, which scripts/setup adds. Host builds and tests, and
# `wasm-pack test`, stay on plain stable.
release_wasm_env() {
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  # Replaces .cargo/config.toml's wasm32 rustflags, so it repeats them.
  # --emit-relocs keeps the linker's relocations in the wasm: wasm-split-cli
  # reads them to find which code only a split point reaches.
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Clink-args=--emit-relocs"
}

# Fails with a pointer to scripts/setup when a tool is missing.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed: run scripts/setup"
  done
}
