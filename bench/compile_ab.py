#!/usr/bin/env python3
"""Compile cost of the generated TRTC crates at two checkouts, side by side.

    python3 bench/compile_ab.py BASELINE_CHECKOUT [--repeats N]

For this checkout and BASELINE_CHECKOUT (e.g. `git worktree add /tmp/base <rev>`),
builds a scratch crate depending on `crates/trtc` once (dependencies built),
then N times, alternating the two: `cargo clean -p` the three generated crates
and builds them again (debug). Reports the median wall time and the median CPU
time (user + system of cargo and rustc, which the machine's other load disturbs
less than wall time) and their ratios (this / baseline), and the generated
code's size."""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = ["tencentcloud-trtc", "tencentcloud-trtc-model", "tencentcloud-trtc-error"]


def scratch(name, checkout):
    d = os.path.join(ROOT, "target", "bench-compile-ab", name)
    os.makedirs(os.path.join(d, "src"), exist_ok=True)
    manifest = os.path.join(d, "Cargo.toml")
    with open(manifest, "w") as f:
        f.write(f'[package]\nname = "bench-ab-{name}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
                f'[dependencies]\ntencentcloud-trtc = {{ path = "{os.path.join(checkout, "crates", "trtc")}" }}\n\n'
                f'[workspace]\n')
    with open(os.path.join(d, "src", "lib.rs"), "w") as f:
        f.write("//! Scratch crate for bench/compile_ab.py.\n")
    return manifest, dict(os.environ, CARGO_TARGET_DIR=os.path.join(d, "target"))


def cargo(args, env):
    subprocess.run(["cargo"] + args, env=env, check=True, stdout=subprocess.DEVNULL)


def timed(manifest, env):
    cargo(["clean", "-q", "--manifest-path", manifest] + sum([["-p", c] for c in CRATES], []), env)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    cargo(["build", "-q", "--manifest-path", manifest], env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def size(checkout):
    lines = nbytes = 0
    for c in ["trtc", "trtc-model", "trtc-error"]:
        for base, _, names in os.walk(os.path.join(checkout, "crates", c, "src")):
            for n in names:
                if n.endswith(".rs"):
                    data = open(os.path.join(base, n), "rb").read()
                    nbytes += len(data)
                    lines += data.count(b"\n")
    return lines, nbytes


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("baseline", help="a checkout of the baseline to compare with")
    ap.add_argument("--repeats", type=int, default=5, help="builds of each side (default 5)")
    a = ap.parse_args()
    baseline = os.path.abspath(a.baseline)
    repeats = a.repeats
    sides = {"baseline": scratch("baseline", baseline), "this": scratch("this", ROOT)}
    for manifest, env in sides.values():
        cargo(["build", "-q", "--manifest-path", manifest], env)
    samples = {k: [] for k in sides}
    for i in range(repeats):
        for k, (manifest, env) in sides.items():
            samples[k].append(timed(manifest, env))
            print(f"run {i + 1}/{repeats} {k}: wall {samples[k][-1][0]:.1f} s, cpu {samples[k][-1][1]:.1f} s",
                  file=sys.stderr)
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in samples.items()}
    for k, path in (("baseline", baseline), ("this", ROOT)):
        lines, nbytes = size(path)
        print(f"{k}: wall {med[k][0]:.1f} s, cpu {med[k][1]:.1f} s (medians of {repeats}); "
              f"generated code {lines} lines, {nbytes / 1024:.0f} KiB")
    print(f"ratio this/baseline: wall {med['this'][0] / med['baseline'][0]:.2f}, "
          f"cpu {med['this'][1] / med['baseline'][1]:.2f}")


if __name__ == "__main__":
    main()
