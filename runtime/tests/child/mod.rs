//! Tests that change process-wide state (RLIMIT_NOFILE) run their body in
//! a child process: this test binary re-executed with an env var set.

use std::process::Command;

/// Runs `body` when this process is the child (`var` is set); otherwise
/// re-executes this binary as the child, relays its output, and checks
/// that it succeeded and printed `marker`. Prints `test NAME ... ok`.
pub fn run_in_child(var: &str, name: &str, marker: &str, body: fn()) {
    if std::env::var_os(var).is_some() {
        body();
        return;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = Command::new(exe)
        .env(var, "1")
        .output()
        .expect("re-run the test binary");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "child failed: {:?}", out.status);
    assert!(String::from_utf8_lossy(&out.stdout).contains(marker));
    println!("test {name} ... ok");
}
