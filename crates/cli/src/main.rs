//! `trtc`: every TRTC action of the spec as a command. See `trtc --help`.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(tencentcloud_trtc_cli::run(std::env::args_os().collect()))
}
