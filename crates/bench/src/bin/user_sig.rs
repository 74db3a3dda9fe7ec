//! Prints the seed request's bot UserSig (valid for the local endpoint) for
//! the Python and Node.js load clients: `bench/run.py` passes it to them as
//! `TRTC_USER_SIG`.

fn main() {
    println!("{}", tencentcloud_bench::seed_user_sig());
}
