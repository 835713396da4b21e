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

# The collector is compiled once, in the debug profile, and shared by
# scripts/demo and the end-to-end tests (tests/e2e/harness.mjs looks here).
# Debug, because `cargo test --workspace` has already compiled its
# dependencies that way: after it the collector links in about 15 s, where a
# release build starts over with the profile tuned for the widget's size (LTO,
# one codegen unit, opt-level "z"): 111 s cold against 60 s for debug, 2 cores.
# A debug collector is fast enough for a demo and for the tests.
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

# Fails with a pointer to scripts/setup when a tool is missing.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed: run scripts/setup"
  done
}
