//! On the epoll backend a file read of pages already in the page cache is
//! served on the loop thread (`preadv2(RWF_NOWAIT)`), not queued behind
//! the blocking pool: here the pool's only thread is held busy, and the
//! read still completes.

use std::sync::mpsc;
use std::time::Duration;

use ringio_runtime::fs::File;
use ringio_runtime::{Backend, Runtime};

#[test]
fn cached_file_read_does_not_wait_for_the_blocking_pool() {
    let dir = std::env::temp_dir().join(format!("ringio-nowait-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cached.bin");
    let data: Vec<u8> = (0..64 * 1024u32).map(|i| (i % 253) as u8).collect();
    // Written (and so cached) by this process just now.
    std::fs::write(&path, &data).unwrap();

    let rt = Runtime::builder()
        .backend(Backend::Epoll)
        .max_blocking_threads(1)
        .build()
        .unwrap();
    let got = rt
        .block_on(async {
            // Opening goes through the pool (its one thread is free now).
            let file = File::open(&path).await.unwrap();
            let (release, held) = mpsc::channel::<()>();
            let busy = ringio_runtime::spawn_blocking(move || {
                // Holds the pool's only thread until released (or 20 s).
                let _ = held.recv_timeout(Duration::from_secs(20));
            });
            // Let the job reach the pool thread.
            ringio_runtime::time::sleep(Duration::from_millis(50)).await;
            let read = ringio_runtime::time::timeout(
                Duration::from_secs(5),
                file.read_at(vec![0u8; 4096], 8192),
            )
            .await;
            release.send(()).unwrap();
            busy.await.unwrap();
            let (res, buf) = read.expect("the read waited for the busy blocking pool");
            assert_eq!(res.unwrap(), 4096);
            buf
        })
        .unwrap();
    assert_eq!(&got[..], &data[8192..8192 + 4096]);
    let _ = std::fs::remove_dir_all(&dir);
}
