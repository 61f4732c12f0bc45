//! Runs one test of this binary again in a child process (with an env var
//! that makes it run its body) and returns the child's stderr, to check
//! what the loop reports there by default (no hook, no subscriber).

use std::process::Command;

/// When `var` is set this is the child: returns `None` (run the body).
/// Otherwise runs test `name` in a child with `var=1` plus `envs`, with
/// RINGIO_DEBUG removed unless given, asserts it succeeded, and returns
/// its stderr.
pub fn child_stderr(var: &str, name: &str, envs: &[(&str, &str)]) -> Option<String> {
    if std::env::var_os(var).is_some() {
        return None;
    }
    let mut cmd = Command::new(std::env::current_exe().expect("the test binary's path"));
    cmd.args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(var, "1")
        .env_remove("RINGIO_DEBUG");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("re-run the test binary");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "child {name} failed: {stderr}");
    Some(stderr)
}

/// The report lines (`ringio warning: ...`/`ringio error: ...` and the
/// indented lines that continue them) containing `needle`.
pub fn reports<'a>(stderr: &'a str, needle: &str) -> Vec<&'a str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("ringio "))
        .filter(|l| l.contains(needle))
        .collect()
}
