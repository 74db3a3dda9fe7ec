#!/usr/bin/env python3
"""Every benchmark of BENCHMARKS.md, side by side, in one run.

    python3 bench/run.py [--quick] [--only SECTIONS] [--write | --no-write] [--api-dir DIR]

Sections (all by default; --only takes a comma-separated subset):

  cpu       CPU per request: criterion (`cargo bench -p tencentcloud-bench`),
            medians, ratio to the TC3 signing floor.
  loopback  Sequential calls against the same local endpoint (release build,
            keep-alive, one write per answer) by the round-trip floor (one
            prebuilt signed request, blocking write + read), the Rust client,
            Tencent's official Python SDK and Tencent's official Node.js SDK;
            unpinned, client and server on one core, and on two separate cores;
            the layers between the floor and the client (`floor --stack`);
            concurrent calls; client CPU time per call (user + system, whole
            process) and server CPU time per call.
  memory    Peak RSS of a process making 100 calls: Rust, Python, Node.js.
  codegen   `xtask codegen --check` (release xtask) on the committed specs, and
            `xtask import --service trtc --out` of the whole service from the
            pinned definitions (`cargo xtask fetch`; --api-dir DIR: from the
            api.json/examples.json in DIR instead).
  compile   Clean debug build of the shipped generated TRTC crates beside that of
            `aws-sdk-transcribe`, both as dependencies of scratch crates under
            target/, their dependencies built; seconds per action and the ratio.
  cli       Wall time and peak RSS of one invocation of `trtc` (release) beside
            Tencent's `tccli` (tccli-intl-en, pinned, from PyPI into target/):
            `--generate-cli-skeleton` (no network for either), and one
            DescribeRoomInfo (ours against the local endpoint, tccli against a
            closed port: its floor); the stripped binary's size.

A full run rewrites the generated blocks of BENCHMARKS.md (between
`<!-- bench:NAME -->` and `<!-- /bench:NAME -->`); --quick only prints, unless
--write. Needs: cargo, python3 with venv, node and npm (the SDKs are installed
into target/ like the interop tests do), taskset. Prints the report (Markdown)
on standard output and progress on standard error.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
PY_SDK_VERSION = "3.1.177"
NODE_SDK_VERSION = "4.1.313"
AWS_TRANSCRIBE_VERSION = "1.127.0"
SECTIONS = ["cpu", "loopback", "memory", "codegen", "compile", "cli"]
TCCLI_VERSION = "3.1.193.1"


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        prog="python3 bench/run.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one repetition each; print only (unless --write)")
    ap.add_argument("--only", metavar="SECTIONS", default=",".join(SECTIONS),
                    help=f"comma-separated subset of: {', '.join(SECTIONS)}")
    w = ap.add_mutually_exclusive_group()
    w.add_argument("--write", action="store_true", help="rewrite the blocks of BENCHMARKS.md this run measured")
    w.add_argument("--no-write", action="store_true", help="never rewrite BENCHMARKS.md")
    ap.add_argument("--api-dir", metavar="DIR",
                    help="codegen section: import from the api.json/examples.json in DIR instead of the pinned definitions")
    a = ap.parse_args(argv)
    only = a.only.split(",")
    for s in only:
        if s not in SECTIONS:
            ap.error(f"unknown section {s}; sections: {', '.join(SECTIONS)}")
    return a, only


ARGS, ONLY = parse_args()
QUICK = ARGS.quick
# A full run rewrites every block; --write with --only rewrites the blocks of those sections.
WRITE = (ARGS.write or (not QUICK and set(ONLY) == set(SECTIONS))) and not ARGS.no_write
API_DIR = ARGS.api_dir
REPEATS = 1 if QUICK else 3
COMPILE_REPEATS = 1 if QUICK else 5
SECRET_ID, SECRET_KEY = "AKIDbenchmark", "benchmark-secret-key"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    log("$", " ".join(cmd))
    p = subprocess.run(cmd, text=True, capture_output=True, **kw)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    return p.stdout


def load():
    return open("/proc/loadavg").read().split()[:3]


# --- the clients ------------------------------------------------------------


def installed(*args):
    """What `cargo xtask install ARGS` prints: the repository's one install
    helper (a file lock, installed once however many processes ask, a killed
    install redone), the same the tests use."""
    return run(["cargo", "xtask", "install", *args], cwd=ROOT).strip()


def python_sdk():
    """The python of the virtual environment with the official SDK (the one
    tests/it/interop_python.rs uses)."""
    return installed("python", "--name", f"python-sdk-{PY_SDK_VERSION}",
                     f"tencentcloud-sdk-python-common=={PY_SDK_VERSION}",
                     f"tencentcloud-sdk-python-trtc=={PY_SDK_VERSION}")


def node_sdk():
    """The node_modules holding tencentcloud-sdk-nodejs (same place as tests/it/interop_node.rs)."""
    for tool in ["node", "npm"]:
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is required (Tencent's official Node.js SDK is one of the peers)")
    return installed("npm", "--name", f"node-sdk-{NODE_SDK_VERSION}", f"tencentcloud-sdk-nodejs@{NODE_SDK_VERSION}")


def clk_tck():
    return os.sysconf("SC_CLK_TCK")


def proc_cpu_s(pid):
    """utime + stime of a process (all threads), seconds, from /proc (1/CLK_TCK resolution)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / clk_tck()


class Endpoint:
    def __init__(self, pin=None, single_thread=True):
        cmd = [os.path.join(TARGET, "release", "tencentcloud-local-endpoint"), "--secret-id", SECRET_ID,
               "--secret-key", SECRET_KEY, "--no-rate-limits", "--no-records"]
        if single_thread:
            cmd.append("--single-thread")
        if pin is not None:
            cmd = ["taskset", "-c", pin] + cmd
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                  env=dict(os.environ, RUST_LOG="error"))
        line = self.p.stdout.readline()
        self.url = line.split()[-1]
        self.port = self.url.rsplit(":", 1)[1]
        self.hostport = self.url.replace("http://", "")

    def cpu_s(self):
        return proc_cpu_s(self.p.pid)

    def close(self):
        self.p.terminate()
        self.p.wait()


class Clients:
    def __init__(self):
        self.py = python_sdk()
        self.node_modules = node_sdk()
        # The bot's UserSig in the seed request: the endpoint checks it.
        self.user_sig = run([os.path.join(TARGET, "release", "user_sig")]).strip()

    def cmd(self, kind, ep, calls, concurrency, warmup):
        rel = lambda name: os.path.join(TARGET, "release", name)
        auth = ["--secret-id", SECRET_ID, "--secret-key", SECRET_KEY]
        if kind == "rust":
            runtime = "current" if concurrency <= 1 else "multi"
            return [rel("loopback"), "--endpoint", ep.url, *auth, "--calls", str(calls), "--concurrency",
                    str(concurrency), "--runtime", runtime, "--warmup", str(warmup)], None
        if kind.startswith("floor"):
            stack = kind.split("-", 1)[1] if "-" in kind else "blocking"
            return [rel("floor"), "--endpoint", ep.url, *auth, "--calls", str(calls), "--warmup", str(warmup),
                    "--stack", stack], None
        if kind == "python":
            return [self.py, os.path.join(ROOT, "bench", "python_client.py"), ep.hostport, SECRET_ID, SECRET_KEY,
                    str(calls), str(concurrency), str(warmup)], {"TRTC_USER_SIG": self.user_sig}
        if kind == "node":
            return (["node", os.path.join(ROOT, "bench", "node_client.js"), ep.port, SECRET_ID, SECRET_KEY,
                     str(calls), str(concurrency), str(warmup)],
                    {"NODE_PATH": self.node_modules, "TRTC_USER_SIG": self.user_sig})
        raise ValueError(kind)

    def run(self, kind, ep, calls, concurrency=1, pin=None, warmup=50):
        """One client process; its JSON line plus the server's CPU seconds per call during it."""
        cmd, env = self.cmd(kind, ep, calls, concurrency, warmup)
        if pin is not None:
            cmd = ["taskset", "-c", pin] + cmd
        server_before = ep.cpu_s()
        out = run(cmd, env=dict(os.environ, **(env or {})))
        result = json.loads(out.strip().splitlines()[-1])
        # Warm-up calls are included on the server side (it cannot tell them apart).
        result["server_cpu_us_per_call"] = (ep.cpu_s() - server_before) * 1e6 / (result["calls"] + warmup)
        result["us_per_call"] = 1e6 / result["calls_per_sec"]
        return result


def med(results, key):
    return statistics.median(r[key] for r in results)


# --- sections -----------------------------------------------------------------


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


PLACEMENTS = [
    # (label, server CPU, client CPU)
    ("unpinned", None, None),
    ("one core (both on CPU 0)", "0", "0"),
    ("two cores (server CPU 0, client CPU 1)", "0", "1"),
]
LAYERS = ["floor-tokio", "floor-tokio-sdk", "floor-hyper", "floor-hyper-pool", "floor-reqwest"]


def loopback(clients):
    n_fast, n_slow = (5000, 1000) if QUICK else (20000, 3000)
    seq = {}
    for label, server_pin, client_pin in PLACEMENTS:
        ep = Endpoint(server_pin)
        try:
            runs = {k: [] for k in ["floor", "rust", "python", "node"] + LAYERS}
            # Interleaved, so that every client sees the same conditions in each round.
            # Unpinned runs land in one of two regimes each (see BENCHMARKS.md): more of them.
            for _ in range(REPEATS if server_pin is not None or QUICK else REPEATS + 2):
                for kind in ["floor", "rust", "python", "node"] + LAYERS:
                    n = n_slow if kind in ("python", "node") else n_fast
                    runs[kind].append(clients.run(kind, ep, n, 1, client_pin))
            seq[label] = runs
        finally:
            ep.close()
    conc = {k: [] for k in ["rust", "python", "node"]}
    ep = Endpoint()
    try:
        for _ in range(REPEATS):
            conc["rust"].append(clients.run("rust", ep, n_fast * 2, 16))
            conc["python"].append(clients.run("python", ep, n_slow, 8))
            conc["node"].append(clients.run("node", ep, n_slow * 2, 16))
    finally:
        ep.close()
    return seq, conc


def memory(clients):
    ep = Endpoint()
    try:
        out = {}
        for kind in ["rust", "python", "node"]:
            out[kind] = statistics.median(
                clients.run(kind, ep, 100, 1, warmup=0)["peak_rss_kib"] for _ in range(REPEATS))
    finally:
        ep.close()
    return out


def spec_actions():
    """Actions per committed spec file."""
    out = {}
    for f in sorted(os.listdir(os.path.join(ROOT, "spec"))):
        if f.endswith(".json") and f != "common-errors.json":
            out[f] = len(json.load(open(os.path.join(ROOT, "spec", f))).get("actions", {}))
    return out


def codegen():
    xtask = os.path.join(TARGET, "release", "xtask")
    samples, files = [], 0
    for _ in range(2 if QUICK else 5):
        text = run([xtask, "codegen", "--check"], cwd=ROOT)
        m = re.search(r"(\d+) generated files are up to date \((\d+) ms\)", text)
        if not m:
            sys.exit(f"unexpected output of xtask codegen --check: {text}")
        files = int(m.group(1))
        samples.append(float(m.group(2)))
    result = {"check_ms": statistics.median(samples), "files": files, "specs": spec_actions(), "import": None}
    # The whole service, imported as a user would: from the pinned definitions
    # `cargo xtask fetch` caches under target/ (or from --api-dir).
    out = os.path.join(TARGET, "bench-whole-service")
    if API_DIR:
        source = ["--api", os.path.join(API_DIR, "api.json"), "--examples", os.path.join(API_DIR, "examples.json")]
    else:
        run([xtask, "fetch"], cwd=ROOT)
        source = ["--service", "trtc", "--version", "2019-07-22"]
    times, gens = [], []
    for _ in range(2 if QUICK else 5):
        shutil.rmtree(out, ignore_errors=True)
        text = run([xtask, "import", *source, "--out", out], cwd=ROOT)
        line = [l for l in text.splitlines() if "took" in l][0]
        times.append(float(line.split("took ")[1].split(" ms")[0]))
        gens.append(float(line.split("generation alone ")[1].split(" ms")[0]))
    spec_file = [f for f in os.listdir(os.path.join(out, "spec")) if f != "common-errors.json"][0]
    actions = len(json.load(open(os.path.join(out, "spec", spec_file))).get("actions", {}))
    result["import"] = {"ms": statistics.median(times), "generation_ms": statistics.median(gens),
                        "actions": actions}
    return result


# --- compile cost -----------------------------------------------------------------

OUR_CRATES = {"tencentcloud-trtc": "crates/trtc", "tencentcloud-trtc-model": "crates/trtc-model",
              "tencentcloud-trtc-error": "crates/trtc-error"}


def rs_files(d):
    for base, _, names in os.walk(d):
        for n in names:
            if n.endswith(".rs"):
                yield os.path.join(base, n)


def code_size(dirs):
    lines = size = 0
    for d in dirs:
        for f in rs_files(d):
            data = open(f, "rb").read()
            size += len(data)
            lines += data.count(b"\n")
    return lines, size


def our_actions():
    """Actions in the shipped client crate, whatever its layout: one `ActionMeta` per action."""
    n = 0
    for f in rs_files(os.path.join(ROOT, "crates", "trtc", "src")):
        n += len(re.findall(r"\bActionMeta\s*\{\s*name\s*:", open(f).read()))
    return n


def scratch(name, dependency):
    d = os.path.join(TARGET, "bench-compile", name)
    os.makedirs(os.path.join(d, "src"), exist_ok=True)
    manifest = os.path.join(d, "Cargo.toml")
    open(manifest, "w").write(
        f'[package]\nname = "bench-compile-{name}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
        f"[dependencies]\n{dependency}\n\n[workspace]\n")
    open(os.path.join(d, "src", "lib.rs"), "w").write("//! Scratch crate for bench/run.py (compile cost).\n")
    return manifest


def timed_build(manifest, packages):
    """Median wall seconds, the samples, the env, and median CPU seconds (user +
    system of cargo and rustc: what the machine's other load disturbs least)."""
    import resource
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(os.path.dirname(manifest), "target"))
    # The whole graph once (dependencies stay built), then clean and time just `packages`.
    run(["cargo", "build", "-q", "--manifest-path", manifest], env=env)
    samples, cpu = [], []
    for _ in range(COMPILE_REPEATS):
        run(["cargo", "clean", "-q", "--manifest-path", manifest] + sum([["-p", p] for p in packages], []), env=env)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        run(["cargo", "build", "-q", "--manifest-path", manifest], env=env)
        samples.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(samples), samples, env, statistics.median(cpu)


def package_dir(manifest, env, name):
    meta = json.loads(run(["cargo", "metadata", "--format-version", "1", "--manifest-path", manifest], env=env))
    for p in meta["packages"]:
        if p["name"] == name:
            return os.path.dirname(p["manifest_path"]), p["version"]
    sys.exit(f"{name} is not in the dependency graph of {manifest}")


def compile_cost():
    ours_manifest = scratch("ours", f'tencentcloud-trtc = {{ path = "{os.path.join(ROOT, "crates", "trtc")}" }}')
    aws_manifest = scratch(
        "aws", f'aws-sdk-transcribe = {{ version = "={AWS_TRANSCRIBE_VERSION}", default-features = false, '
               f'features = ["rt-tokio", "behavior-version-latest"] }}')
    ours_s, ours_samples, _, ours_cpu = timed_build(ours_manifest, list(OUR_CRATES))
    aws_s, aws_samples, aws_env, aws_cpu = timed_build(aws_manifest, ["aws-sdk-transcribe"])
    aws_dir, aws_version = package_dir(aws_manifest, aws_env, "aws-sdk-transcribe")
    op_dir = os.path.join(aws_dir, "src", "operation")
    aws_ops = sum(1 for e in os.listdir(op_dir) if os.path.isdir(os.path.join(op_dir, e)))
    ours_n = our_actions()
    if ours_n == 0:
        # The generated layout changed so that no `ActionMeta { name: ... }` is
        # found: count the spec's actions instead, and say so.
        ours_n = sum(v for k, v in spec_actions().items() if k.startswith("trtc-"))
        log(f"warning: no ActionMeta found in crates/trtc/src; counting {ours_n} actions from spec/")
    return {
        "ours": {"s": ours_s, "samples": ours_samples, "cpu": ours_cpu, "actions": ours_n,
                 "size": code_size([os.path.join(ROOT, d, "src") for d in OUR_CRATES.values()])},
        "aws": {"s": aws_s, "samples": aws_samples, "cpu": aws_cpu, "actions": aws_ops, "version": aws_version,
                "size": code_size([os.path.join(aws_dir, "src")])},
        "spec_actions": spec_actions(),
    }


# --- report -----------------------------------------------------------------------


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = "?"
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    virt = []
    if shutil.which("systemd-detect-virt"):
        for flag, what in [("--vm", "guest"), ("--container", "container")]:
            v = subprocess.run(["systemd-detect-virt", flag], text=True, capture_output=True).stdout.strip()
            if v and v != "none":
                virt.append(f"{v} {what}")
    rustc = run(["rustc", "--version"]).strip()
    node = run(["node", "--version"]).strip() if shutil.which("node") else "no node"
    return (f"{os.cpu_count()} cores ({', '.join([cpu] + virt)}), {mem}, "
            f"{rustc}, Python {sys.version.split()[0]}, Node.js {node}")


def fmt_ratio(x):
    return f"{x:.2f}×" if x < 10 else f"{x:.1f}×"


def report_cpu(cpu):
    floor = cpu["floor_sha256_body_plus_4_hmac"]
    names = {
        "floor_sha256_body_plus_4_hmac": "floor: SHA-256(body) + 4 × HMAC-SHA256",
        "build": "build (builders)",
        "serialize": "serialize (`serde_json::to_vec`)",
        "sign": "sign, deriving the key (client path, first call of a day)",
        "sign_inspectable": "sign, inspectable (`sign::sign`, returns canonical request and string to sign)",
        "build_serialize_sign": "**build + serialize + sign, deriving the key**",
        "build_serialize_sign_cached_key": "**build + serialize + sign, cached key** (client path, every other call)",
    }
    out = ["| per request (criterion median) | ns | × floor |", "|---|---:|---:|"]
    for k, label in names.items():
        if k in cpu:
            out.append(f"| {label} | {cpu[k]:.0f} | {cpu[k] / floor:.2f} |")
    a, b = cpu["build_serialize_sign"] / floor, cpu["build_serialize_sign_cached_key"] / floor
    out.append("")
    out.append(f"Target ≤ 2× the floor: {'met' if max(a, b) <= 2 else 'missed'} "
               f"({a:.2f}× deriving the key, {b:.2f}× with the cached key).")
    return "\n".join(out)


def report_floor(seq):
    out = ["| sequential, µs per call (median) | floor | Rust client | **Rust / floor** | Python SDK | Node.js SDK "
           "| server CPU µs per call |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for label, _, _ in PLACEMENTS:
        r = seq[label]
        f, ru = med(r["floor"], "us_per_call"), med(r["rust"], "us_per_call")
        out.append(f"| {label} | {f:.1f} | {ru:.1f} | **{fmt_ratio(ru / f)}** | {med(r['python'], 'us_per_call'):.0f} "
                   f"| {med(r['node'], 'us_per_call'):.0f} | {med(r['floor'], 'server_cpu_us_per_call'):.1f} |")
    un = seq["unpinned"]
    ratio = med(un["rust"], "us_per_call") / med(un["floor"], "us_per_call")
    runs = lambda k: ", ".join(f"{x['us_per_call']:.0f}" for x in un[k])
    out.append("")
    out.append(f"Unpinned, each run (µs per call, in order): floor {runs('floor')}; Rust {runs('rust')}.")
    out.append("")
    out.append(f"Target: the Rust client within 1.25× of the floor unpinned: "
               f"{'met' if ratio <= 1.25 else 'missed'} ({ratio:.2f}×).")
    return "\n".join(out)


def report_layers(seq):
    names = [("floor", "floor: blocking `write` + `read` of the prebuilt request"),
             ("floor-tokio", "the same on a current-thread tokio runtime"),
             ("floor-tokio-sdk", "the client's own per-call work (serialize, sign, head, envelope, decode) on that "
                                 "tokio stream, no HTTP library"),
             ("floor-hyper", "hyper HTTP/1.1 connection (request and response objects, dispatch task)"),
             ("floor-hyper-pool", "hyper-util pooled client (what reqwest is built on)"),
             ("floor-reqwest", "reqwest, the client's settings, prebuilt headers and body"),
             ("rust", "the Rust client (`create_cloud_transcription_with`)")]
    labels = [p[0] for p in PLACEMENTS]
    head = "| layer, sequential | " + " | ".join(f"µs per call, {l.split(' (')[0]} | client CPU µs"
                                                for l in labels) + " |"
    out = [head, "|---|" + "---:|" * (2 * len(labels))]
    for k, label in names:
        cells = []
        for l in labels:
            cells.append(f"{med(seq[l][k], 'us_per_call'):.1f}")
            cells.append(f"{med(seq[l][k], 'cpu_us_per_call'):.1f}")
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    for label in labels[:2]:
        r = seq[label]
        ratio = lambda k: fmt_ratio(med(r[k], "us_per_call") / med(r["floor"], "us_per_call"))
        if label == "unpinned":
            # Each process lands on one CPU or two by itself: per-layer differences are not meaningful here.
            out.append("")
            out.append(f"Unpinned: the Rust client at {ratio('rust')} the floor's time, the client's own work "
                       f"without an HTTP library at {ratio('floor-tokio-sdk')}.")
            continue
        cpu = {k: med(r[k], "cpu_us_per_call") for k, _ in names}
        chain = [("floor", "floor-tokio", "tokio"), ("floor-tokio", "floor-hyper", "hyper's connection"),
                 ("floor-hyper", "floor-hyper-pool", "hyper-util's pool"),
                 ("floor-hyper-pool", "floor-reqwest", "reqwest"),
                 ("floor-reqwest", "rust", "the runtime's own work")]
        out.append("")
        out.append(f"{label[0].upper() + label[1:]}: client CPU per call added by each layer: "
                   + ", ".join(f"{what} {cpu[b] - cpu[a]:+.1f} µs" for a, b, what in chain)
                   + f"; the Rust client {cpu['rust']:.1f} µs against the floor's {cpu['floor']:.1f} µs "
                   f"({ratio('rust')} the floor's time). The client's own work without an "
                   f"HTTP library: {cpu['floor-tokio-sdk']:.1f} µs ({ratio('floor-tokio-sdk')} the floor's time).")
    return "\n".join(out)


def report_rates(seq, conc):
    out = ["| loopback, calls/s (median) | Rust | Python SDK | Node.js SDK | Rust / Python | Rust / Node.js |",
           "|---|---:|---:|---:|---:|---:|"]
    rows = [(f"sequential, {label}", seq[label]["rust"], seq[label]["python"], seq[label]["node"])
            for label, _, _ in PLACEMENTS]
    rows.append(("concurrent, unpinned (Rust 16 tasks, Python 8 threads, Node.js 16 in flight)",
                 conc["rust"], conc["python"], conc["node"]))
    verdicts = []
    for label, r, p, n in rows:
        r, p, n = med(r, "calls_per_sec"), med(p, "calls_per_sec"), med(n, "calls_per_sec")
        out.append(f"| {label} | {r:.0f} | {p:.0f} | {n:.0f} | **{fmt_ratio(r / p)}** | **{fmt_ratio(r / n)}** |")
        verdicts.append(f"{label.split(' (')[0]} {'met' if r / p >= 10 else 'missed'}")
    out.append("")
    out.append("Target ≥ 10× the Python SDK's calls/s: " + "; ".join(verdicts) + ".")
    return "\n".join(out)


def report_cpu_per_call(seq, conc):
    un = seq["unpinned"]
    out = ["| client CPU µs per call, user + system, whole process (median) | floor | Rust | Python SDK "
           "| Node.js SDK | Python / Rust | Node.js / Rust |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    rows = [("sequential, unpinned", med(un["floor"], "cpu_us_per_call"), un["rust"], un["python"], un["node"]),
            ("concurrent, unpinned", None, conc["rust"], conc["python"], conc["node"])]
    for label, f, r, p, n in rows:
        r, p, n = med(r, "cpu_us_per_call"), med(p, "cpu_us_per_call"), med(n, "cpu_us_per_call")
        out.append(f"| {label} | {'' if f is None else f'{f:.1f}'} | {r:.1f} | {p:.0f} | {n:.0f} "
                   f"| **{fmt_ratio(p / r)}** | **{fmt_ratio(n / r)}** |")
    return "\n".join(out)


def report_memory(mem):
    r = mem["rust"]
    out = ["| process making 100 sequential calls | peak RSS (KiB) | × Rust |", "|---|---:|---:|",
           f"| Rust client (`loopback --calls 100 --warmup 0`) | {r:.0f} | 1.00 |",
           f"| Python SDK (`python_client.py ... 100 1 0`) | {mem['python']:.0f} | {mem['python'] / r:.1f} |",
           f"| Node.js SDK, TRTC module only (`node_client.js ... 100 1 0`) | {mem['node']:.0f} "
           f"| {mem['node'] / r:.1f} |", "",
           f"Target ≤ 1/3 of Python's: {'met' if r * 3 <= mem['python'] else 'missed'} "
           f"(Rust uses {r / mem['python']:.2f} of Python's, {r / mem['node']:.2f} of Node.js's)."]
    return "\n".join(out)


def report_codegen(g):
    specs = ", ".join(f"`{k}` {v} actions" for k, v in g["specs"].items())
    out = [f"`xtask codegen --check` (release build; generates every crate from the committed specs, {specs}, "
           f"plus the edge-case snapshots, {g['files']} files, and compares them with the tree), median: "
           f"**{g['check_ms']:.0f} ms**."]
    if g["import"]:
        i = g["import"]
        out.append(f"\n`xtask import --out` of a whole service ({i['actions']} actions) from Tencent's definitions, "
                   f"median: **{i['ms']:.0f} ms** ({i['generation_ms']:.0f} ms of it generation). Target < 1 s: "
                   f"{'met' if i['ms'] < 1000 else 'missed'}.")
    else:
        out.append("\n(The whole-service import was not timed in this run: it needs Tencent's definitions, "
                   "`--api-dir DIR` with `api.json` and `examples.json`.)")
    return "\n".join(out)


def report_compile(c):
    o, a = c["ours"], c["aws"]
    po, pa = o["s"] / o["actions"], a["s"] / a["actions"]
    samples = lambda s: ", ".join(f"{x:.2f}" for x in s)
    co, ca = o["cpu"] / o["actions"], a["cpu"] / a["actions"]
    out = ["| clean debug build, dependencies built (median) | actions | generated lines | bytes | seconds "
           "| s per action | CPU s | CPU s per action |",
           "|---|---:|---:|---:|---:|---:|---:|---:|",
           f"| shipped TRTC crates (`tencentcloud-trtc`, `-model`, `-error`) | {o['actions']} | {o['size'][0]} "
           f"| {o['size'][1]} | {o['s']:.2f} ({samples(o['samples'])}) | **{po:.3f}** | {o['cpu']:.2f} | {co:.3f} |",
           f"| `aws-sdk-transcribe` {a['version']} | {a['actions']} | {a['size'][0]} | {a['size'][1]} "
           f"| {a['s']:.2f} ({samples(a['samples'])}) | **{pa:.3f}** | {a['cpu']:.2f} | {ca:.3f} |",
           "",
           f"Per action, ours / aws: **{po / pa:.2f}** wall, {co / ca:.2f} CPU "
           f"(target ≤ 0.40: {'met' if po / pa <= 0.40 else 'missed'})."]
    spec_total = sum(c["spec_actions"].values())
    if spec_total != o["actions"]:
        out.append(f"\n(Note: the specs list {spec_total} actions, the client crate {o['actions']}.)")
    return "\n".join(out)


def tccli():
    """Tencent's tccli in target/tccli (the one crates/cli/tests/cli.rs uses)."""
    python = installed("python", "--name", "tccli", f"tccli-intl-en=={TCCLI_VERSION}")
    return os.path.join(os.path.dirname(python), "tccli")


def measure(cmd, env, expect_ok):
    """Wall seconds and peak RSS (MB) of one process. The RSS comes from GNU time
    (`/usr/bin/time -f %M`): the peak of a child forked from this Python process
    would start at Python's own RSS, which Linux keeps across exec."""
    if not os.path.exists("/usr/bin/time"):
        sys.exit("/usr/bin/time (GNU time) is required by the cli section (apt-get install time)")
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    lines = p.stderr.strip().splitlines()
    if expect_ok and p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return wall, int(lines[-1]) / 1024.0


def cli_cost():
    run(["cargo", "build", "-q", "--release", "-p", "tencentcloud-trtc-cli"], cwd=ROOT)
    ours = os.path.join(TARGET, "release", "trtc")
    stripped = os.path.join(TARGET, "trtc-stripped")
    shutil.copyfile(ours, stripped)
    run(["strip", stripped])
    size_mb = os.path.getsize(stripped) / 1e6
    theirs = tccli()
    home = os.path.join(TARGET, "bench-cli-home")
    os.makedirs(home, exist_ok=True)
    import socket
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    server = subprocess.Popen([os.path.join(TARGET, "release", "tencentcloud-local-endpoint"), "--port", "0",
                               "--secret-id", SECRET_ID, "--secret-key", SECRET_KEY],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = server.stdout.readline().split()[-1]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": home, "TENCENTCLOUD_SECRET_ID": SECRET_ID,
           "TENCENTCLOUD_SECRET_KEY": SECRET_KEY}
    room = ["--SdkAppId", "1400000001", "--StartTime", "1700000000", "--EndTime", "1700003600"]
    cases = {
        "skeleton": (
            ([ours, "DescribeRoomInfo", "--generate-cli-skeleton"], True),
            ([theirs, "trtc", "DescribeRoomInfo", "--generate-cli-skeleton"], True),
        ),
        "call": (
            ([ours, "DescribeRoomInfo", *room, "--region", "ap-guangzhou", "--endpoint", url, "--no-paginate"], True),
            ([theirs, "trtc", "DescribeRoomInfo", *room, "--region", "ap-guangzhou",
              "--endpoint", f"127.0.0.1:{closed_port}"], False),
        ),
    }
    n = 3 if QUICK else 10
    out = {"size_mb": size_mb, "runs": n}
    try:
        for name, ((o_cmd, o_ok), (t_cmd, t_ok)) in cases.items():
            measure(o_cmd, env, o_ok)  # warm the page cache for both
            measure(t_cmd, env, t_ok)
            o = [measure(o_cmd, env, o_ok) for _ in range(n)]
            t = [measure(t_cmd, env, t_ok) for _ in range(n)]
            out[name] = {
                "ours_s": statistics.median(w for w, _ in o), "ours_mb": statistics.median(m for _, m in o),
                "tccli_s": statistics.median(w for w, _ in t), "tccli_mb": statistics.median(m for _, m in t),
            }
    finally:
        server.terminate()
        server.wait()
    return out


def report_cli(c):
    rows = ["| one invocation | `trtc` wall | `tccli` wall | time ratio | `trtc` peak RSS | `tccli` peak RSS | memory ratio |",
            "|---|---|---|---|---|---|---|"]
    names = {"skeleton": "`DescribeRoomInfo --generate-cli-skeleton` (no network)",
             "call": "one `DescribeRoomInfo` (trtc: local endpoint; tccli: closed port)"}
    for key in ["skeleton", "call"]:
        r = c[key]
        rows.append(f"| {names[key]} | {r['ours_s'] * 1000:.1f} ms | {r['tccli_s'] * 1000:.0f} ms | "
                    f"1/{r['tccli_s'] / r['ours_s']:.0f} | {r['ours_mb']:.1f} MB | {r['tccli_mb']:.1f} MB | "
                    f"1/{r['tccli_mb'] / r['ours_mb']:.1f} |")
    rows.append("")
    rows.append(f"Stripped release binary: {c['size_mb']:.1f} MB. Medians of {c['runs']} runs each, "
                f"tccli-intl-en {TCCLI_VERSION}, after one warm-up run of each; wall time from the "
                f"benchmark's clock around `/usr/bin/time`, peak RSS from `/usr/bin/time -f %M`.")
    return "\n".join(rows)


def rewrite(blocks):
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read()
    for name, body in blocks.items():
        pattern = re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.S)
        if not pattern.search(text):
            log(f"BENCHMARKS.md has no block {name}; not rewritten")
            continue
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    open(path, "w").write(text)
    log("rewrote BENCHMARKS.md")


def main():
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_start = load()
    packages = ["tencentcloud-local-endpoint"] + (
        ["tencentcloud-bench", "xtask"] if set(ONLY) - {"cli"} else [])
    run(["cargo", "build", "-q", "--release"] + [a for p in packages for a in ("-p", p)], cwd=ROOT)
    m = machine()
    blocks = {}
    if "cpu" in ONLY:
        blocks["cpu"] = report_cpu(criterion())
    clients = Clients() if ("loopback" in ONLY or "memory" in ONLY) else None
    if "loopback" in ONLY:
        seq, conc = loopback(clients)
        blocks["floor"] = report_floor(seq)
        blocks["layers"] = report_layers(seq)
        blocks["rates"] = report_rates(seq, conc)
        blocks["cpu-per-call"] = report_cpu_per_call(seq, conc)
    if "memory" in ONLY:
        blocks["memory"] = report_memory(memory(clients))
    if "codegen" in ONLY:
        blocks["codegen"] = report_codegen(codegen())
    if "compile" in ONLY:
        blocks["compile"] = report_compile(compile_cost())
    if "cli" in ONLY:
        blocks["cli"] = report_cli(cli_cost())
    load_end = load()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                            capture_output=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, text=True,
                           capture_output=True).stdout.strip()
    run_block = (f"Run of {started}: `python3 bench/run.py{' --quick' if QUICK else ''}"
                     f"{' --api-dir DIR' if API_DIR else ''}` at commit {commit}{' (with local changes)' if dirty else ''}"
                     f" on {m}; Python SDK "
                     f"`tencentcloud-sdk-python-trtc` {PY_SDK_VERSION}, Node.js SDK `tencentcloud-sdk-nodejs` "
                     f"{NODE_SDK_VERSION}. Load average (1, 5, 15 min) {' '.join(load_start)} at the start, "
                     f"{' '.join(load_end)} at the end (the run's own client and server account for up to 2 of it; "
                     f"the machine is shared). Medians of {REPEATS} runs ({REPEATS if QUICK else REPEATS + 2} "
                     f"for unpinned sequential calls, {COMPILE_REPEATS} for builds; criterion: its median "
                     f"estimate).")
    if set(ONLY) == set(SECTIONS):
        blocks["run"] = run_block
    elif "cli" in blocks:
        blocks["cli"] += (f" Run of {started} (`python3 bench/run.py --only {','.join(ONLY)} --write`) at commit "
                          f"{commit}{' (with local changes)' if dirty else ''} on {m}; load average "
                          f"{' '.join(load_start)} at the start, {' '.join(load_end)} at the end (the machine "
                          f"is shared).")
    for name, body in blocks.items():
        print(f"<!-- {name} -->\n{body}\n")
    if WRITE:
        rewrite(blocks)


if __name__ == "__main__":
    main()
