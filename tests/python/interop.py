"""Drive the local endpoint with Tencent's official Python SDK.

Usage: interop.py HOST:PORT SECRET_ID SECRET_KEY REGION USER_SIG
Prints one JSON object per line: {"step": ..., "ok": ..., ...}.
USER_SIG replaces the seed's elided UserSig (the endpoint checks it).
"""
import argparse
import json
import sys

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.trtc.v20190722 import models, trtc_client

# The seed document's example body, verbatim but for the elided UserSig.
SEED_BODY = """{
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
}"""


def client(endpoint, secret_id, secret_key, region):
    http = HttpProfile(protocol="http", endpoint=endpoint)
    http.reqTimeout = 10
    return trtc_client.TrtcClient(
        credential.Credential(secret_id, secret_key), region, ClientProfile(httpProfile=http)
    )


def emit(**kw):
    print(json.dumps(kw), flush=True)


def call(step, fn):
    try:
        resp = fn()
        emit(step=step, ok=True, response=json.loads(resp.to_json_string()))
        return json.loads(resp.to_json_string())
    except TencentCloudSDKException as e:
        emit(step=step, ok=False, code=e.get_code(), message=e.get_message(), request_id=e.get_request_id())
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("endpoint", help="host:port of the local endpoint")
    ap.add_argument("secret_id")
    ap.add_argument("secret_key")
    ap.add_argument("region")
    ap.add_argument("user_sig", help="the bot's UserSig for the seed request")
    a = ap.parse_args()
    endpoint, secret_id, secret_key, region, user_sig = a.endpoint, a.secret_id, a.secret_key, a.region, a.user_sig
    c = client(endpoint, secret_id, secret_key, region)

    create = models.CreateCloudTranscriptionRequest()
    create.from_json_string(SEED_BODY.replace("eJjdaVgrxCdYrzkx*************BLATRT", user_sig))
    created = call("create", lambda: c.CreateCloudTranscription(create))
    task_id = created["TaskId"] if created else "missing"

    describe = models.DescribeCloudTranscriptionRequest()
    describe.from_json_string(json.dumps({"SdkAppId": 14000000, "TaskId": task_id}))
    call("describe", lambda: c.DescribeCloudTranscription(describe))

    delete = models.DeleteCloudTranscriptionRequest()
    delete.from_json_string(json.dumps({"SdkAppId": 14000000, "TaskId": task_id}))
    call("delete", lambda: c.DeleteCloudTranscription(delete))

    call("describe_after_delete", lambda: c.DescribeCloudTranscription(describe))

    wrong = client(endpoint, secret_id, secret_key + "x", region)
    call("create_wrong_key", lambda: wrong.CreateCloudTranscription(create))
    call("describe_wrong_key", lambda: wrong.DescribeCloudTranscription(describe))
    call("delete_wrong_key", lambda: wrong.DeleteCloudTranscription(delete))


if __name__ == "__main__":
    main()
