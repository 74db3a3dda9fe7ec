// Drive the local endpoint with Tencent's official Node.js SDK
// (tencentcloud-sdk-nodejs).
//
// Usage: node interop.js PORT SECRET_ID SECRET_KEY REGION USER_SIG
// (USER_SIG replaces the seed's elided UserSig; the endpoint checks it.)
// Needs NODE_PATH to hold the SDK's node_modules (the Rust test sets it).
// Prints one JSON object per line: {"step": ..., "ok": ..., ...}.
"use strict";

const http = require("http");
const tencentcloud = require("tencentcloud-sdk-nodejs");

const TrtcClient = tencentcloud.trtc.v20190722.Client;

// The seed document's example body, verbatim.
const SEED_BODY = `{
    "SdkAppId": 14000000,
    "RoomId": "295000",
    "RoomIdType": 0,
    "TranscriptionParam": {
        "UserId": "trtc_test_1",
        "UserSig": "eJjdaVgrxCdYrzkx*************BLATRT",
        "SubscribeList": [
            {
                "UserId": "user_1"
            }
        ],
        "MaxIdleTime": 30,
        "SendCustomMode": 2
    },
    "AsrParam": {
        "Lang": "16k_zh_en",
        "VadSilenceTime": 2000
    },
    "TranslationParam": {
        "TargetLang": [
            "en"
        ]
    }
}`;

// The SDK takes the signature's service name from the endpoint's first label
// (`trtc.tencentcloudapi.com` -> `trtc`), so it is given `trtc.localhost:PORT`,
// and this agent connects every name to the loopback address: nothing leaves
// the machine, whatever the resolver says about `trtc.localhost`.
function loopbackAgent() {
  return new http.Agent({
    keepAlive: true,
    lookup: (_host, opts, cb) =>
      opts && opts.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4),
  });
}

function client(port, secretId, secretKey, region) {
  return new TrtcClient({
    credential: { secretId, secretKey },
    region,
    profile: {
      httpProfile: { protocol: "http://", endpoint: `trtc.localhost:${port}`, reqTimeout: 10, agent: loopbackAgent() },
    },
  });
}

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

async function call(step, fn) {
  try {
    const response = await fn();
    emit({ step, ok: true, response });
    return response;
  } catch (e) {
    emit({ step, ok: false, code: e.code || null, message: e.message, request_id: e.requestId || null });
    return null;
  }
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
  const [port, secretId, secretKey, region, userSig] = parseCommandLine(
    "usage: node tests/node/interop.js PORT SECRET_ID SECRET_KEY REGION USER_SIG",
    ["PORT", "SECRET_ID", "SECRET_KEY", "REGION", "USER_SIG"],
  );
  const c = client(port, secretId, secretKey, region);
  // The seed's UserSig is elided; the endpoint checks it.
  const seed = () => {
    const body = JSON.parse(SEED_BODY);
    body.TranscriptionParam.UserSig = userSig;
    return body;
  };

  const created = await call("create", () => c.CreateCloudTranscription(seed()));
  const taskId = created ? created.TaskId : "missing";
  const byTask = { SdkAppId: 14000000, TaskId: taskId };

  await call("describe", () => c.DescribeCloudTranscription(byTask));
  await call("delete", () => c.DeleteCloudTranscription(byTask));
  await call("describe_after_delete", () => c.DescribeCloudTranscription(byTask));

  const wrong = client(port, secretId, secretKey + "x", region);
  await call("create_wrong_key", () => wrong.CreateCloudTranscription(seed()));
  await call("describe_wrong_key", () => wrong.DescribeCloudTranscription(byTask));
  await call("delete_wrong_key", () => wrong.DeleteCloudTranscription(byTask));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
