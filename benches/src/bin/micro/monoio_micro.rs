//! The micro benchmarks on monoio (io_uring driver, timer enabled).

use std::error::Error;
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use crate::{offset, seed, sleep_of, unknown, Run, YieldOnce, BLOCK, IN_FLIGHT, N, READS_PER_TASK};

/// Runs `bench` once.
pub fn run(bench: &str, file: Option<(&Path, u64)>) -> Result<Run, Box<dyn Error>> {
    let mut rt = monoio::RuntimeBuilder::<monoio::IoUringDriver>::new()
        .enable_timer()
        .build()?;
    let start = Instant::now();
    let ops = match (bench, file) {
        ("spawn", _) => rt.block_on(async {
            let hs: Vec<_> = (0..N).map(|i| monoio::spawn(async move { i })).collect();
            let mut s = 0;
            for h in hs {
                s += h.await;
            }
            black_box(s);
            N
        }),
        ("sleep", _) => rt.block_on(async {
            let hs: Vec<_> = (0..N)
                .map(|i| monoio::spawn(monoio::time::sleep(sleep_of(i))))
                .collect();
            for h in hs {
                h.await;
            }
            N
        }),
        ("yield", _) => rt.block_on(async {
            let one = || {
                monoio::spawn(async {
                    for _ in 0..N {
                        YieldOnce::default().await;
                    }
                })
            };
            let (a, b) = (one(), one());
            a.await;
            b.await;
            2 * N
        }),
        ("file", Some((path, len))) => rt.block_on(async {
            let file = Rc::new(monoio::fs::File::open(path).await?);
            let tasks: Vec<_> = (0..IN_FLIGHT)
                .map(|t| {
                    let file = file.clone();
                    monoio::spawn(async move {
                        let mut x = seed(t);
                        let mut buf = vec![0u8; BLOCK];
                        for _ in 0..READS_PER_TASK {
                            let (res, b) = file.read_exact_at(buf, offset(&mut x, len)).await;
                            res?;
                            buf = b;
                        }
                        Ok::<_, std::io::Error>(())
                    })
                })
                .collect();
            for t in tasks {
                t.await?;
            }
            Ok::<_, std::io::Error>((IN_FLIGHT * READS_PER_TASK) as u64)
        })?,
        _ => return Err(unknown(bench)),
    };
    Ok(Run {
        ops,
        time: start.elapsed(),
    })
}
