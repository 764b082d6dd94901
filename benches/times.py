#!/usr/bin/env python3
"""Time per operation of each mode of `benches/parse.rs`, interleaved.

Usage: python3 benches/times.py [ROUNDS]   (from the repository root; default 200)
       BENCH_CARGO_ARGS="--no-default-features --features signature" python3 benches/times.py

Builds the `parse_runs` bench and runs `parse_runs time ROUNDS`: every
(case, mode) is timed in batches of ~2 ms, round-robin, ROUNDS times over,
and each gets its median. A shared machine's load moves all modes alike
this way, so the ratios, printed after the times, are what to compare;
the absolute times are not.
"""

import subprocess
import sys

from ratios import bench_binary, print_ratios


def main():
    rounds = sys.argv[1] if len(sys.argv) > 1 else "200"
    out = subprocess.run(
        [bench_binary(), "time", rounds], check=True, capture_output=True, text=True
    ).stdout
    print(out)
    times = {}
    for line in out.splitlines()[1:]:
        case, mode, ns = line.split(",")
        times.setdefault(case, {})[mode] = float(ns)
    print_ratios(times)


if __name__ == "__main__":
    main()
