#!/usr/bin/env python3
"""Instructions per operation of each mode of `benches/parse.rs`, counted by
callgrind: unlike times, the counts do not move with the machine's load.

Usage: python3 benches/instructions.py [N]   (from the repository root; needs valgrind)
       BENCH_CARGO_ARGS="--no-default-features --features signature" python3 benches/instructions.py
           (the crate without `preserve-unknown-fields`)

Builds the `parse_runs` bench, then runs each (case, mode) under
`valgrind --tool=callgrind` once with 1 and once with 1+N iterations; the
difference divided by N is the cost of one operation, without the start-up.
Prints the counts, then the ratios of `benches/ratios.py`. Instructions are
not time: work with few, cheap instructions (such as UTF-8 checks) weighs
more here than on the clock, so read them beside `benches/times.py`.
"""

import subprocess
import sys

from ratios import bench_binary, instructions, print_ratios


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    binary = bench_binary()
    cases, modes = (line.split() for line in subprocess.run(
        [binary, "list"], check=True, capture_output=True, text=True).stdout.splitlines())
    counts = {}
    print("case,mode,instructions")
    for case in cases:
        for mode in modes:
            once = instructions([binary, case, mode, "1"])
            many = instructions([binary, case, mode, str(1 + n)])
            counts.setdefault(case, {})[mode] = (many - once) / n
            print(f"{case},{mode},{(many - once) / n:.0f}", flush=True)
    print()
    print_ratios(counts)


if __name__ == "__main__":
    main()
