//! `stderr_to_stdout` (asyncio's `stderr=STDOUT`): the child's stderr goes
//! into the same pipe as its stdout, in the order written, and the reader
//! still sees end of stream when the child exits.

mod common;

use ringio_runtime::process::Command;
use ringio_streams::subprocess::{create_subprocess_shell, Process, ProcessOptions, Redirect};

#[test]
fn both_streams_arrive_in_one_reader() {
    common::run(async {
        let opts = ProcessOptions::new()
            .stdout(Redirect::Piped)
            .stderr_to_stdout();
        let script = "echo out1; echo err1 >&2; echo out2; echo err2 >&2";
        let mut proc = create_subprocess_shell(script, opts).unwrap();
        assert!(
            proc.stderr.is_none(),
            "stderr joined stdout: no reader of its own"
        );
        let out = proc.communicate(b"").await.unwrap();
        assert_eq!(out.stdout, "out1\nerr1\nout2\nerr2\n");
        assert!(out.stderr.is_empty());
        assert!(out.status.success());
    });
}

#[test]
fn end_of_stream_while_the_command_lives() {
    common::run(async {
        // The Command outlives the spawn: it must not keep the joined
        // pipe's write end open, or the reader would wait forever.
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo a; echo b >&2"]);
        let opts = ProcessOptions::new()
            .stdout(Redirect::Piped)
            .stderr_to_stdout();
        let mut proc = Process::spawn(&mut cmd, opts).unwrap();
        let stdout = proc.stdout.as_mut().unwrap();
        assert_eq!(stdout.read_to_end().await.unwrap(), "a\nb\n");
        assert!(proc.wait().await.unwrap().success());
        // The command can be spawned again (both streams piped now).
        let again = cmd.spawn().unwrap();
        assert!(again.stdout.is_some() && again.stderr.is_some());
        drop(cmd);
    });
}

#[test]
fn joined_to_null_and_undone() {
    common::run(async {
        let opts = ProcessOptions::new()
            .stdin(Redirect::Piped)
            .stdout(Redirect::Null)
            .stderr_to_stdout();
        let mut proc = create_subprocess_shell("echo lost; echo lost too >&2", opts).unwrap();
        assert!(proc.stdout.is_none() && proc.stderr.is_none());
        let out = proc.communicate(b"").await.unwrap();
        assert!(out.stdout.is_empty() && out.stderr.is_empty());

        // stderr() after stderr_to_stdout() gives stderr its own pipe.
        let opts = ProcessOptions::new()
            .stdout(Redirect::Piped)
            .stderr_to_stdout()
            .stderr(Redirect::Piped);
        let mut proc = create_subprocess_shell("echo o; echo e >&2", opts).unwrap();
        let out = proc.communicate(b"").await.unwrap();
        assert_eq!(out.stdout, "o\n");
        assert_eq!(out.stderr, "e\n");
    });
}
