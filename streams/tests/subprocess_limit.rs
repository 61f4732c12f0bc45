//! The limit of a child's stdout reader works as on a socket: `readuntil`
//! past it fails with `LimitOverrun` and leaves the data in the reader,
//! `readline` past it discards the line with `LineTooLong`.

mod common;

use ringio_streams::subprocess::{create_subprocess_exec, ProcessOptions, Redirect};
use ringio_streams::ReadError;

#[test]
fn readuntil_past_the_limit_keeps_the_data() {
    common::run(async {
        let opts = ProcessOptions::new()
            .stdout(Redirect::Piped)
            .limit(16)
            .unwrap();
        let long = "x".repeat(40);
        let mut proc = create_subprocess_exec("printf", [format!("{long}|short|")], opts).unwrap();
        let stdout = proc.stdout.as_mut().unwrap();
        assert_eq!(stdout.limit(), 16);
        match stdout.readuntil(b"|").await {
            Err(ReadError::LimitOverrun { limit, .. }) => assert_eq!(limit, 16),
            other => panic!("expected LimitOverrun, got {other:?}"),
        }
        // Nothing was consumed: the long part is still there.
        assert_eq!(stdout.readexactly(41).await.unwrap(), format!("{long}|"));
        assert_eq!(stdout.readuntil(b"|").await.unwrap(), "short|");
        assert!(proc.wait().await.unwrap().success());
    });
}

#[test]
fn readline_past_the_limit_discards_that_line() {
    common::run(async {
        let opts = ProcessOptions::new()
            .stdout(Redirect::Piped)
            .limit(8)
            .unwrap();
        let mut proc =
            create_subprocess_exec("printf", ["this line is too long\nok\n"], opts).unwrap();
        let stdout = proc.stdout.as_mut().unwrap();
        match stdout.readline().await {
            Err(ReadError::LineTooLong { limit, discarded }) => {
                assert_eq!(limit, 8);
                assert_eq!(discarded, 22, "the whole line with its newline");
            }
            other => panic!("expected LineTooLong, got {other:?}"),
        }
        assert_eq!(stdout.readline().await.unwrap(), "ok\n");
        assert!(proc.wait().await.unwrap().success());
    });
}

#[test]
fn a_zero_limit_is_rejected() {
    assert!(ProcessOptions::new().limit(0).is_err());
}
