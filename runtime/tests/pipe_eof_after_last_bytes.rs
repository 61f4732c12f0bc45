//! A reader that waits while the writer sends its last bytes and closes
//! gets those bytes and then the end of the stream: it never waits for an
//! event that cannot come.
//!
//! On epoll (edge-triggered) the last bytes and the hang-up arrive as one
//! event; the read that takes the bytes drains the pipe, and the next one
//! must still see the end without a further edge. Run on both backends
//! (CI runs the suite with `RINGIO_BACKEND=epoll` too).

use std::time::Duration;

use ringio_runtime::pipe::pipe;
use ringio_runtime::time::{sleep, timeout};
use ringio_runtime::{run, spawn};

#[test]
fn the_end_follows_the_last_bytes() {
    for round in 0..20 {
        let got = run(async {
            let (r, w) = pipe().unwrap();
            let reader = spawn(async move {
                let mut got = Vec::new();
                loop {
                    let read = timeout(Duration::from_secs(10), r.read(Vec::with_capacity(64)));
                    let (res, buf) = read
                        .await
                        .expect("a read waited 10 s for an end that had come");
                    match res.unwrap() {
                        0 => return got,
                        n => got.extend_from_slice(&buf[..n]),
                    }
                }
            });
            // The reader waits on the empty pipe first.
            sleep(Duration::from_millis(2)).await;
            let (res, _) = w.write_all(&b"the last bytes"[..]).await;
            res.unwrap();
            drop(w);
            reader.await.unwrap()
        })
        .unwrap();
        assert_eq!(got, b"the last bytes", "round {round}");
    }
}
