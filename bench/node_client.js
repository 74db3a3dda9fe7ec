// Loopback load through Tencent's official Node.js SDK (tencentcloud-sdk-nodejs):
// N CreateCloudTranscription calls (the seed's example) against one endpoint,
// sequential or with C calls in flight on one client (Node has one event loop;
// its keep-alive agent opens a connection per call in flight). Prints one JSON
// line with calls/s, this process's CPU time (user + system, all threads) per
// measured call and its peak RSS.
//
// Usage: TRTC_USER_SIG=... node node_client.js PORT SECRET_ID SECRET_KEY CALLS CONCURRENCY [WARMUP]
// (TRTC_USER_SIG: the bot's UserSig; the local endpoint checks it.)
// Needs NODE_PATH to hold the SDK's node_modules (bench/run.py sets it).
"use strict";

const http = require("http");
// Only the TRTC module (common code plus one service), as a per-product package
// would give; Tencent publishes none for TRTC, and `require("tencentcloud-sdk-nodejs")`
// loads every product (about 100 MB more resident memory).
const { trtc } = require("tencentcloud-sdk-nodejs/tencentcloud/services/trtc");

const SEED = {
  SdkAppId: 14000000,
  RoomId: "295000",
  RoomIdType: 0,
  TranscriptionParam: {
    UserId: "trtc_test_1",
    UserSig: process.env.TRTC_USER_SIG,
    SubscribeList: [{ UserId: "user_1" }],
    MaxIdleTime: 30,
    SendCustomMode: 2,
  },
  AsrParam: { Lang: "16k_zh_en", VadSilenceTime: 2000 },
  TranslationParam: { TargetLang: ["en"] },
};

// The SDK names the signature's service after the endpoint's first label, so
// it is given `trtc.localhost:PORT`; this agent connects every name to the
// loopback address (as tests/node/interop.js does).
function makeClient(port, secretId, secretKey) {
  const agent = new http.Agent({
    keepAlive: true,
    lookup: (_host, opts, cb) =>
      opts && opts.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4),
  });
  return new trtc.v20190722.Client({
    credential: { secretId, secretKey },
    region: "ap-guangzhou",
    profile: { httpProfile: { protocol: "http://", endpoint: `trtc.localhost:${port}`, agent } },
  });
}

function cpuUs() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Command-line arguments (node's util.parseArgs, strict): `--help` prints
 * the usage, an unknown flag or a missing argument is an error (exit 2). */
function parseCommandLine(usage, required, optional = []) {
  const { parseArgs } = require("util");
  let parsed;
  try {
    parsed = parseArgs({ options: { help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`error: ${e.message}\n${usage}\n`);
    process.exit(2);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const p = parsed.positionals;
  if (p.length < required.length || p.length > required.length + optional.length) {
    process.stderr.write(`error: expected ${required.join(" ")}${optional.map((o) => ` [${o}]`).join("")}\n${usage}\n`);
    process.exit(2);
  }
  return p;
}

async function main() {
  const argv = parseCommandLine(
    "usage: node bench/node_client.js PORT SECRET_ID SECRET_KEY CALLS CONCURRENCY [WARMUP]",
    ["PORT", "SECRET_ID", "SECRET_KEY", "CALLS", "CONCURRENCY"],
    ["WARMUP"],
  );
  const [port, secretId, secretKey] = argv;
  const calls = parseInt(argv[3], 10);
  const concurrency = parseInt(argv[4], 10);
  const warmup = argv.length > 5 ? parseInt(argv[5], 10) : 50;
  const client = makeClient(port, secretId, secretKey);
  for (let i = 0; i < warmup; i++) {
    await client.CreateCloudTranscription(SEED);
  }
  const cpuBefore = cpuUs();
  const started = process.hrtime.bigint();
  let done;
  if (concurrency <= 1) {
    for (let i = 0; i < calls; i++) {
      await client.CreateCloudTranscription(SEED);
    }
    done = calls;
  } else {
    const per = Math.floor(calls / concurrency);
    const worker = async () => {
      for (let i = 0; i < per; i++) {
        await client.CreateCloudTranscription(SEED);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    done = per * concurrency;
  }
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = cpuUs() - cpuBefore;
  process.stdout.write(
    JSON.stringify({
      client: "node",
      concurrency,
      calls: done,
      seconds: secs,
      calls_per_sec: done / secs,
      cpu_us_per_call: cpu / done,
      peak_rss_kib: process.resourceUsage().maxRSS,
    }) + "\n",
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
