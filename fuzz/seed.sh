#!/usr/bin/env bash
# Seeds fuzz/corpus/parse_message with the doc's examples, each wrapped in
# the doc's envelope, plus the envelope example itself; and
# fuzz/corpus/extract_doc with the docs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
schemas="$here/../schemas"
out="$here/corpus/parse_message"
mkdir -p "$out"
cp "$schemas/envelope.example.json" "$out/envelope.json"
python3 - "$schemas" "$out" <<'PY'
import json, pathlib, sys
schemas, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
envelope = json.loads((schemas / "envelope.example.json").read_text())
for example in sorted((schemas / "events").glob("*.example.json")):
    event_type = example.name.removesuffix(".example.json")
    message = dict(envelope, event_type=event_type, event=json.loads(example.read_text()))
    (out / f"{event_type}.json").write_text(json.dumps(message))
    # The same with `event` before `event_type`, the buffered path.
    first = {"event": message["event"], **{k: v for k, v in message.items() if k != "event"}}
    (out / f"{event_type}.event-first.json").write_text(json.dumps(first))
PY
ls "$out"
# The extractor's corpus: the pinned doc and the fixture docs.
mkdir -p "$here/corpus/extract_doc"
cp "$schemas/webhook_events.md" "$here"/../tests/fixtures/*.md "$here/corpus/extract_doc/"
