#!/usr/bin/env python3
"""Writes a synthetic webhook doc with N event types, in the markdown format
of schemas/webhook_events.md, for timing `cargo xtask regen` / `check` on
large docs.

Usage: python3 benches/scale_doc.py N > doc.md

Event `event_<i>` (i = 1..N) takes the example and schema of the i-th of the
events in schemas/events/ (cycling through them), with the schema's title
made unique (`WebhookEventEvent<i>`); the definitions they share are kept,
identical, as in the real doc. The envelope (schemas/envelope.schema.json)
lists the N types in its event-type enum and references their titles in the
`anyOf` of `event`; its definitions are the non-event ones of the real
envelope plus one per synthetic event.
"""

import copy
import json
import pathlib
import sys

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "schemas"


def load(path):
    return json.loads(path.read_text())


def fence(value):
    return "```json\n" + json.dumps(value, indent=4) + "\n```\n"


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    templates = []
    for schema_path in sorted((SCHEMAS / "events").glob("*.schema.json")):
        event_type = schema_path.name.removesuffix(".schema.json")
        example = load(schema_path.with_name(f"{event_type}.example.json"))
        templates.append((load(schema_path), example))
    envelope = load(SCHEMAS / "envelope.schema.json")
    payload = load(SCHEMAS / "envelope.example.json")

    real_titles = {schema["title"] for schema, _ in templates}
    type_ref = envelope["properties"]["event_type"]["$ref"].removeprefix("#/definitions/")
    definitions = {k: v for k, v in envelope["definitions"].items() if k not in real_titles}

    events = []
    for i in range(1, n + 1):
        schema, example = copy.deepcopy(templates[(i - 1) % len(templates)])
        schema["title"] = f"WebhookEventEvent{i}"
        events.append((f"event_{i}", schema, example))
        body = {k: v for k, v in schema.items() if k != "definitions"}
        definitions[schema["title"]] = body

    definitions[type_ref] = dict(definitions[type_ref], enum=[name for name, _, _ in events])
    envelope["properties"]["event"]["anyOf"] = [
        {"$ref": f"#/definitions/{schema['title']}"} for _, schema, _ in events
    ]
    envelope["definitions"] = definitions
    payload["event_type"] = events[0][0]
    payload["event"] = events[0][2]

    out = [
        "# Webhook Events\n",
        f"This document describes {n} synthetic webhook event types.\n",
        "## Payload\n",
        "Each event will be submitted via HTTP POST to the user provided URL.\n",
        "### Example\n",
        fence(payload),
        f"## Event Types ({type_ref})\n",
    ]
    for name, schema, example in events:
        out += [f"### {name}\n", "#### Example\n", fence(example), "#### Schema\n", fence(schema)]
    out += ["## Full Event Schema\n", fence(envelope)]
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
