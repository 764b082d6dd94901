#!/usr/bin/env python3
"""Ratios from the estimates of the last `cargo bench --bench parse` run.

Usage: python3 benches/ratios.py [TARGET_DIR]   (default: target)

Each ratio divides two medians of the same run. criterion measures one
function after another, so load that changes during the run moves one
side and not the other; `benches/times.py` interleaves the modes instead.
Prints one line per group (each doc example, and `stream`, all of them in a
row). The rows, the binary and the table are shared with `times.py` and
`instructions.py`; the callgrind count with `instructions.py` and
`xtask_scale.py`.
"""

import json
import os
import pathlib
import re
import subprocess
import sys

ROWS = [
    # (label, numerator, denominator)
    ("from_slice/body_text", "message_from_slice", "body_struct_text"),  # target <= 1.1, like for like
    ("from_slice/body", "message_from_slice", "body_struct"),  # body read as serde_json::from_slice does
    ("value/from_slice", "message_value", "message_from_slice"),  # target >= 2
    ("value_text/from_slice", "message_value_text", "message_from_slice"),  # Value read as text too
    ("from_slice/ignored_any", "message_from_slice", "message_ignored_any"),
    # The least the envelope can add with serde_json: the body into its
    # struct, plus scanning the envelope's own bytes (message minus body, skipped).
    ("floor/body_text", "body_struct_text + message_ignored_any - body_ignored_any", "body_struct_text"),
    # How much faster than Value a message parse at that floor would be.
    ("value/floor", "message_value", "body_struct_text + message_ignored_any - body_ignored_any"),
    ("from_slice/serde_json", "message_from_slice", "message_serde_json"),
    ("body_path/body", "body_struct_path", "body_struct"),
    ("event_first/from_slice", "message_event_first", "message_from_slice"),
    ("to_vec/from_slice", "message_to_vec", "message_from_slice"),
    ("verify/from_slice", "message_verify", "message_from_slice"),
]


def side(values, expression):
    """The value of one side of a row: a mode, or modes joined by + and -."""
    total, sign = 0.0, 1
    for token in expression.split():
        if token in "+-":
            sign = 1 if token == "+" else -1
        else:
            total += sign * values[token]
    return total


def ratio(values, numerator, denominator):
    return side(values, numerator) / side(values, denominator)


def bench_binary():
    """Builds the `parse_runs` bench (with $BENCH_CARGO_ARGS) and returns its path."""
    out = subprocess.run(
        ["cargo", "bench", "--bench", "parse_runs", "--no-run", "--message-format=json",
         *os.environ.get("BENCH_CARGO_ARGS", "").split()],
        check=True, capture_output=True, text=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "parse_runs":
            if msg.get("executable"):
                return msg["executable"]
    sys.exit("parse_runs was not built")


def instructions(args, check=True):
    """Instructions that running `args` takes, counted by callgrind."""
    err = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *args],
                         check=check, capture_output=True, text=True).stderr
    return int(re.search(r"Collected : (\d+)", err).group(1))


def print_ratios(values):
    """`values[case][mode]`, as one line of ROWS per case. A mode as
    `parse_runs` names it (`a/b`) is the criterion name with `_` (`a_b`)."""
    print("case," + ",".join(label for label, _, _ in ROWS))
    for case, by_mode in values.items():
        by_mode = {mode.replace("/", "_"): value for mode, value in by_mode.items()}
        cells = [f"{ratio(by_mode, a, b):.2f}" for _, a, b in ROWS]
        print(f"{case}," + ",".join(cells))


def median_ns(directory):
    data = json.loads((directory / "new" / "estimates.json").read_text())
    return data["median"]["point_estimate"]


def main():
    target = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target")
    root = target / "criterion"
    groups = sorted(p for p in root.glob("parse_*") if p.is_dir())
    if not groups:
        sys.exit(f"no criterion results under {root}: run `cargo bench --bench parse` first")
    print("group," + ",".join(label for label, _, _ in ROWS) + ",from_slice_ns")
    for group in groups:
        times = {p.name: median_ns(p) for p in group.iterdir() if (p / "new").is_dir()}
        cells = [f"{ratio(times, a, b):.2f}" for _, a, b in ROWS]
        name = group.name.removeprefix("parse_")
        print(f"{name}," + ",".join(cells) + f",{times['message_from_slice']:.0f}")


if __name__ == "__main__":
    main()
