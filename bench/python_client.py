"""Loopback load through Tencent's official Python SDK: N CreateCloudTranscription
calls (the seed's example) against one endpoint, sequential or from C threads
(one client each). Prints one JSON line with calls/s, this process's CPU time
(user + system, all threads) per measured call and its peak RSS.

Usage: TRTC_USER_SIG=... python_client.py HOST:PORT SECRET_ID SECRET_KEY CALLS CONCURRENCY [WARMUP]
(TRTC_USER_SIG: the bot's UserSig; the local endpoint checks it.)
"""
import argparse
import json
import os
import resource
import sys
import threading
import time

from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.trtc.v20190722 import models, trtc_client

SEED_BODY = None  # the seed request, with $TRTC_USER_SIG (set by main)


def seed_body(user_sig):
    return json.dumps({
        "SdkAppId": 14000000, "RoomId": "295000", "RoomIdType": 0,
        "TranscriptionParam": {"UserId": "trtc_test_1", "UserSig": user_sig,
                               "SubscribeList": [{"UserId": "user_1"}], "MaxIdleTime": 30, "SendCustomMode": 2},
        "AsrParam": {"Lang": "16k_zh_en", "VadSilenceTime": 2000},
        "TranslationParam": {"TargetLang": ["en"]},
    })


def make_client(endpoint, sid, skey):
    http = HttpProfile(protocol="http", endpoint=endpoint, keepAlive=True)
    return trtc_client.TrtcClient(credential.Credential(sid, skey), "ap-guangzhou", ClientProfile(httpProfile=http))


def request():
    r = models.CreateCloudTranscriptionRequest()
    r.from_json_string(SEED_BODY)
    return r


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("endpoint", help="host:port of the local endpoint")
    ap.add_argument("secret_id")
    ap.add_argument("secret_key")
    ap.add_argument("calls", type=int)
    ap.add_argument("concurrency", type=int)
    ap.add_argument("warmup", type=int, nargs="?", default=50)
    a = ap.parse_args()
    endpoint, sid, skey = a.endpoint, a.secret_id, a.secret_key
    calls, concurrency, warmup = a.calls, a.concurrency, a.warmup
    if "TRTC_USER_SIG" not in os.environ:
        ap.error("set TRTC_USER_SIG to the bot's UserSig (the local endpoint checks it)")
    global SEED_BODY
    SEED_BODY = seed_body(os.environ["TRTC_USER_SIG"])
    c = make_client(endpoint, sid, skey)
    for _ in range(warmup):
        c.CreateCloudTranscription(request())
    cpu_before = cpu_seconds()
    start = time.perf_counter()
    if concurrency <= 1:
        for _ in range(calls):
            c.CreateCloudTranscription(request())
        done = calls
    else:
        per = calls // concurrency
        errors = []

        def worker():
            wc = make_client(endpoint, sid, skey)
            try:
                for _ in range(per):
                    wc.CreateCloudTranscription(request())
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        done = per * concurrency
    secs = time.perf_counter() - start
    cpu = cpu_seconds() - cpu_before
    print(json.dumps({
        "client": "python",
        "concurrency": concurrency,
        "calls": done,
        "seconds": secs,
        "calls_per_sec": done / secs,
        "cpu_us_per_call": cpu * 1e6 / done,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


if __name__ == "__main__":
    main()
