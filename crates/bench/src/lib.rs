//! Shared pieces of the benchmarks: the seed document's CreateCloudTranscription
//! request, built the way a user builds it.

use tencentcloud_trtc::model::{
    AsrParam, CreateCloudTranscriptionRequest, CustomDataMode, RoomIdType, TranscriptionParam,
    TranscriptionUserInfoParams, TranslationParam,
};

/// The seed request's bot UserSig, valid for the local endpoint (signed with
/// its default application key; the seed's own is elided). Python and Node.js
/// clients get it from the `user_sig` binary.
pub fn seed_user_sig() -> String {
    // Made once per process: the benchmarks measure building a request, not
    // signing a UserSig.
    static SIG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SIG.get_or_init(|| {
        tencentcloud_trtc_server::usersig::TlsSigApi::new(
            14_000_000,
            tencentcloud_local_endpoint::DEFAULT_APP_KEY,
        )
        .user_sig("trtc_test_1", 86_400)
        .sign()
    })
    .clone()
}

/// Builds the seed's example request with the generated builders.
pub fn seed_request() -> CreateCloudTranscriptionRequest {
    let build =
        || -> Result<CreateCloudTranscriptionRequest, tencentcloud_trtc::model::BuildError> {
            CreateCloudTranscriptionRequest::builder()
                .sdk_app_id(14_000_000)
                .room_id("295000")
                .room_id_type(RoomIdType::Integer)
                .transcription_param(
                    TranscriptionParam::builder()
                        .user_id("trtc_test_1")
                        .user_sig(seed_user_sig())
                        .subscribe_list(
                            TranscriptionUserInfoParams::builder()
                                .user_id("user_1")
                                .build()?,
                        )
                        .max_idle_time(30)
                        .send_custom_mode(CustomDataMode::from(2))
                        .build()?,
                )
                .asr_param(
                    AsrParam::builder()
                        .lang("16k_zh_en")
                        .vad_silence_time(2000)
                        .build()?,
                )
                .translation_param(TranslationParam::builder().target_lang("en").build()?)
                .build()
        };
    match build() {
        Ok(r) => r,
        Err(e) => panic!("the seed request is complete: {e}"),
    }
}

/// Peak resident set size of this process in KiB (`VmHWM`), if the OS tells.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// CPU time (user + system) this process has used so far, all threads, in
/// microseconds (`getrusage(RUSAGE_SELF)`).
pub fn cpu_time_us() -> u64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut u) != 0 {
            return 0;
        }
        u
    };
    let us = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    us(usage.ru_utime) + us(usage.ru_stime)
}
