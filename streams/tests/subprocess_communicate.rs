//! `communicate` feeds stdin while it reads stdout and stderr, so more than
//! a pipe holds can go both ways at once without a deadlock; it returns
//! both outputs and the exit status.

mod common;

use ringio_streams::subprocess::{
    create_subprocess_exec, create_subprocess_shell, CommunicateError, ProcessOptions, Redirect,
};

/// 3 MiB of varied bytes, so a reordered or lost chunk shows.
fn payload() -> Vec<u8> {
    (0..3 * 1024 * 1024u32)
        .map(|i| (i % 251) as u8 ^ (i >> 16) as u8)
        .collect()
}

#[test]
fn big_input_and_both_outputs_at_once() {
    common::run(async {
        let input = payload();
        // tee copies stdin to stdout and to stderr as it reads: it blocks
        // on whichever pipe is full, so reading only one of them, or
        // writing all input before reading, would hang.
        let mut proc =
            create_subprocess_exec("tee", ["/dev/stderr"], ProcessOptions::piped()).unwrap();
        let out = proc.communicate(input.clone()).await.unwrap();
        assert!(out.status.success(), "{:?}", out.status);
        assert_eq!(out.returncode(), 0);
        assert_eq!(out.stdout.len(), input.len());
        assert!(out.stdout == input, "stdout differs from the input");
        assert!(out.stderr == input, "stderr differs from the input");
        assert!(proc.stdin.is_none(), "stdin is closed and gone");
    });
}

#[test]
fn big_output_without_input() {
    common::run(async {
        // 2 MiB on stdout and 1.5 MiB on stderr, interleaved by the shell.
        let script = "head -c 2097152 /dev/zero & head -c 1572864 /dev/zero >&2; wait; exit 4";
        let mut proc = create_subprocess_shell(script, ProcessOptions::piped()).unwrap();
        let out = proc.communicate(b"").await.unwrap();
        assert_eq!(out.stdout.len(), 2 * 1024 * 1024);
        assert_eq!(out.stderr.len(), 1536 * 1024);
        assert!(out.stdout.iter().chain(out.stderr.iter()).all(|&b| b == 0));
        assert_eq!(out.status.code(), Some(4));
        assert_eq!(out.returncode(), 4);
    });
}

#[test]
fn a_child_that_stops_reading_is_not_an_error() {
    common::run(async {
        // Reads one line of the 2 MiB and exits: the rest meets a closed
        // pipe, which asyncio's communicate ignores too.
        let mut proc =
            create_subprocess_shell("read x; echo \"$x\"", ProcessOptions::piped()).unwrap();
        let mut input = b"first\n".to_vec();
        input.resize(2 * 1024 * 1024, b'z');
        let out = proc.communicate(input).await.unwrap();
        assert_eq!(out.stdout, "first\n");
        assert!(out.stderr.is_empty());
        assert!(out.status.success());
    });
}

#[test]
fn input_without_a_piped_stdin_is_refused() {
    common::run(async {
        let opts = ProcessOptions::new()
            .stdin(Redirect::Null)
            .stdout(Redirect::Piped);
        let mut proc = create_subprocess_exec("cat", None::<&str>, opts).unwrap();
        let err = proc.communicate(b"lost?").await.unwrap_err();
        assert!(matches!(err, CommunicateError::StdinNotPiped), "{err}");
        assert!(err.to_string().contains("stdin is not piped"), "{err}");
        // Without input it works: cat reads /dev/null and exits.
        let out = proc.communicate(b"").await.unwrap();
        assert!(out.stdout.is_empty());
        assert!(out.stderr.is_empty(), "stderr was not piped: empty");
        assert!(out.status.success());
    });
}

#[test]
fn input_after_stdin_was_closed_is_an_error() {
    common::run(async {
        let mut proc =
            create_subprocess_exec("cat", None::<&str>, ProcessOptions::piped()).unwrap();
        proc.stdin.as_ref().unwrap().write(b"kept\n").unwrap();
        proc.stdin.as_ref().unwrap().close();
        let err = proc.communicate(b"late").await.unwrap_err();
        assert!(matches!(err, CommunicateError::Write(_)), "{err}");
        // No input: what was written before the close comes out.
        let out = proc.communicate(b"").await.unwrap();
        assert_eq!(out.stdout, "kept\n");
    });
}
