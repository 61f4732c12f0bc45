//! Copies a file with owned buffers on the ring: four 64 KiB reads in
//! flight at a time, each written at the same offset of the copy.
//! `cargo run --example file_copy FROM TO`; given no paths, it copies a
//! 1 MiB file it makes in the temp directory, checks the copy and removes
//! both.
//!
//! ```text
//! copied 1048576 bytes
//! the copy matches
//! ```

use std::path::PathBuf;
use std::rc::Rc;

use ringio::fs::{self, File};

const CHUNK: u64 = 64 << 10;
const IN_FLIGHT: u64 = 4;

async fn copy(from: &PathBuf, to: &PathBuf) -> std::io::Result<u64> {
    let src = Rc::new(File::open(from).await?);
    let dst = Rc::new(File::create(to).await?);
    let len = src.metadata().await?.len();
    let chunks = len.div_ceil(CHUNK);
    // Worker w copies chunks w, w + IN_FLIGHT, ...
    let workers: Vec<_> = (0..IN_FLIGHT)
        .map(|w| {
            let (src, dst) = (src.clone(), dst.clone());
            ringio::spawn(async move {
                let mut buf = Vec::with_capacity(CHUNK as usize);
                let mut i = w;
                while i < chunks {
                    let pos = i * CHUNK;
                    buf.clear();
                    let (res, b) = src.read_at(buf, pos).await;
                    let n = res?;
                    let (res, b) = dst.write_all_at(b, pos).await;
                    res?;
                    debug_assert_eq!(b.len(), n);
                    buf = b;
                    i += IN_FLIGHT;
                }
                Ok::<(), std::io::Error>(())
            })
        })
        .collect();
    for w in workers {
        w.await.map_err(std::io::Error::from)??;
    }
    dst.sync_all().await?;
    Ok(len)
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    ringio::run(async move {
        match (args.next(), args.next()) {
            (Some(from), Some(to)) => {
                let n = copy(&from.into(), &to.into()).await?;
                println!("copied {n} bytes");
            }
            _ => {
                let dir = std::env::temp_dir();
                let id = std::process::id();
                let from = dir.join(format!("ringio-copy-src-{id}"));
                let to = dir.join(format!("ringio-copy-dst-{id}"));
                let data: Vec<u8> = (0..1u32 << 20).map(|i| (i % 251) as u8).collect();
                fs::write(&from, data.clone()).await?;
                let n = copy(&from, &to).await?;
                println!("copied {n} bytes");
                let same = fs::read(&to).await? == data;
                fs::remove_file(&from).await?;
                fs::remove_file(&to).await?;
                println!(
                    "{}",
                    if same {
                        "the copy matches"
                    } else {
                        "THE COPY DIFFERS"
                    }
                );
            }
        }
        Ok(())
    })?
}
