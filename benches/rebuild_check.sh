#!/usr/bin/env bash
# Checks that a no-op `cargo build --features codegen` does not rerun
# build.rs, and that touching a schema file (or build.rs) does.
#
# Usage: bash benches/rebuild_check.sh   (uses this repository's target dir)
#
# Reads `cargo build -v`: cargo prints `Running `.../build-script-build``
# when it runs the build script and `Fresh` when it does not. The touched
# files get their modification times back at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

ran() { grep -q 'Running `[^`]*onefuzz-webhook-types-[^`]*/build-script-build`' "$1"; }
build() { cargo build --features codegen -v > "$1" 2>&1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
build "$log"  # whatever state the target dir is in
status=0
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
