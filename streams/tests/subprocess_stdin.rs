//! A child's stdin as a `StreamWriter`: byte-string literals are written,
//! `close` and `write_eof` give the child end of stream, `drain` waits on
//! the water marks, and a child that exits makes writing fail instead of
//! hanging.

mod common;

use ringio_streams::subprocess::{create_subprocess_exec, ProcessOptions};
use ringio_streams::WriteError;

#[test]
fn close_gives_the_child_end_of_stream() {
    common::run(async {
        let mut proc =
            create_subprocess_exec("cat", None::<&str>, ProcessOptions::piped()).unwrap();
        let stdin = proc.stdin.take().unwrap();
        stdin.write(b"hello ").unwrap();
        let buf = b"world\n?".to_vec();
        stdin.write(&buf[..6]).unwrap();
        stdin.drain().await.unwrap();
        let stdout = proc.stdout.as_mut().unwrap();
        // cat echoes while stdin is open.
        assert_eq!(stdout.readline().await.unwrap(), "hello world\n");
        stdin.close();
        assert!(stdin.is_closing());
        assert!(matches!(stdin.write(b"more"), Err(WriteError::Closing)));
        stdin.wait_closed().await.unwrap();
        // cat saw end of stream and exits: stdout ends too.
        assert_eq!(stdout.read(100).await.unwrap(), "");
        assert!(proc.wait().await.unwrap().success());
    });
}

#[test]
fn write_eof_gives_the_child_end_of_stream() {
    common::run(async {
        let mut proc = create_subprocess_exec("wc", ["-c"], ProcessOptions::piped()).unwrap();
        let stdin = proc.stdin.as_ref().unwrap();
        assert!(stdin.can_write_eof());
        stdin.write(vec![b'x'; 100_000]).unwrap();
        stdin.write_eof().unwrap();
        assert!(matches!(stdin.write(b"x"), Err(WriteError::EofWritten)));
        let stdout = proc.stdout.as_mut().unwrap();
        let count = stdout.readline().await.unwrap();
        assert_eq!(std::str::from_utf8(&count).unwrap().trim(), "100000");
        assert!(proc.wait().await.unwrap().success());
    });
}

#[test]
fn drain_waits_until_the_child_reads() {
    common::run(async {
        let mut proc =
            create_subprocess_exec("cat", None::<&str>, ProcessOptions::piped()).unwrap();
        let stdin = proc.stdin.take().unwrap();
        let mut stdout = proc.stdout.take().unwrap();
        // 1 MiB is more than the pipes and the high-water mark hold: drain
        // can only return as cat passes it on and we read it.
        stdin.write(vec![b'a'; 1 << 20]).unwrap();
        assert!(stdin.buffer_size() > 64 * 1024);
        let reading = ringio_runtime::spawn(async move {
            let data = stdout.readexactly(1 << 20).await.unwrap();
            assert!(data.iter().all(|&b| b == b'a'));
            stdout
        });
        stdin.drain().await.unwrap();
        assert!(
            stdin.buffer_size() <= 16 * 1024,
            "drain returned above the low-water mark"
        );
        drop(stdin); // the last handle: closes the pipe after the rest.
        let mut stdout = reading.await.unwrap();
        assert_eq!(stdout.read(1).await.unwrap(), "");
        assert!(proc.wait().await.unwrap().success());
    });
}

#[test]
fn writing_to_an_exited_child_fails_without_hanging() {
    common::run(async {
        let mut proc =
            create_subprocess_exec("true", None::<&str>, ProcessOptions::piped()).unwrap();
        proc.wait().await.unwrap();
        let stdin = proc.stdin.as_ref().unwrap();
        stdin.write(vec![0u8; 1 << 20]).unwrap();
        let err = stdin.drain().await.unwrap_err();
        assert!(err.is_connection_lost(), "{err}");
        assert!(stdin.is_closing());
        assert!(stdin.write(b"x").is_err());
        assert!(stdin.peer_addr().is_err(), "a pipe has no address");
    });
}
