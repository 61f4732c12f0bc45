//! A child's stdout read line by line while the child runs, and its stdin
//! written between the lines: the streams are live, not collected at exit.

mod common;

use ringio_streams::subprocess::{create_subprocess_exec, ProcessOptions, Redirect};

#[test]
fn lines_arrive_while_the_child_runs() {
    common::run(async {
        let opts = ProcessOptions::new()
            .stdin(Redirect::Piped)
            .stdout(Redirect::Piped);
        // The child answers each line it reads, so every answer proves the
        // previous write reached it and its reply came back before exit.
        let script = "echo ready; while read x; do echo \"got $x\"; done; echo bye";
        let mut proc = create_subprocess_exec("sh", ["-c", script], opts).unwrap();
        let stdin = proc.stdin.take().unwrap();
        let mut stdout = proc.stdout.take().unwrap();
        assert!(proc.stderr.is_none(), "stderr was not piped");

        assert_eq!(stdout.readline().await.unwrap(), "ready\n");
        for word in ["alpha", "beta", "gamma"] {
            stdin.write(format!("{word}\n")).unwrap();
            stdin.drain().await.unwrap();
            let line = stdout.readline().await.unwrap();
            assert_eq!(line, format!("got {word}\n").as_bytes());
        }
        assert_eq!(proc.returncode(), None, "the child is still reading");
        stdin.close();
        stdin.wait_closed().await.unwrap();
        assert_eq!(stdout.readline().await.unwrap(), "bye\n");
        assert!(!stdout.at_eof());
        assert_eq!(stdout.readline().await.unwrap(), "");
        assert!(stdout.at_eof());
        assert!(proc.wait().await.unwrap().success());
        assert_eq!(proc.returncode(), Some(0));
    });
}

#[test]
fn readexactly_read_and_lines_over_a_pipe() {
    common::run(async {
        let opts = ProcessOptions::new().stdout(Redirect::Piped);
        let mut proc =
            create_subprocess_exec("printf", ["0123456789head\none\ntwo\nlast"], opts).unwrap();
        let stdout = proc.stdout.as_mut().unwrap();
        assert_eq!(stdout.readexactly(10).await.unwrap(), "0123456789");
        assert_eq!(stdout.read(2).await.unwrap(), "he");
        assert_eq!(stdout.readuntil(b"\n").await.unwrap(), "ad\n");
        let mut lines = Vec::new();
        let mut it = stdout.lines();
        while let Some(line) = it.next_line().await.unwrap() {
            lines.push(line);
        }
        assert_eq!(lines, ["one\n", "two\n", "last"]);
        // readexactly past the end: IncompleteRead with nothing left.
        let err = stdout.readexactly(1).await.unwrap_err();
        assert!(err.is_incomplete(), "{err}");
        assert_eq!(proc.wait().await.unwrap().code(), Some(0));
    });
}
