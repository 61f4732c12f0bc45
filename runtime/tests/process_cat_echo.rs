//! A child process echoing through `cat`: bytes written to its piped stdin
//! come back on its piped stdout, and its exit is observed on the ring.

use ringio_runtime::process::{Command, Stdio};
use ringio_runtime::{run, spawn};

#[test]
fn cat_echoes_stdin_to_stdout() {
    run(async {
        let mut child = Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        assert!(child.id().is_some());
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 241) as u8).collect();
        let expect = data.clone();
        // Write and read side by side: the pipe holds only 64 KiB.
        let writer = spawn(async move {
            let (res, _) = stdin.write_all(data).await;
            res.unwrap();
            // stdin dropped here: cat sees end of input.
        });
        let mut got = Vec::new();
        loop {
            let (res, buf) = stdout.read(Vec::with_capacity(32 << 10)).await;
            let n = res.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        writer.await.unwrap();
        assert_eq!(got, expect);
        let status = child.wait().await.unwrap();
        assert!(status.success());
        assert_eq!(child.id(), None, "reaped");
    })
    .unwrap();
}
