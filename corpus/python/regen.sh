#!/usr/bin/env bash
# Regenerate the webhook body corpus, or check that the committed one is current.
#
#   bash corpus/python/regen.sh           # rewrite corpus/bodies/ and corpus/MANIFEST.json
#   bash corpus/python/regen.sh --check   # regenerate into a temp dir, diff -r, exit 1 on any difference
#
# The Python bodies need one venv per onefuzztypes release (PyPI access for the
# first run); they are kept in $CORPUS_VENV_DIR (default: target/corpus-venvs,
# ignored by git) and rebuilt when a requirements file changes. The C# bodies
# and the manifest need only python3.
#
# Without python3, or where `python3 -m venv` or pip cannot set up a venv, the
# Python part is skipped with a message and the script exits 0 (in --check
# mode the committed bodies and manifest are still verified against each
# other if python3 exists). Set CORPUS_STRICT=1 to make a skip an error.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CORPUS="$(cd "$HERE/.." && pwd)"
REPO="$(cd "$CORPUS/.." && pwd)"
VENVS="${CORPUS_VENV_DIR:-$REPO/target/corpus-venvs}"
RELEASES=(1.11.0 2.5.0 5.20.0)   # real senders: the Python service of that release
MODELS_ONLY=(8.9.0)              # Python models of a C#-era release; not a real sender

mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

skip() {
  echo "regen.sh: SKIPPED: $*" >&2
  if [ "${CORPUS_STRICT:-0}" = 1 ]; then exit 1; fi
  if [ "$mode" = check ] && command -v python3 >/dev/null 2>&1; then
    python3 "$CORPUS/manifest.py" verify "$CORPUS"
  fi
  exit 0
}

command -v python3 >/dev/null 2>&1 || skip "python3 not found"

# venv_for RELEASE: print the python of a venv with requirements-RELEASE.txt installed.
venv_for() {
  local release="$1" req="$HERE/requirements-$1.txt" dir="$VENVS/v$1"
  local want have=""
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  [ -f "$dir/.requirements.sha256" ] && have="$(cat "$dir/.requirements.sha256")"
  if [ "$want" != "$have" ] || [ ! -x "$dir/bin/python" ]; then
    rm -rf "$dir"
    mkdir -p "$VENVS"
    python3 -m venv "$dir" >&2 || return 1
    "$dir/bin/python" -m pip --version >/dev/null 2>&1 || return 1
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2 || return 1
    echo "$want" >"$dir/.requirements.sha256"
  fi
  echo "$dir/bin/python"
}

if [ "$mode" = check ]; then
  out="$(mktemp -d "${TMPDIR:-/tmp}/corpus-check.XXXXXX")"
  trap 'rm -rf "$out"' EXIT
else
  out="$CORPUS"
fi

python3 -m venv --help >/dev/null 2>&1 || skip "python3 -m venv is not available"
declare -A PY
for release in "${RELEASES[@]}" "${MODELS_ONLY[@]}"; do
  PY[$release]="$(venv_for "$release")" || skip "could not set up a venv for onefuzztypes==$release (no pip or no network?)"
done

mkdir -p "$out/bodies"
for release in "${RELEASES[@]}"; do
  rm -rf "$out/bodies/python-$release"
  "${PY[$release]}" "$HERE/generate.py" "$out/bodies/python-$release"
done
for release in "${MODELS_ONLY[@]}"; do
  rm -rf "$out/bodies/python-models-$release"
  "${PY[$release]}" "$HERE/generate.py" --models-only "$out/bodies/python-models-$release"
done
rm -rf "$out"/bodies/csharp-*
python3 "$CORPUS/csharp/build.py" "$out/bodies"
python3 "$CORPUS/manifest.py" build "$out"

if [ "$mode" = check ]; then
  status=0
  diff -r "$CORPUS/bodies" "$out/bodies" || status=1
  diff "$CORPUS/MANIFEST.json" "$out/MANIFEST.json" || status=1
  if [ "$status" != 0 ]; then
    echo "regen.sh --check: corpus/bodies or corpus/MANIFEST.json is not up to date;" \
         "run: bash corpus/python/regen.sh" >&2
    exit 1
  fi
  echo "regen.sh --check: corpus is up to date ($(find "$out/bodies" -name '*.json' ! -name INDEX.json | wc -l) bodies)"
else
  echo "regen.sh: wrote $(find "$out/bodies" -name '*.json' ! -name INDEX.json | wc -l) bodies and MANIFEST.json under $CORPUS"
fi
