//! The micro benchmarks on tokio's current_thread runtime.

use std::error::Error;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::{offset, seed, sleep_of, unknown, Run, BLOCK, IN_FLIGHT, N, READS_PER_TASK};

/// Runs `bench` once.
pub fn run(bench: &str, file: Option<(&Path, u64)>) -> Result<Run, Box<dyn Error>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let start = Instant::now();
    let ops = match (bench, file) {
        ("spawn", _) => rt.block_on(async {
            let hs: Vec<_> = (0..N).map(|i| tokio::spawn(async move { i })).collect();
            let mut s = 0;
            for h in hs {
                s += h.await?;
            }
            black_box(s);
            Ok::<_, tokio::task::JoinError>(N)
        })?,
        ("sleep", _) => rt.block_on(async {
            let hs: Vec<_> = (0..N)
                .map(|i| tokio::spawn(tokio::time::sleep(sleep_of(i))))
                .collect();
            for h in hs {
                h.await?;
            }
            Ok::<_, tokio::task::JoinError>(N)
        })?,
        ("yield", _) => rt.block_on(async {
            let one = || {
                tokio::spawn(async {
                    for _ in 0..N {
                        tokio::task::yield_now().await;
                    }
                })
            };
            let (a, b) = (one(), one());
            a.await?;
            b.await?;
            Ok::<_, tokio::task::JoinError>(2 * N)
        })?,
        ("file", Some((path, len))) => rt.block_on(async {
            let tasks: Vec<_> = (0..IN_FLIGHT)
                .map(|t| {
                    let path = path.to_owned();
                    tokio::spawn(async move {
                        let mut f = tokio::fs::File::open(&path).await?;
                        let mut x = seed(t);
                        let mut buf = vec![0u8; BLOCK];
                        for _ in 0..READS_PER_TASK {
                            f.seek(std::io::SeekFrom::Start(offset(&mut x, len)))
                                .await?;
                            f.read_exact(&mut buf).await?;
                        }
                        Ok::<_, std::io::Error>(())
                    })
                })
                .collect();
            for t in tasks {
                t.await??;
            }
            Ok::<_, Box<dyn Error>>((IN_FLIGHT * READS_PER_TASK) as u64)
        })?,
        _ => return Err(unknown(bench)),
    };
    Ok(Run {
        ops,
        time: start.elapsed(),
    })
}
