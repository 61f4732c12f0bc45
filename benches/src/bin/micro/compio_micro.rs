//! The micro benchmarks on compio (io_uring driver).

use std::error::Error;
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use compio::buf::BufResult;
use compio::io::AsyncReadAtExt;

use crate::{offset, seed, sleep_of, unknown, Run, YieldOnce, BLOCK, IN_FLIGHT, N, READS_PER_TASK};

type Panic = Box<dyn std::any::Any + Send>;

fn panicked(_: Panic) -> Box<dyn Error> {
    "a task panicked".into()
}

/// Runs `bench` once.
pub fn run(bench: &str, file: Option<(&Path, u64)>) -> Result<Run, Box<dyn Error>> {
    let rt = compio::runtime::Runtime::new()?;
    let start = Instant::now();
    let ops = match (bench, file) {
        ("spawn", _) => rt.block_on(async {
            let hs: Vec<_> = (0..N)
                .map(|i| compio::runtime::spawn(async move { i }))
                .collect();
            let mut s = 0;
            for h in hs {
                s += h.await.map_err(panicked)?;
            }
            black_box(s);
            Ok::<_, Box<dyn Error>>(N)
        })?,
        ("sleep", _) => rt.block_on(async {
            let hs: Vec<_> = (0..N)
                .map(|i| compio::runtime::spawn(compio::time::sleep(sleep_of(i))))
                .collect();
            for h in hs {
                h.await.map_err(panicked)?;
            }
            Ok::<_, Box<dyn Error>>(N)
        })?,
        ("yield", _) => rt.block_on(async {
            let one = || {
                compio::runtime::spawn(async {
                    for _ in 0..N {
                        YieldOnce::default().await;
                    }
                })
            };
            let (a, b) = (one(), one());
            a.await.map_err(panicked)?;
            b.await.map_err(panicked)?;
            Ok::<_, Box<dyn Error>>(2 * N)
        })?,
        ("file", Some((path, len))) => rt.block_on(async {
            let file = Rc::new(compio::fs::File::open(path).await?);
            let tasks: Vec<_> = (0..IN_FLIGHT)
                .map(|t| {
                    let file = file.clone();
                    compio::runtime::spawn(async move {
                        let mut x = seed(t);
                        let mut buf = Vec::with_capacity(BLOCK);
                        for _ in 0..READS_PER_TASK {
                            let BufResult(res, b) =
                                file.read_exact_at(buf, offset(&mut x, len)).await;
                            res?;
                            buf = b;
                            buf.clear();
                        }
                        Ok::<_, std::io::Error>(())
                    })
                })
                .collect();
            for t in tasks {
                t.await.map_err(panicked)??;
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
