#!/usr/bin/env python3
"""Two builds of the loopback client side by side, in one run, alternating.

    python3 bench/ab_loopback.py --base BASE_LOOPBACK [--new NEW_LOOPBACK]
        [--endpoint ENDPOINT_BINARY] [--calls N] [--rounds R] [--pin CPU,CPU]
        [--breaker]

BASE_LOOPBACK is `target/release/loopback` of another checkout (the commit
before a change; build it with `cargo build --release -p tencentcloud-bench
--bin loopback` there); NEW defaults to this checkout's. Both send the same
sequential CreateCloudTranscription calls to one local endpoint (release,
`--single-thread --no-rate-limits --no-records`); each round runs base then new
(then new with the breaker closed and open, with --breaker), so every client
sees the same conditions. Pinned (default: server on CPU 0, clients on CPU 1)
unless --pin none. Prints, per client, the median of the rounds of calls per
second and client CPU microseconds per call (user + system, from the client
itself), and the ratios new / base.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
SECRET_ID, SECRET_KEY = "AKIDbenchmark", "benchmark-secret-key"


def parse_args():
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--base", required=True, metavar="BASE_LOOPBACK",
                   help="the loopback client of the checkout before the change")
    p.add_argument("--new", default=os.path.join(TARGET, "release", "loopback"), metavar="NEW_LOOPBACK",
                   help="the loopback client of this checkout (default: %(default)s)")
    p.add_argument("--endpoint", default=os.path.join(TARGET, "release", "tencentcloud-local-endpoint"),
                   metavar="ENDPOINT_BINARY", help="the local endpoint binary (default: %(default)s)")
    p.add_argument("--calls", type=int, default=20000, help="calls per run (default: %(default)s)")
    p.add_argument("--rounds", type=int, default=7, help="alternating rounds (default: %(default)s)")
    p.add_argument("--pin", default="0,1", metavar="CPU,CPU",
                   help="server and client CPUs, or `none` (default: %(default)s)")
    p.add_argument("--breaker", action="store_true",
                   help="also run the new client with the region breaker closed and open")
    return p.parse_args()


def pinned(cmd, cpu):
    return cmd if ARGS.pin == "none" else ["taskset", "-c", cpu] + cmd


def main():
    global ARGS
    ARGS = parse_args()
    BASE, NEW, ENDPOINT, CALLS, ROUNDS, PIN, BREAKER = (
        ARGS.base, ARGS.new, ARGS.endpoint, ARGS.calls, ARGS.rounds, ARGS.pin, ARGS.breaker)
    server_cpu, client_cpu = ("", "") if PIN == "none" else PIN.split(",")
    server = subprocess.Popen(
        pinned([ENDPOINT, "--secret-id", SECRET_ID, "--secret-key", SECRET_KEY, "--no-rate-limits",
                "--no-records", "--single-thread"], server_cpu),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=dict(os.environ, RUST_LOG="error"))
    url = server.stdout.readline().split()[-1]
    clients = [("base", BASE, []), ("new", NEW, [])]
    if BREAKER:
        clients += [("new, breaker closed", NEW, ["--breaker", "closed"]),
                    ("new, breaker open (to the backup)", NEW, ["--breaker", "open"])]
    results = {name: [] for name, _, _ in clients}
    load = [open("/proc/loadavg").read().split()[:3]]
    try:
        for r in range(ROUNDS):
            for name, exe, extra in clients:
                cmd = pinned([exe, "--endpoint", url, "--secret-id", SECRET_ID, "--secret-key", SECRET_KEY,
                              "--calls", str(CALLS), "--runtime", "current", "--warmup", "200"] + extra, client_cpu)
                out = subprocess.run(cmd, capture_output=True, text=True)
                if out.returncode != 0:
                    sys.exit(f"{name} failed: {out.stderr}")
                results[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"round {r + 1}/{ROUNDS} done", file=sys.stderr)
    finally:
        server.terminate()
        server.wait()
    load.append(open("/proc/loadavg").read().split()[:3])
    med = lambda name, key: statistics.median(x[key] for x in results[name])
    print(f"{CALLS} sequential calls per run, {ROUNDS} rounds alternating, pinning {PIN}; "
          f"load average {' '.join(load[0])} at the start, {' '.join(load[1])} at the end\n")
    print("| client | calls/s (median) | client CPU µs per call (median) | calls/s ÷ base | CPU ÷ base |")
    print("|---|---:|---:|---:|---:|")
    b_rate, b_cpu = med("base", "calls_per_sec"), med("base", "cpu_us_per_call")
    for name, _, _ in clients:
        rate, cpu = med(name, "calls_per_sec"), med(name, "cpu_us_per_call")
        print(f"| {name} | {rate:.0f} | {cpu:.2f} | {rate / b_rate:.3f} | {cpu / b_cpu:.3f} |")
    print("\nEach round, CPU µs per call:")
    for name, _, _ in clients:
        print(f"- {name}: " + ", ".join(f"{x['cpu_us_per_call']:.2f}" for x in results[name]))


if __name__ == "__main__":
    main()
