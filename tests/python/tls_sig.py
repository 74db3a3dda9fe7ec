"""Generate and check UserSigs with Tencent's official Python library
(PyPI tls-sig-api-v2, module TLSSigAPIv2).

Reads one JSON request on stdin:
  {"sdkappid": N, "key": "...",
   "generate": [{"name": ..., "user": ..., "expire": N, "userbuf_hex": "..."?, "time": N?}],
   "check":    [{"name": ..., "ticket": "..."}]}
and prints one JSON object per line, {"name": ..., ...}, for each item.

"time" fixes the issue time (the library reads time.time(), which is
replaced for that call). The library only generates, so "check" decodes with
the library's own base64_decode_url and zlib, and recomputes the signature
with the library's own HMAC routine over the decoded members.
"""
import argparse
import binascii
import hmac
import json
import sys
import zlib

import TLSSigAPIv2 as lib


def generate(api, item):
    real_time = lib.time.time
    if item.get("time") is not None:
        lib.time.time = lambda: float(item["time"])
    try:
        if item.get("userbuf_hex") is not None:
            ticket = api.gen_sig_with_userbuf(
                item["user"], item["expire"], binascii.unhexlify(item["userbuf_hex"])
            )
        else:
            ticket = api.gen_sig(item["user"], item["expire"])
    finally:
        lib.time.time = real_time
    return {"name": item["name"], "ticket": ticket}


def check(api, item):
    out = {"name": item["name"]}
    try:
        text = zlib.decompress(lib.base64_decode_url(item["ticket"].encode("ascii")))
        doc = json.loads(text.decode("utf-8"))
    except Exception as e:  # report, never hide
        out.update(ok=False, error="decode: %r" % (e,))
        return out
    expected = api._TLSSigAPIv2__hmacsha256(
        doc["TLS.identifier"], doc["TLS.time"], doc["TLS.expire"], doc.get("TLS.userbuf")
    ).decode("ascii")
    out.update(
        ok=hmac.compare_digest(expected, doc["TLS.sig"]),
        json=text.decode("utf-8"),
        doc=doc,
    )
    if "TLS.userbuf" in doc:
        out["userbuf_hex"] = binascii.hexlify(lib.base64.b64decode(doc["TLS.userbuf"])).decode()
    return out


def main():
    ap = argparse.ArgumentParser(
        description="Generate and check UserSigs with Tencent's official Python library: "
        "one JSON request on stdin, one JSON object per item on stdout (see the module's docstring).")
    ap.parse_args()
    req = json.load(sys.stdin)
    api = lib.TLSSigAPIv2(req["sdkappid"], req["key"])
    for item in req.get("generate", []):
        print(json.dumps(generate(api, item)))
    for item in req.get("check", []):
        print(json.dumps(check(api, item)))


if __name__ == "__main__":
    main()
