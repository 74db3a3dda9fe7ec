#!/usr/bin/env python3
"""Every benchmark of BENCHMARKS.md, side by side, in one run.

    python3 bench/run.py [--quick]

1. CPU per request: criterion (`cargo bench -p tencentcloud-bench`), medians,
   ratio to the TC3 signing floor.
2. Loopback calls/s: the Rust client and Tencent's official Python SDK against
   the same local endpoint (release build, keep-alive, one write per answer),
   sequential and concurrent, unpinned and pinned to one core.
3. Peak memory of a process making 100 calls, Rust and Python.
4. Import plus generation of the whole TRTC service (release xtask).
5. Clean debug build time of the generated crates: whole TRTC (58 actions) and
   the three-action crates this project ships.

Needs: cargo, python3 with venv (the SDK is installed into target/ like the
interop test does), taskset, and ../shared (or TENCENTCLOUD_SHARED_DIR).
Prints a Markdown report on standard output.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
SDK_VERSION = "3.1.177"
QUICK = "--quick" in sys.argv
REPEATS = 1 if QUICK else 3
SECRET_ID, SECRET_KEY = "AKIDbenchmark", "benchmark-secret-key"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    log("$", " ".join(cmd))
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


def shared_dir():
    for d in [os.environ.get("TENCENTCLOUD_SHARED_DIR"), os.path.join(ROOT, "..", "shared"), "/work/shared"]:
        if d and os.path.isdir(os.path.join(d, "tencentcloud-api")):
            return os.path.abspath(d)
    sys.exit("cannot find ../shared (set TENCENTCLOUD_SHARED_DIR)")


def python_sdk():
    venv = os.path.join(TARGET, f"python-sdk-{SDK_VERSION}")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(os.path.join(venv, ".installed")):
        run([sys.executable, "-m", "venv", venv])
        run([py, "-m", "pip", "install", "--quiet", f"tencentcloud-sdk-python-common=={SDK_VERSION}",
             f"tencentcloud-sdk-python-trtc=={SDK_VERSION}"])
        open(os.path.join(venv, ".installed"), "w").write(SDK_VERSION)
    return py


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = "?"
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem = f"{int(line.split()[1]) // 1024 // 1024} GiB"
    rustc = run(["rustc", "--version"]).strip()
    return f"{os.cpu_count()} cores ({cpu}), {mem}, {rustc}, Python {sys.version.split()[0]}"


def criterion():
    run(["cargo", "bench", "-p", "tencentcloud-bench", "--bench", "request", "--",
         "--warm-up-time", "1", "--measurement-time", "2" if QUICK else "5"], cwd=ROOT)
    out = {}
    base = os.path.join(TARGET, "criterion", "per_request")
    for name in sorted(os.listdir(base)):
        est = os.path.join(base, name, "new", "estimates.json")
        if os.path.exists(est):
            out[name] = json.load(open(est))["median"]["point_estimate"]
    return out


class Endpoint:
    def __init__(self, pin=None):
        cmd = [os.path.join(TARGET, "release", "tencentcloud-local-endpoint"), "--secret-id", SECRET_ID,
               "--secret-key", SECRET_KEY, "--no-rate-limits", "--no-records", "--single-thread"]
        if pin:
            cmd = ["taskset", "-c", pin] + cmd
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                  env=dict(os.environ, RUST_LOG="error"))
        line = self.p.stdout.readline()
        self.url = line.split()[-1]
        self.hostport = self.url.replace("http://", "")

    def close(self):
        self.p.terminate()
        self.p.wait()


def rust_client(ep, calls, concurrency, runtime, pin=None, warmup=50):
    cmd = [os.path.join(TARGET, "release", "loopback"), "--endpoint", ep.url, "--secret-id", SECRET_ID,
           "--secret-key", SECRET_KEY, "--calls", str(calls), "--concurrency", str(concurrency),
           "--runtime", runtime, "--warmup", str(warmup)]
    if pin:
        cmd = ["taskset", "-c", pin] + cmd
    return json.loads(run(cmd).strip().splitlines()[-1])


def python_client(py, ep, calls, concurrency, pin=None, warmup=50):
    cmd = [py, os.path.join(ROOT, "bench", "python_client.py"), ep.hostport, SECRET_ID, SECRET_KEY,
           str(calls), str(concurrency), str(warmup)]
    if pin:
        cmd = ["taskset", "-c", pin] + cmd
    return json.loads(run(cmd).strip().splitlines()[-1])


def median_of(f):
    results = [f() for _ in range(REPEATS)]
    return statistics.median(r["calls_per_sec"] for r in results)


def loopback(py):
    n_rust, n_py = (5000, 1000) if QUICK else (20000, 3000)
    rows = {}
    for pin, label in [(None, "unpinned"), ("0", "pinned to core 0")]:
        ep = Endpoint(pin)
        try:
            rows[("rust", 1, label)] = median_of(lambda: rust_client(ep, n_rust, 1, "current", pin))
            rows[("python", 1, label)] = median_of(lambda: python_client(py, ep, n_py, 1, pin))
            if pin is None:
                rows[("rust", 16, label)] = median_of(lambda: rust_client(ep, n_rust * 2, 16, "multi"))
                rows[("python", 8, label)] = median_of(lambda: python_client(py, ep, n_py, 8))
        finally:
            ep.close()
    return rows


def memory(py):
    ep = Endpoint()
    try:
        r = [rust_client(ep, 100, 1, "current", warmup=0)["peak_rss_kib"] for _ in range(REPEATS)]
        p = [python_client(py, ep, 100, 1, warmup=0)["peak_rss_kib"] for _ in range(REPEATS)]
    finally:
        ep.close()
    return statistics.median(r), statistics.median(p)


def generation(shared):
    api = os.path.join(shared, "tencentcloud-api", "trtc", "v20190722")
    times, gens = [], []
    out = os.path.join(TARGET, "bench-whole-trtc")
    for _ in range(5 if not QUICK else 2):
        shutil.rmtree(out, ignore_errors=True)
        text = run([os.path.join(TARGET, "release", "xtask"), "import", "--api", os.path.join(api, "api.json"),
                    "--examples", os.path.join(api, "examples.json"), "--out", out])
        line = [l for l in text.splitlines() if "took" in l][0]
        times.append(float(line.split("took ")[1].split(" ms")[0]))
        gens.append(float(line.split("generation alone ")[1].split(" ms")[0]))
    return statistics.median(times), statistics.median(gens), out


def timed_build(manifest, target_dir, packages):
    env = dict(os.environ, CARGO_TARGET_DIR=target_dir)
    run(["cargo", "build", "-q", "--manifest-path", manifest] + sum([["-p", p] for p in packages], []), env=env)
    samples = []
    for _ in range(REPEATS):
        run(["cargo", "clean", "-q", "--manifest-path", manifest] + sum([["-p", p] for p in packages], []), env=env)
        t = time.perf_counter()
        run(["cargo", "build", "-q", "--manifest-path", manifest] + sum([["-p", p] for p in packages], []), env=env)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def compile_cost(whole_dir):
    shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(whole_dir, "Cargo.lock"))
    pkgs = ["tencentcloud-trtc-model", "tencentcloud-trtc-error", "tencentcloud-trtc"]
    whole = timed_build(os.path.join(whole_dir, "Cargo.toml"), os.path.join(TARGET, "bench-whole-target"), pkgs)
    ours = timed_build(os.path.join(ROOT, "Cargo.toml"), os.path.join(TARGET, "bench-ours-target"), pkgs)
    return whole, ours


def main():
    shared = shared_dir()
    run(["cargo", "build", "-q", "--release", "-p", "tencentcloud-local-endpoint", "-p", "tencentcloud-bench",
         "-p", "xtask"], cwd=ROOT)
    py = python_sdk()
    m = machine()
    cpu = criterion()
    loops = loopback(py)
    mem_rust, mem_py = memory(py)
    gen_total, gen_only, whole_dir = generation(shared)
    whole_build, ours_build = compile_cost(whole_dir)

    floor = cpu["floor_sha256_body_plus_4_hmac"]
    print(f"Machine: {m}\n")
    print("| per request (criterion median) | ns | × floor |\n|---|---:|---:|")
    for k in ["floor_sha256_body_plus_4_hmac", "build", "serialize", "sign", "sign_inspectable",
              "build_serialize_sign", "build_serialize_sign_cached_key"]:
        if k in cpu:
            print(f"| {k} | {cpu[k]:.0f} | {cpu[k] / floor:.2f} |")
    print("\n| loopback, CreateCloudTranscription | Rust calls/s | Python calls/s | ratio |\n|---|---:|---:|---:|")
    for label in ["unpinned", "pinned to core 0"]:
        r, p = loops[("rust", 1, label)], loops[("python", 1, label)]
        print(f"| sequential, {label} | {r:.0f} | {p:.0f} | {r / p:.1f}× |")
    r, p = loops[("rust", 16, "unpinned")], loops[("python", 8, "unpinned")]
    print(f"| concurrent (Rust 16 tasks, Python 8 threads), unpinned | {r:.0f} | {p:.0f} | {r / p:.1f}× |")
    print(f"\n| peak RSS, process making 100 calls | KiB |\n|---|---:|\n| Rust | {mem_rust:.0f} |\n"
          f"| Python | {mem_py:.0f} |\n| ratio | {mem_rust / mem_py:.2f} (Python/Rust {mem_py / mem_rust:.1f}×) |")
    print(f"\nImport + generation of the whole TRTC service (58 actions, 208 shapes), release xtask, median: "
          f"{gen_total:.0f} ms ({gen_only:.0f} ms generation).")
    print(f"\n| clean debug build of the generated crates (deps prebuilt), median | s | per action |\n|---|---:|---:|")
    print(f"| whole TRTC, 58 actions | {whole_build:.2f} | {whole_build / 58:.3f} |")
    print(f"| this project's crates, 3 actions | {ours_build:.2f} | {ours_build / 3:.3f} |")


if __name__ == "__main__":
    main()
