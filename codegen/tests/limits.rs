//! Documented limits: the extractor on real sentences of Tencent's TRTC
//! descriptions, both editions (international English, mainland Chinese):
//! sentence → limit, including the tricky ones (units, defaults that are not
//! limits, lengths versus values, lists of values that look like ranges,
//! conditions, limits on something other than the value); the merge of two
//! editions' limits; and how the change report classifies a limit change.

use std::path::Path;

use serde_json::json;
use tencentcloud_codegen::limits::{Limit, Target, ValueType};
use tencentcloud_codegen::spec::{parse_json, Edition, Spec};
use tencentcloud_codegen::upstream::diff::{self, ChangeKind, Impact};
use tencentcloud_codegen::upstream::limits::{extract, merge_member_limits};

const U: Target = Target {
    list: false,
    value: ValueType::Unsigned,
    is_enum: false,
};
const I: Target = Target {
    list: false,
    value: ValueType::Integer,
    is_enum: false,
};
const F: Target = Target {
    list: false,
    value: ValueType::Float,
    is_enum: false,
};
const S: Target = Target {
    list: false,
    value: ValueType::String,
    is_enum: false,
};
const LS: Target = Target {
    list: true,
    value: ValueType::String,
    is_enum: false,
};

/// What one description gives: each limit (`range 1 to 60`), then `? reason`
/// for each sentence read as a limit but not understood.
fn got(text: &str, target: Target, siblings: &[&str]) -> Vec<String> {
    let x = extract(text, target, "Member", siblings);
    for l in &x.limits {
        assert!(
            l.sources.iter().all(|s| text.contains(&s.text)),
            "{l:?} keeps the sentence it comes from"
        );
    }
    x.limits
        .iter()
        .map(Limit::to_string)
        .chain(x.not_understood.iter().map(|n| format!("? {}", n.reason)))
        .collect()
}

/// (sentence, member type, expected).
const ENGLISH: &[(&str, Target, &[&str])] = &[
    ("Value range: [1, 60].", U, &["range 1 to 60"]),
    ("The audio bitrate (Kbps). Value range: 8-500.", U, &["range 8 to 500"]),
    ("Audio mix volume adjustment. value ranges from 0 to 100. 100 indicates the original uplink volume. the default value is 100 if left blank.", U, &["range 0 to 100"]),
    // Exclusive bounds as written.
    ("Value range: (0, 10]. default value: 1.0.", F, &["range more than 0 and at most 10"]),
    ("This parameter must be greater than 0.", U, &["range more than 0"]),
    // Negated comparisons, a unit in parentheses, a default that is not a limit.
    ("The value cannot be smaller than 5 or larger than 86400 (24 hours). Default value: 30.", U, &["range 5 to 86400"]),
    ("The default value is `72` (three days), and the maximum and minimum values allowed are `720` (30 days) and `6` respectively.", U, &["range 6 to 720"]),
    ("The maximum value is 72 hours (3 days), while the minimum value is 6 hours.", U, &["range 6 to 72"]),
    // A thousands separator.
    ("This value needs to be greater than or equal to 5 seconds and less than or equal to 86,400 seconds (24 hours).", U, &["range 5 to 86400"]),
    ("Loop playback count, value range: [-1, 1000], default is 1 time.", I, &["range -1 to 1000"]),
    ("Whether to filter profanity (currently only support basic language engine and standard language engine), range [0, 2], default value 0.", U, &["range 0 to 2"]),
    // A remark on when the member applies does not cancel its range.
    ("Loop playback maximum duration, only effective when RepeatNum is set to -1, valid value range: [1, 10080], unit: minutes", I, &["range 1 to 10080"]),
    // One value excluded from a range: the range (looser) is kept.
    ("Value range: 100-254 (244 is used internally by Tencent Cloud for timestamps).", U, &["range 100 to 254"]),
    // Lengths, not values: characters or bytes, exclusive becomes inclusive.
    ("It must be shorter than 4,096 characters.", S, &["length at most 4095 characters"]),
    ("Text to be converted to speech. length range: [1, 255].", S, &["length 1 to 255 characters"]),
    ("Import the recording RecordId to identify the task, less than 32 bytes.", S, &["length at most 31 bytes"]),
    ("Limit length to 128 bytes, only allow a combination of uppercase and lowercase letters (a-zA-Z), digits (0-9), underscores (_), and hyphens (-).", S, &["length at most 128 bytes", "pattern only [0-9A-Z_a-z-]"]),
    ("It must be a 32-character hexadecimal string.", S, &["length exactly 32 characters", "pattern only [0-9A-Fa-f]"]),
    // A length of an array is a count; of an integer, not understood.
    ("Array length: 1-100.", LS, &["count 1 to 100 items"]),
    ("The number of records per page. The default is `6`.\nArray length: 1-100.", U, &["? a length, but the member is not a string"]),
    ("List of up to 10 users to be removed.", LS, &["count at most 10 items"]),
    ("The array can contain at most 32 elements.", LS, &["count at most 32 items"]),
    // Lists of values, one of them written like a range.
    ("Audio Sample rate, Value range [48000, 44100], unit is Hz.", U, &["values one of 48000, 44100"]),
    ("Valid values: 48000, 44100, 32000, 24000, 16000, 8000.", U, &["values one of 48000, 44100, 32000, 24000, 16000, 8000"]),
    ("The audio codec. Valid values: 0 (LC-AAC), 1 (HE-AAC), 2 (HE-AACv2). The default value is 0.", U, &["values one of 0, 1, 2"]),
    ("MP3 bitrate (kbps), only applicable to mp3 format. can choose: `64`, `128`, `192`, `256`. default: `128`.", U, &["values one of 64, 128, 192, 256"]),
    ("Whether to query single-stream or mixed-stream recording. Valid values: `single`, `multi`.", S, &["values one of single, multi"]),
    ("Optional: \"low\" | \"medium\" | \"high\" | \"auto\".", S, &["values one of low, medium, high, auto"]),
    // An enumeration with descriptions is an enum's business, not a closed list.
    ("The watermark type. Valid values: `0` (default): Image; `1`: Text.", U, &["? values with descriptions: an enumeration, not a closed list"]),
    // The characters of a URL, as the page lists them.
    ("supported character sets for urls: ['0-9', 'a-z', 'A-Z', '-', '.', '_', '~', ':', '/', '?', '#', '[', ']', '@', '!', '&', '(', ')', '*', '+', ',', '%', '=', ';', '|'].", S, &["pattern only [!#%&()*+,./0-9:;=?@A-Z\\[\\]_a-z|~-]"]),
    ("only digits, letters, and underscores are allowed with a maximum of 36 characters.", S, &["length at most 36 characters"]),
    // Defaults, examples and units alone are not limits, and are not listed.
    ("Audio slicing duration. Default value: 15s. Example value: 15.", U, &[]),
    ("The SEI sending interval (milliseconds). The default value is 1000.", U, &[]),
    // Read like a limit, not understood, listed with why.
    ("valid values: 5, 100-254 (exclusion: 244, which is internal custom timestamp SEI).", U, &["? not understood"]),
    ("Note: If `DataType` is not null, the length of the array `UserIds` and the value of `PageSize` cannot exceed `6`.", U, &["? conditional"]),
    ("Room number. query up to 20 abnormal experience events in the room.", S, &["? a number, but the member is a string (and no length is said)"]),
    ("the image size limit is no more than 5MB.", S, &["? a size (MB, K), not the value"]),
    ("The end date in the format of YYYY-MM-DD.\nThe period queried per request cannot be longer than 31 days.", S, &["? about the queried period"]),
    ("The reference audio for voice cloning must be a base64 string of a 16k mono wav file with length between 10–180 seconds.", S, &["? a duration of the content, not a length"]),
    ("a maximum of 25 screens are supported.", U, &["? a number of items, but the member is not a list"]),
    ("Up to 128 terms are supported.", S, &["? about the terms of the text"]),
];

const CHINESE: &[(&str, Target, &[&str])] = &[
    ("混流-输出流帧率，音视频输出时必填。取值范围[1,60]，表示混流的输出帧率可选范围为1到60fps。", U, &["range 1 to 60"]),
    ("音量，取值范围[0, 200]，默认100，表示原音量。", U, &["range 0 to 200"]),
    ("(0, 10] 默认值1.0", F, &["range more than 0 and at most 10"]),
    ("参数的单位是小时，默认72小时（3天），最大可设置720小时（30天），最小设置6小时。", U, &["range 6 to 720"]),
    ("默认值为 30 秒，该值需大于等于 5秒，且小于等于 86400秒(24小时)。", U, &["range 5 to 86400"]),
    ("自定义裁剪起始位置的X偏移，单位为像素值，大于等于0。", U, &["range at least 0"]),
    ("置信度分数，取值范围：0（置信度最低）-100（置信度最高 ），越高代表越有可能属于当前返回的标签。", I, &["range 0 to 100"]),
    ("音频切片时长，默认15s 示例值：15, 范围15-60s", U, &["range 15 to 60"]),
    ("播放任务处于空闲状态的最大时长（秒）, 不填时任务会自适应销毁，可取[0, 600]", I, &["range 0 to 600"]),
    ("每页条数 最少20,DescribeMode为1时填写", U, &["range at least 20"]),
    // Lists of values: three or more in brackets, or after 取值为 / 可取 / 值为.
    ("输出流音频编码类型，取值范围[0, 1, 2]，0为LC-AAC，1为HE-AAC，2为HE-AACv2。", U, &["values one of 0, 1, 2"]),
    ("输出流音频采样率。取值为[48000, 44100, 32000, 24000, 16000, 8000]，单位是Hz。", U, &["values one of 48000, 44100, 32000, 24000, 16000, 8000"]),
    ("播放倍速，默认1.0，可取[0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]", F, &["values one of 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0"]),
    ("查询单流录制或合流录制，值为\"single\"或\"multi\"。", S, &["values one of single, multi"]),
    ("指定输出格式，可选hls,mp4。", S, &["values one of hls, mp4"]),
    // Counts, Chinese numerals included.
    ("要移出的用户列表，最多10个。", LS, &["count at most 10 items"]),
    ("默认不填订阅房间内所有的音频流，订阅列表用户数不超过32。", LS, &["count at most 32 items"]),
    ("注意：最多只能填写4种语言。", LS, &["count at most 4 items"]),
    ("第三方CDN转推的目的地址，同时只支持转推一个第三方CDN地址。", LS, &["count at most 1 item"]),
    // Lengths: 字符 (characters), 字节 (bytes), no unit (characters).
    ("录制文件名前缀，不超过64字符。", S, &["length at most 64 characters"]),
    ("直播流 ID，由用户自定义设置，该流 ID 不能与用户旁路的流 ID 相同，限制64字节。", S, &["length at most 64 bytes"]),
    ("AppData的内容，会被写入自定义SEI中的app_data字段，长度需小于4096。", S, &["length at most 4095 characters"]),
    ("入参限制：字符长度小于2048", S, &["length at most 2047 characters"]),
    ("需要转语音的文字内容，最大允许50000字符，注意 1汉字=2字符", S, &["length at most 50000 characters"]),
    ("该值必须是32长度的十六进制。", S, &["length exactly 32 characters", "pattern only [0-9A-Fa-f]"]),
    ("【限制长度为128字节，只允许包含大小写英文字母（a-zA-Z）、数字（0-9）及下划线(_)和连词符(-)】", S, &["length at most 128 bytes", "pattern only [0-9A-Z_a-z-]"]),
    ("据标识，可以由英文字母、数字、下划线、-、@#组成，不超过64个字符", S, &["length at most 64 characters", "pattern only [#0-9@A-Z_a-z-]"]),
    ("合法的字符串范围az,AZ,0~9,'_'和'-'，举个例子，录制文件xxx.m3u8在 [\"prefix1\", \"prefix2\"]作用下，会变成prefix1/prefix2/TaskId/xxx.m3u8。", LS, &["pattern only [0-9A-Z_a-z-]"]),
    // Not the member's value, or under a condition: listed with why.
    ("HE-AAC和HE-AACv2支持的输出流音频采样率范围为[48000, 44100, 32000, 24000, 16000]。", U, &["? not understood"]),
    ("SEI消息的PayloadType，取值范围5、100-254（244除外，244为我们内部自定义的时间戳SEI）。", U, &["? not understood"]),
    ("注意：DataType不为null，UserIds长度不能超过6，PageSize最大值不超过6；", U, &["? conditional"]),
    ("单次查询统计区间最多不能超过31天。", S, &["? about the queried period"]),
    ("图片分辨率限制不超过2K，图片大小限制不超过5MB。", S, &["? about an image's resolution"]),
    ("下载的url地址， 只支持jpg, png, jpeg，大小限制不超过5M。", S, &["? a size (MB, K), not the value"]),
    ("最多支持25个画面，如果用户只发送音频，仍然会占用画面位置。", U, &["? a number of items, but the member is not a list"]),
    ("单个热词限制：\"热词|权重\"，单个热词不超过30个字符（最多10个汉字），权重[1-11]或者100。", S, &["? about each term of the text"]),
    // Defaults and types are not limits, and are not listed.
    ("房间号类型，0为整型房间号，1为字符串房间号。", U, &[]),
    ("SEI发送间隔，单位毫秒，默认值为1000。", U, &[]),
];

/// Every row of a table, the wrong ones listed together.
fn table(rows: &[(&str, Target, &[&str])]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter_map(|(text, target, want)| {
            let g = got(text, *target, &[]);
            (g != *want).then(|| format!("{text:?}\n   want {want:?}\n   got  {g:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn english_sentences() {
    table(ENGLISH);
}

#[test]
fn chinese_sentences() {
    table(CHINESE);
}

#[test]
fn clauses_about_another_member_are_not_its_limits() {
    assert_eq!(
        got(
            "自定义裁剪画面的宽度，单位为像素值，大于0，且LocationX+Width不超过10000",
            U,
            &["LocationX", "LocationY", "Height"]
        ),
        ["range more than 0", "? about another member (`LocationX`)"]
    );
    assert_eq!(
        got(
            "The value of this parameter cannot be larger than 1920, and the result of multiplying `Width` and `Height` cannot exceed 1920 x 1080.",
            U,
            &["Width", "Height"]
        ),
        ["range at most 1920", "? about another member (`Width`)"]
    );
}

#[test]
fn a_text_stating_two_limits_of_one_kind_keeps_the_looser() {
    let x = extract(
        "Recording file name prefix, no more than 64 characters.\nLimit length to 64 bytes.",
        S,
        "UserDefineRecordPrefix",
        &[],
    );
    assert_eq!(x.limits.len(), 1);
    assert_eq!(x.limits[0].to_string(), "length at most 64 characters");
    assert_eq!(x.conflicts.len(), 1);
}

fn edition(text: &str, target: Target) -> Vec<Limit> {
    extract(text, target, "Member", &[]).limits
}

#[test]
fn where_editions_disagree_the_looser_wins_and_is_reported() {
    // AsrParam.VadLevel: [0, 3] (international) vs [0, 1] (mainland).
    let (kept, d) = merge_member_limits(
        "AsrParam.VadLevel",
        true,
        edition("The far-field voice suppression capacity of vad (without impacting asr recognition accuracy) ranges from [0, 3], defaulting to 0.", U),
        edition("vad的远场人声抑制能力（不会对asr识别效果造成影响），范围为[0, 1]，默认为0。", U),
    );
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].to_string(), "range 0 to 3");
    assert_eq!(kept[0].editions(), [Edition::International]);
    assert_eq!(d.len(), 1);
    assert!(
        d[0].to_string()
            .starts_with("AsrParam.VadLevel: range: international 0 to 3 ("),
        "{}",
        d[0]
    );
    assert!(d[0].to_string().ends_with("kept 0 to 3"), "{}", d[0]);

    // McuCustomCrop.LocationX: "greater than 0" vs "大于等于0": at least 0.
    let (kept, d) = merge_member_limits(
        "McuCustomCrop.LocationX",
        true,
        edition("This parameter must be greater than 0.", U),
        edition("自定义裁剪起始位置的X偏移，单位为像素值，大于等于0。", U),
    );
    assert_eq!(kept[0].to_string(), "range at least 0");
    assert_eq!(kept[0].editions(), [Edition::Mainland]);
    assert_eq!(d.len(), 1);

    // TextToSpeech.Text: [1, 255] vs at most 2000: no minimum, at most 2000.
    let (kept, _) = merge_member_limits(
        "TextToSpeechRequest.Text",
        false,
        edition("Text to be converted to speech. length range: [1, 255].", S),
        edition("需要转语音的文字内容，最大支持2000字符", S),
    );
    assert_eq!(kept[0].to_string(), "length at most 2000 characters");

    // The same limit from both: one limit, both sentences, no disagreement.
    let (kept, d) = merge_member_limits(
        "VideoParams.Fps",
        true,
        edition(
            "The video frame rate. Value range: [1, 60]. Default: 15.",
            U,
        ),
        edition("视频的帧率，范围[1, 60]，默认15。", U),
    );
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].sources.len(), 2);
    assert_eq!(kept[0].editions(), Edition::ALL);
    assert!(d.is_empty());

    // A list of every integer of a range is the same limit for an integer.
    let (kept, d) = merge_member_limits(
        "AudioEncode.Channel",
        true,
        edition("The number of sound channels. Valid values: 1 (mono), 2 (dual).", U),
        edition("输出流音频声道数，取值范围[1,2]，1表示混流输出音频为单声道，2表示混流输出音频为双声道。", U),
    );
    assert_eq!(kept[0].to_string(), "range 1 to 2");
    assert!(d.is_empty(), "{d:?}");

    // A bound only one edition states stays: the looser of a minimum and
    // no minimum is none, but silence on a whole kind is no disagreement.
    let (kept, d) = merge_member_limits(
        "ModerationParams.SliceAudio",
        true,
        edition(
            "Audio slicing duration. Default value: 15s. Example value: 15.",
            U,
        ),
        edition("音频切片时长，默认15s 示例值：15, 范围15-60s", U),
    );
    assert_eq!(kept[0].to_string(), "range 15 to 60");
    assert!(d.is_empty());

    // Patterns: either edition's characters.
    let (kept, _) = merge_member_limits(
        "CloudStorage.FileNamePrefix",
        false,
        edition("valid values: az, az, 0-9, '_', and '-'.", LS),
        edition("合法的字符串范围az,AZ,0~9,'_'和'-'。", LS),
    );
    assert_eq!(kept[0].pattern.as_deref(), Some("^[0-9A-Z_a-z-]*$"));

    // The kept limit checks as the looser one.
    let v = tencentcloud_codegen::limits::check(
        &kept,
        &json!(["ok_1", "Bad/"]),
        "FileNamePrefix",
        false,
    );
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].path, "FileNamePrefix[1]");
}

/// A spec whose request member `Fps` and response member `Total` have the
/// given limits.
fn spec(fps: serde_json::Value, total: serde_json::Value) -> Spec {
    let text = json!({
        "format": "tencentcloud-spec/1",
        "service": {"name": "demo", "version": "2020-01-01", "endpoint": "demo.tencentcloudapi.com"},
        "actions": {"Mix": {"input": "MixRequest", "output": "MixResponse"}},
        "shapes": {
            "MixRequest": {"type": "structure", "members": {"Fps": {"type": "uint64", "limits": fps}}},
            "MixResponse": {"type": "structure", "members": {
                "Total": {"type": "uint64", "limits": total},
                "RequestId": {"type": "string", "required": true}
            }}
        }
    });
    parse_json(Path::new("demo.json"), &text.to_string()).unwrap()
}

fn range(min: u64, max: u64, sentence: &str) -> serde_json::Value {
    json!([{"kind": "range", "min": min, "max": max, "sources": [{"text": sentence, "language": "en"}]}])
}

#[test]
fn the_change_report_classifies_limit_changes() {
    let old = spec(
        range(1, 60, "Value range: [1, 60]."),
        range(0, 20, "Value range: [0, 20]."),
    );
    let impact = |new: &Spec| {
        let r = diff::diff(&old, new);
        r.changes
            .iter()
            .filter(|c| c.kind == ChangeKind::LimitChanged)
            .map(|c| (c.path.clone(), c.impact, c.to_string()))
            .collect::<Vec<_>>()
    };
    // Narrower: a value accepted before is refused before sending: breaking.
    let narrower = impact(&spec(
        range(1, 30, "Value range: [1, 30]."),
        range(0, 20, "x"),
    ));
    assert_eq!(narrower.len(), 1, "{narrower:?}");
    assert_eq!(narrower[0].0, "MixRequest.Fps.limits");
    assert_eq!(narrower[0].1, Impact::Breaking);
    assert!(
        narrower[0]
            .2
            .contains("(`range 1 to 60` → `range 1 to 30`)"),
        "{}",
        narrower[0].2
    );
    // A new limit is narrower too.
    let none = spec(json!([]), json!([]));
    assert_eq!(
        diff::diff(&none, &old)
            .find(ChangeKind::LimitChanged, "MixRequest.Fps.limits")
            .map(|c| c.impact),
        Some(Impact::Breaking)
    );
    // Wider: additive; removed: wider.
    let wider = impact(&spec(
        range(0, 120, "Value range: [0, 120]."),
        range(0, 20, "x"),
    ));
    assert_eq!(wider[0].1, Impact::Additive);
    let removed = impact(&spec(json!([]), range(0, 20, "x")));
    assert_eq!(removed[0].1, Impact::Additive);
    // Unchanged values, another sentence: silent.
    let reworded = impact(&spec(
        range(1, 60, "取值范围[1,60]"),
        range(0, 20, "范围：[0，20]"),
    ));
    assert!(reworded.is_empty(), "{reworded:?}");
    // A response member's limit is documentation: patch.
    let output = impact(&spec(range(1, 60, "x"), range(0, 10, "x")));
    assert_eq!(output.len(), 1);
    assert_eq!(output[0].0, "MixResponse.Total.limits");
    assert_eq!(output[0].1, Impact::Patch);
}

proptest::proptest! {
    /// Any text, in either language's characters and Tencent's punctuation,
    /// gives limits that are valid for the member, and never a panic.
    #[test]
    fn any_description_gives_valid_limits(
        text in "[a-zA-Z0-9 ,.;:()\\[\\]【】（），。；：、~～'\"`*_|-]{0,80}|(取值范围|不超过|最多|个|字符|字节|小于|大于等于|范围|[0-9]{1,20}|[\\[\\](),.，。-]| |value range|up to|at most|characters|bytes|greater than|if|Valid values:){0,12}",
        list in proptest::bool::ANY,
        value in proptest::sample::select(vec![ValueType::Integer, ValueType::Unsigned, ValueType::Float, ValueType::String, ValueType::StringOrInt, ValueType::Other]),
    ) {
        let target = Target { list, value, is_enum: false };
        let x = extract(&text, target, "Member", &["Other"]);
        let problems = tencentcloud_codegen::limits::problems(&x.limits, target);
        proptest::prop_assert!(problems.is_empty(), "{text:?} gave {:?}: {problems:?}", x.limits);
    }

    /// A character class prints to a pattern that parses back to itself.
    #[test]
    fn patterns_print_and_parse_back(ranges in proptest::collection::vec((proptest::char::any(), proptest::char::any()), 1..6)) {
        let class = tencentcloud_codegen::limits::CharClass::from_ranges(
            ranges.into_iter().map(|(a, b)| if a <= b { (a, b) } else { (b, a) }),
        );
        let pattern = class.to_pattern();
        let back = tencentcloud_codegen::limits::CharClass::parse_pattern(&pattern);
        proptest::prop_assert_eq!(back.as_ref(), Ok(&class), "{}", pattern);
    }
}

#[test]
fn what_values_mean_is_not_a_limit() {
    // CVM GPUInfo.GPUCount, both editions.
    assert_eq!(
        got(
            "Specifies the GPU count of the instance. a value less than 1 indicates VGPU type, and a value larger than 1 indicates GPU passthrough type.",
            F,
            &[]
        ),
        ["? what values mean (\"less than 1 indicates ...\"), not a limit"]
    );
    assert_eq!(
        got(
            "实例GPU个数。值小于1代表VGPU类型，大于1代表GPU直通类型。",
            F,
            &[]
        ),
        ["? what values mean (\"less than 1 indicates ...\"), not a limit"]
    );
}
