// Generate and check UserSigs and PrivateMapKeys with Tencent's official
// Node library (npm tls-sig-api-v2).
//
// Usage: node tls_sig.js PATH_TO_THE_PACKAGE < request.json
// The request:
//   {"sdkappid": N, "key": "...",
//    "generate": [{"name", "kind": "user_sig"|"userbuf"|"room_number"|"room_string",
//                  "user", "expire", "time"?, "userbuf_hex"?, "room"?, "privileges"?}],
//    "check": [{"name", "ticket"}]}
// prints one JSON object per line, {"name": ..., ...}, for each item.
//
// "time" fixes the issue time (the library reads Date.now(), which is
// replaced for that call). The library only generates, so "check" decodes
// the ticket (inflate, and the library's own alphabet mapped back), then
// recomputes the signature with the library's own HMAC routine, and for a
// PrivateMapKey rebuilds the userbuf with the library's own routine from the
// decoded values and compares the bytes.
'use strict';

const zlib = require('zlib');
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

const [packageDir] = parseCommandLine(
  "usage: node tests/node/tls_sig.js PATH_TO_THE_PACKAGE < request.json",
  ["PATH_TO_THE_PACKAGE"],
);
const lib = require(packageDir);

function withTime(time, f) {
  const realNow = Date.now;
  if (time !== undefined && time !== null) {
    Date.now = () => time * 1000;
  }
  try {
    return f();
  } finally {
    Date.now = realNow;
  }
}

function generate(api, item) {
  const ticket = withTime(item.time, () => {
    switch (item.kind) {
      case 'user_sig':
        return api.genUserSig(item.user, item.expire);
      case 'userbuf':
        return api.genSig(item.user, item.expire, Buffer.from(item.userbuf_hex, 'hex'));
      case 'room_number':
        return api.genPrivateMapKey(item.user, item.expire, item.room, item.privileges);
      case 'room_string':
        return api.genPrivateMapKeyWithStringRoomID(item.user, item.expire, item.room, item.privileges);
      default:
        throw new Error('unknown kind ' + item.kind);
    }
  });
  return { name: item.name, ticket };
}

// Reads the userbuf of a PrivateMapKey (big-endian fields).
function parseUserbuf(buf) {
  let o = 0;
  const u8 = () => buf.readUInt8((o += 1) - 1);
  const u16 = () => buf.readUInt16BE((o += 2) - 2);
  const u32 = () => buf.readUInt32BE((o += 4) - 4);
  const version = u8();
  const accountLen = u16();
  const account = buf.subarray(o, (o += accountLen)).toString('utf8');
  const out = {
    version,
    account,
    sdkappid: u32(),
    room_number: u32(),
    expire_at: u32(),
    privileges: u32(),
    account_type: u32(),
  };
  if (version === 1) {
    const len = u16();
    out.room_string = buf.subarray(o, (o += len)).toString('utf8');
  }
  out.trailing = buf.length - o;
  return out;
}

function check(api, item) {
  const out = { name: item.name };
  let text;
  let doc;
  try {
    const b64 = item.ticket.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
    text = zlib.inflateSync(Buffer.from(b64, 'base64')).toString('utf8');
    doc = JSON.parse(text);
  } catch (e) {
    out.ok = false;
    out.error = 'decode: ' + e;
    return out;
  }
  const expected = api._hmacsha256(
    doc['TLS.identifier'], doc['TLS.time'], doc['TLS.expire'],
    doc['TLS.userbuf'] === undefined ? null : doc['TLS.userbuf']);
  out.ok = expected === doc['TLS.sig'];
  out.json = text;
  out.doc = doc;
  if (doc['TLS.userbuf'] !== undefined) {
    const buf = Buffer.from(doc['TLS.userbuf'], 'base64');
    out.userbuf_hex = buf.toString('hex');
    try {
      const p = parseUserbuf(buf);
      out.userbuf = p;
      // The bytes the official library writes for these values, at this ticket's time.
      const official = withTime(doc['TLS.time'], () => api._genUserbuf(
        p.account, p.room_number, doc['TLS.expire'], p.privileges, 0,
        p.version === 1 ? p.room_string : null));
      out.userbuf_is_official = Buffer.compare(Buffer.from(official), buf) === 0;
    } catch (e) {
      out.userbuf_error = String(e);
    }
  }
  return out;
}

const req = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const api = new lib.Api(req.sdkappid, req.key);
for (const item of req.generate || []) {
  console.log(JSON.stringify(generate(api, item)));
}
for (const item of req.check || []) {
  console.log(JSON.stringify(check(api, item)));
}
