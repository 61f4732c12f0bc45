//! The micro benchmarks on ringio.

use std::error::Error;
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use crate::{offset, seed, sleep_of, unknown, Run, BLOCK, IN_FLIGHT, N, READS_PER_TASK};

/// Runs `bench` once.
pub fn run(bench: &str, file: Option<(&Path, u64)>) -> Result<Run, Box<dyn Error>> {
    let rt = ringio::Runtime::new()?;
    let start = Instant::now();
    let ops = match (bench, file) {
        ("spawn", _) => rt.block_on(async {
            let hs: Vec<_> = (0..N).map(|i| ringio::spawn(async move { i })).collect();
            let mut s = 0;
            for h in hs {
                s += h.await?;
            }
            black_box(s);
            Ok::<_, ringio::JoinError>(N)
        })??,
        ("sleep", _) => rt.block_on(async {
            let hs: Vec<_> = (0..N)
                .map(|i| ringio::spawn(ringio::time::sleep(sleep_of(i))))
                .collect();
            for h in hs {
                h.await?;
            }
            Ok::<_, ringio::JoinError>(N)
        })??,
        ("yield", _) => rt.block_on(async {
            let one = || {
                ringio::spawn(async {
                    for _ in 0..N {
                        ringio::yield_now().await;
                    }
                })
            };
            let (a, b) = (one(), one());
            a.await?;
            b.await?;
            Ok::<_, ringio::JoinError>(2 * N)
        })??,
        ("file", Some((path, len))) => rt.block_on(async {
            let file = Rc::new(ringio::fs::File::open(path).await?);
            let tasks: Vec<_> = (0..IN_FLIGHT)
                .map(|t| {
                    let file = file.clone();
                    ringio::spawn(async move {
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
                t.await??;
            }
            Ok::<_, Box<dyn Error>>((IN_FLIGHT * READS_PER_TASK) as u64)
        })??,
        _ => return Err(unknown(bench)),
    };
    Ok(Run {
        ops,
        time: start.elapsed(),
    })
}
