"""Start an AI conversation with Tencent's official Python SDK.

Usage: ai_interop.py HOST:PORT SECRET_ID SECRET_KEY REGION USER_SIG LLM_CONFIG TTS_CONFIG
LLM_CONFIG and TTS_CONFIG are the JSON strings the Rust SDK's typed
configurations produced. Prints one JSON object per line:
{"step": ..., "ok": ..., ...}.
"""
import argparse
import json
import sys

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.trtc.v20190722 import models, trtc_client

APP = 1400188366


def emit(**kw):
    print(json.dumps(kw), flush=True)


def call(step, fn):
    try:
        resp = fn()
        emit(step=step, ok=True, response=json.loads(resp.to_json_string()))
        return json.loads(resp.to_json_string())
    except TencentCloudSDKException as e:
        emit(step=step, ok=False, code=e.get_code(), message=e.get_message())
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("endpoint", help="host:port of the local endpoint")
    ap.add_argument("secret_id")
    ap.add_argument("secret_key")
    ap.add_argument("region")
    ap.add_argument("user_sig", help="the agent's UserSig")
    ap.add_argument("llm", help="the LLMConfig JSON string")
    ap.add_argument("tts", help="the TTSConfig JSON string")
    a = ap.parse_args()
    endpoint, secret_id, secret_key, region, user_sig, llm, tts = (
        a.endpoint, a.secret_id, a.secret_key, a.region, a.user_sig, a.llm, a.tts)
    http = HttpProfile(protocol="http", endpoint=endpoint)
    http.reqTimeout = 10
    c = trtc_client.TrtcClient(
        credential.Credential(secret_id, secret_key), region, ClientProfile(httpProfile=http)
    )

    def start(llm_config, room):
        req = models.StartAIConversationRequest()
        req.from_json_string(json.dumps({
            "SdkAppId": APP, "RoomId": room, "RoomIdType": 0,
            "AgentConfig": {"UserId": "bot_1", "UserSig": user_sig, "TargetUserId": "user_1"},
            "LLMConfig": llm_config, "TTSConfig": tts,
        }))
        return req

    started = call("start", lambda: c.StartAIConversation(start(llm, "3560")))
    task_id = started["TaskId"] if started else "missing"
    describe = models.DescribeAIConversationRequest()
    describe.from_json_string(json.dumps({"TaskId": task_id}))
    call("describe", lambda: c.DescribeAIConversation(describe))
    stop = models.StopAIConversationRequest()
    stop.from_json_string(json.dumps({"TaskId": task_id}))
    call("stop", lambda: c.StopAIConversation(stop))
    call("describe_after_stop", lambda: c.DescribeAIConversation(describe))
    # A hand-written configuration with a mistyped key (as the official SDKs allow).
    bad = json.loads(llm)
    bad["ApiKey"] = bad.pop("APIKey")
    call("start_bad_key", lambda: c.StartAIConversation(start(json.dumps(bad), "3561")))


if __name__ == "__main__":
    main()
