#!/usr/bin/env python3
"""Build or verify corpus/MANIFEST.json (standard library only).

    python3 corpus/manifest.py build ROOT    # ROOT/bodies/*/INDEX.json -> ROOT/MANIFEST.json
    python3 corpus/manifest.py verify ROOT   # ROOT/MANIFEST.json against the body files
    python3 corpus/manifest.py digest FILE   # X-Onefuzz-Digest of FILE with the test secret

Each generator (python/generate.py, csharp/build.py) leaves an INDEX.json
beside the bodies it wrote; `build` merges them, sorted by path, after
checking every entry against its file. `verify` recomputes every digest and
checks that each body file is listed and each listed file exists.
"""

import glob
import hashlib
import hmac
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import values as V  # noqa: E402

FORMATS = ("webhook", "event_grid")
SENDERS = ("python", "python-models", "csharp")
KEYS = ("path", "sender", "release", "format", "event_type", "digest", "secret", "source", "notes")


def digest(body: bytes, secret: str = V.SECRET) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha512).hexdigest()


def inner_event_type(fmt: str, body: bytes) -> str:
    doc = json.loads(body)
    if fmt == "webhook":
        return doc["event_type"]
    item = doc[0]
    return item.get("eventType", item.get("EventType"))


def body_files(root: str) -> set:
    out = set()
    for fmt in FORMATS:
        for path in glob.glob(os.path.join(root, "bodies", "*", fmt, "*.json")):
            out.add(os.path.relpath(path, root).replace(os.sep, "/"))
    return out


def check_entry(root: str, entry: dict) -> list:
    errors = []
    if tuple(entry) != KEYS:
        errors.append(f"{entry.get('path')}: keys {list(entry)} are not {list(KEYS)}")
    path = os.path.join(root, entry["path"])
    if not os.path.isfile(path):
        return errors + [f"{entry['path']}: listed but missing"]
    with open(path, "rb") as fh:
        body = fh.read()
    if entry["sender"] not in SENDERS or entry["format"] not in FORMATS:
        errors.append(f"{entry['path']}: bad sender or format")
    expected_dir = f"bodies/{entry['sender']}-{entry['release']}/{entry['format']}/"
    if not entry["path"].startswith(expected_dir):
        errors.append(f"{entry['path']}: not under {expected_dir}")
    if digest(body, entry["secret"]) != entry["digest"].lower():
        errors.append(f"{entry['path']}: digest does not match the file")
    if inner_event_type(entry["format"], body) != entry["event_type"]:
        errors.append(f"{entry['path']}: event_type does not match the body")
    if body.endswith(b"\n"):
        errors.append(f"{entry['path']}: ends with a newline no sender wrote")
    return errors


def check_all(root: str, entries: list) -> list:
    errors = []
    for entry in entries:
        errors += check_entry(root, entry)
    listed = {e["path"] for e in entries}
    errors += [f"{p}: body file not in the manifest" for p in sorted(body_files(root) - listed)]
    return errors


def build(root: str) -> int:
    entries = []
    for index in sorted(glob.glob(os.path.join(root, "bodies", "*", "INDEX.json"))):
        with open(index, encoding="utf-8") as fh:
            entries += json.load(fh)
    entries.sort(key=lambda e: e["path"])
    errors = check_all(root, entries)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    manifest = {
        "secret": V.SECRET,
        "digest": "X-Onefuzz-Digest: hex HMAC-SHA512 of the body file's exact bytes, "
                  "keyed with the UTF-8 bytes of `secret`",
        "entries": entries,
    }
    with open(os.path.join(root, "MANIFEST.json"), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    return 0


def verify(root: str) -> int:
    with open(os.path.join(root, "MANIFEST.json"), encoding="utf-8") as fh:
        manifest = json.load(fh)
    errors = check_all(root, manifest["entries"])
    if manifest["secret"] != V.SECRET:
        errors.append("MANIFEST.json: secret differs from corpus/values.py")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    print(f"MANIFEST.json: {len(manifest['entries'])} entries match their files")
    return 0


def main(argv: list) -> int:
    if len(argv) == 2 and argv[0] == "build":
        return build(argv[1])
    if len(argv) == 2 and argv[0] == "verify":
        return verify(argv[1])
    if len(argv) == 2 and argv[0] == "digest":
        with open(argv[1], "rb") as fh:
            print(digest(fh.read()))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
