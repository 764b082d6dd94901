#!/usr/bin/env bash
# Checks that builds reuse what earlier builds made:
#
# - `example`: right after `cargo test --workspace`, `cargo build --example
#   receiver` (what `cargo run --example receiver` builds) compiles nothing:
#   both resolve the same features and profile for every crate they share
#   (see the dev-dependencies and `[profile.dev.build-override]` in Cargo.toml).
# - `codegen`: a no-op `cargo build --features codegen` does not rerun
#   build.rs, and touching a schema file (or build.rs) does.
#
# Usage: bash benches/rebuild_check.sh [example|codegen]   (both by default;
# uses this repository's target dir)
#
# Reads `cargo build -v`: cargo prints `Compiling` for each crate it
# compiles, `Running `.../build-script-build`` when it runs the build
# script and `Fresh` when it does not. The touched files get their
# modification times back at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
case $what in
  all | example | codegen) ;;
  *) echo "usage: bash benches/rebuild_check.sh [example|codegen]" >&2; exit 2 ;;
esac

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

# The `{package} [{features}]` lines of `cargo tree` for some packages.
features() { cargo tree "$@" -f '{p} [{f}]' --prefix none | sed 's/ (\*)$//' | sort -u; }

if [ "$what" = all ] || [ "$what" = example ]; then
  cargo test --workspace --no-run > "$log" 2>&1 || { cat "$log"; exit 1; }
  cargo build --example receiver -v > "$log" 2>&1 || { cat "$log"; exit 1; }
  compiled=$(grep -c '^ *Compiling ' "$log" || true)
  echo "example after cargo test --workspace: crates compiled: $compiled (expected 0)"
  if [ "$compiled" != 0 ]; then
    status=1
    grep '^ *Compiling ' "$log"
    echo "features this package's build asks for that cargo test --workspace built otherwise:"
    comm -13 <(features --workspace) <(features -p onefuzz-webhook-types)
  fi
fi
[ "$what" = all ] || [ "$what" = codegen ] || exit $status

ran() { grep -q 'Running `[^`]*onefuzz-webhook-types-[^`]*/build-script-build`' "$1"; }
build() { cargo build --features codegen -v > "$1" 2>&1; }

build "$log"  # whatever state the target dir is in
check() {  # check WHAT EXPECTED(yes|no)
  build "$log"
  local got=no
  ran "$log" && got=yes
  echo "$1: build script rerun: $got (expected $2)"
  [ "$got" = "$2" ] || status=1
}
check "no-op rebuild" no
for file in schemas/envelope.schema.json "$(ls schemas/events/*.schema.json | head -1)" build.rs; do
  stamp=$(stat -c %y "$file")
  touch "$file"
  check "after touching $file" yes
  touch -d "$stamp" "$file"
done
check "no-op rebuild after that" no
exit $status
