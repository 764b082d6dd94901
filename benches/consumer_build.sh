#!/usr/bin/env bash
# What depending on this crate costs a consumer's cold build.
#
# Usage: bash benches/consumer_build.sh [PAIRS]   (default 3; run from anywhere)
#
# Makes, in a temporary directory:
#   types-plain/  the same types as plain Rust: src/ (with the checked-in
#                 generated.rs) and the same runtime dependencies, without
#                 build.rs, the `codegen` feature or build-dependencies;
#   consumer-a/   a binary depending on this repository by path (default features);
#   consumer-b/   the same binary depending on types-plain/.
# Both consumers take their versions from this repository's Cargo.lock.
# Each cold build uses a fresh CARGO_TARGET_DIR, offline, alternating
# A, B, A, B, ...; prints wall and CPU seconds (/usr/bin/time) of each, and
# the ratios A/B of the medians. Then once: A with `--features codegen`
# against A default, which is what generating in build.rs costs.
# Finally `cargo package` of this crate, whose verification step builds the
# packaged crate, with default features and with `codegen`.
set -euo pipefail

pairs=${1:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# types-plain: the crate's sources and manifest, minus generation.
mkdir -p "$work/types-plain"
cp -r "$repo/src" "$work/types-plain/src"
awk '
  /^\[/ { skip = ($0 ~ /^\[(workspace|lints)(\..*)?\]$/ || $0 ~ /^\[(build-dependencies|dev-dependencies)\]$/ || $0 ~ /^\[\[(bench|example|test)\]\]$/) }
  /^codegen = / { print "codegen = []"; next }
  /^readme = / { next }
  !skip { print }
' "$repo/Cargo.toml" > "$work/types-plain/Cargo.toml"

for c in a b; do
  mkdir -p "$work/consumer-$c/src"
  dep=$([ $c = a ] && echo "$repo" || echo "$work/types-plain")
  cat > "$work/consumer-$c/Cargo.toml" <<TOML
[package]
name = "consumer-$c"
version = "0.1.0"
edition = "2021"

[dependencies]
onefuzz-webhook-types = { path = "$dep" }

[workspace]
TOML
  cat > "$work/consumer-$c/src/main.rs" <<'RS'
fn main() {
    let body = std::io::read_to_string(std::io::stdin()).unwrap();
    match onefuzz_webhook_types::WebhookMessage::from_str(&body) {
        Ok(message) => println!("{}", message.event_type()),
        Err(e) => eprintln!("{e}"),
    }
}
RS
  # The repository's versions; cargo drops what the consumer does not use.
  cp "$repo/Cargo.lock" "$work/consumer-$c/Cargo.lock"
  (cd "$work/consumer-$c" && cargo fetch --quiet)
done

# Prints "wall user+sys" seconds of a cold `cargo build` in consumer $1 with args $2...
cold_build() {
  local dir=$work/consumer-$1
  shift
  rm -rf "$work/target"
  (cd "$dir" && CARGO_TARGET_DIR="$work/target" /usr/bin/time -f "%e %U %S" -o "$work/time" \
    cargo build --offline --locked --quiet "$@")
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$work/time"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "run consumer wall_s cpu_s"
: > "$work/a"; : > "$work/b"
for i in $(seq "$pairs"); do
  for c in a b; do
    t=$(cold_build $c)
    echo "$t" >> "$work/$c"
    echo "$i $c $t"
  done
done
for col in 1 2; do
  a=$(cut -d' ' -f$col "$work/a" | median)
  b=$(cut -d' ' -f$col "$work/b" | median)
  name=$([ $col = 1 ] && echo wall || echo cpu)
  echo "median $name: A ${a}s, B ${b}s, A/B $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
done

echo "once: A with --features codegen against A default"
gen=$(cold_build a --features onefuzz-webhook-types/codegen)
def=$(cold_build a)
echo "codegen $gen"
echo "default $def"
echo "codegen/default wall $(echo "$gen $def" | awk '{ printf "%.2f", $1 / $3 }'), cpu $(echo "$gen $def" | awk '{ printf "%.2f", $2 / $4 }')"

echo "cargo package (builds the packaged crate)"
pkg=$work/package-src
mkdir -p "$pkg"
(cd "$repo" && git ls-files -z | xargs -0 cp --parents -t "$pkg")
cp -r "$repo/src" "$repo/Cargo.toml" "$pkg/"  # uncommitted changes too
# The README is required by the manifest; a placeholder if it is not written yet.
[ -f "$pkg/README.md" ] || echo "placeholder" > "$pkg/README.md"
(cd "$pkg" && CARGO_TARGET_DIR="$work/target-pkg" cargo package -p onefuzz-webhook-types --allow-dirty --offline --quiet --no-verify --list) > "$work/files"
echo "packaged files: $(tr '\n' ' ' < "$work/files")"
# With the generator's package (codegen/), which crates.io does not have:
# cargo verifies the crate against its tarball.
for features in "" "--features onefuzz-webhook-types/codegen"; do
  (cd "$pkg" && CARGO_TARGET_DIR="$work/target-pkg" cargo package -p onefuzz-webhook-types -p onefuzz-webhook-types-codegen --allow-dirty --offline --quiet $features) \
    && echo "package + build of the packaged crate ${features:-(default features)}: ok"
done
