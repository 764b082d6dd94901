#!/usr/bin/env python3
"""Time `cargo xtask regen` and `check` on synthetic docs of N event types
(benches/scale_doc.py), with the xtask already built in release mode, so the
figures exclude compiling it.

Usage: python3 benches/xtask_scale.py [N ...]   (default: 4 50 100 250 500)

For each N: a temporary root gets a copy of schemas/ and src/generated.rs;
a first `regen --doc` moves it to the N-event doc (timed: a full rewrite),
then `check --doc` and `regen --doc` (nothing to write) run 3 times each.
Prints the median wall time of each, and the instructions one `check`
takes, counted by callgrind (unaffected by the machine's load: the figure to
judge how the cost grows with N).
"""

import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time



def instructions(args, check=True):
    """Instructions that running `args` takes, counted by callgrind."""
    err = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *args],
                         check=check, capture_output=True, text=True).stderr
    return int(re.search(r"Collected : (\d+)", err).group(1))

REPO = pathlib.Path(__file__).resolve().parent.parent


def timed(args):
    start = time.perf_counter()
    subprocess.run(args, check=False, capture_output=True)
    return time.perf_counter() - start


def main():
    sizes = [int(n) for n in sys.argv[1:]] or [4, 50, 100, 250, 500]
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "xtask"], check=True, cwd=REPO)
    xtask = str(REPO / "target" / "release" / "xtask")
    print("events,first_regen_s,check_s,noop_regen_s,check_instructions,per_event")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = pathlib.Path(tmp)
            shutil.copytree(REPO / "schemas", root / "schemas")
            (root / "src").mkdir()
            shutil.copy(REPO / "src" / "generated.rs", root / "src" / "generated.rs")
            doc = root / "doc.md"
            doc.write_text(subprocess.run(
                [sys.executable, str(REPO / "benches" / "scale_doc.py"), str(n)],
                check=True, capture_output=True, text=True).stdout)
            common = ["--doc", str(doc), "--root", str(root)]
            first = timed([xtask, "regen", *common])
            check = statistics.median(timed([xtask, "check", *common]) for _ in range(3))
            noop = statistics.median(timed([xtask, "regen", *common]) for _ in range(3))
            count = instructions([xtask, "check", *common], check=False)
            print(f"{n},{first:.3f},{check:.3f},{noop:.3f},{count},{count // n}", flush=True)


if __name__ == "__main__":
    main()
