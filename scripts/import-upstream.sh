#!/usr/bin/env bash
# Adds every doc revision listed in an upstream MANIFEST.tsv (file, commit,
# date) to schemas/revisions/ through `cargo xtask regen --doc`, the same
# path a maintainer uses for one new revision. Run once to import a history;
# docs already present change nothing.
#
#   scripts/import-upstream.sh DIR [GIT_DIR]
#
# DIR holds MANIFEST.tsv and the docs it names. With GIT_DIR (a clone of
# the upstream repository), each revision is dated by its commit's time in
# UTC rather than the manifest's day, so revisions of one day keep their
# order.
set -euo pipefail
dir=$1
git_dir=${2:-}
cd "$(dirname "$0")/.."
cargo build --quiet --package xtask
tail -n +2 "$dir/MANIFEST.tsv" | while IFS=$'\t' read -r file commit date; do
  if [ -n "$git_dir" ]; then
    date=$(TZ=UTC git -C "$git_dir" log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd "$commit")
  fi
  log=$(./target/debug/xtask regen --doc "$dir/$file" --upstream-commit "$commit" --date "$date")
  echo "$file: ${log%%$'\n'*}"
done
