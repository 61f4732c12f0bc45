//! `create_subprocess_shell` runs its command with `/bin/sh -c`: pipes and
//! redirections work; and `Process::spawn` / `from_child` build a process
//! from a `Command` with its environment and working directory.

mod common;

use ringio_runtime::process::{Command, Stdio};
use ringio_streams::subprocess::{create_subprocess_shell, Process, ProcessOptions, Redirect};
use ringio_streams::StreamOptions;

#[test]
fn a_pipeline_in_the_shell() {
    common::run(async {
        let opts = ProcessOptions::new().stdout(Redirect::Piped);
        let mut proc =
            create_subprocess_shell("printf 'c\\nb\\na\\n' | sort | tr a-z A-Z", opts).unwrap();
        let stdout = proc.stdout.as_mut().unwrap();
        assert_eq!(stdout.readline().await.unwrap(), "A\n");
        assert_eq!(stdout.readline().await.unwrap(), "B\n");
        assert_eq!(stdout.readline().await.unwrap(), "C\n");
        assert_eq!(stdout.readline().await.unwrap(), "");
        assert!(proc.wait().await.unwrap().success());
    });
}

#[test]
fn redirections_and_null() {
    common::run(async {
        // stderr to /dev/null: nothing piped, nothing printed.
        let opts = ProcessOptions::new()
            .stdout(Redirect::Piped)
            .stderr(Redirect::Null);
        let mut proc =
            create_subprocess_shell("echo out; echo err >&2; echo both 2>&1", opts).unwrap();
        assert!(proc.stderr.is_none());
        let out = proc.communicate(b"").await.unwrap();
        assert_eq!(out.stdout, "out\nboth\n");
        assert!(out.stderr.is_empty());
    });
}

#[test]
fn spawn_from_a_command_keeps_its_settings() {
    common::run(async {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo \"$RINGIO_T in $(pwd)\"; cat >&2"])
            .env("RINGIO_T", "set")
            .current_dir("/")
            .stdin(Stdio::piped());
        // stdin is piped by the Command; the options add stdout and stderr.
        let opts = ProcessOptions::new()
            .stdout(Redirect::Piped)
            .stderr(Redirect::Piped);
        let mut proc = Process::spawn(&mut cmd, opts).unwrap();
        assert!(proc.stdin.is_some());
        let out = proc.communicate("to stderr").await.unwrap();
        assert_eq!(out.stdout, "set in /\n");
        assert_eq!(out.stderr, "to stderr");
    });
}

#[test]
fn from_child_wraps_what_is_piped() {
    common::run(async {
        let child = Command::new("printf")
            .arg("a\\nb\\n")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id().unwrap();
        let mut proc = Process::from_child(child, StreamOptions::new().limit(4).unwrap()).unwrap();
        assert_eq!(proc.pid(), pid);
        assert!(proc.stdin.is_none() && proc.stderr.is_none());
        let stdout = proc.stdout.as_mut().unwrap();
        assert_eq!(stdout.limit(), 4);
        assert_eq!(stdout.readline().await.unwrap(), "a\n");

        let mut reaped = Command::new("true").spawn().unwrap();
        reaped.wait().await.unwrap();
        let err = Process::from_child(reaped, StreamOptions::new()).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(proc.wait().await.unwrap().success());
    });
}
