//! One event loop per thread (what asyncio leaves to multiprocessing):
//! `run_per_thread(n, |i| fut)` runs a future on its own loop on each of
//! `n` threads and returns the outputs in index order.
//!
//! ```text
//! loop 0 summed 0..1000 on its own thread: 499500
//! loop 1 summed 1000..2000 on its own thread: 1499500
//! loop 2 summed 2000..3000 on its own thread: 2499500
//! 3 loops on 3 threads
//! ```

use std::collections::HashSet;

fn main() -> Result<(), ringio::RuntimeError> {
    let outputs = ringio::run_per_thread(3, |i| async move {
        let mut sum = 0u64;
        for n in i as u64 * 1000..(i as u64 + 1) * 1000 {
            sum += n;
            if n % 100 == 0 {
                ringio::yield_now().await;
            }
        }
        (i, sum, std::thread::current().id())
    })?;
    for (i, sum, _) in &outputs {
        println!(
            "loop {i} summed {}..{} on its own thread: {sum}",
            i * 1000,
            (i + 1) * 1000
        );
    }
    let threads: HashSet<_> = outputs.iter().map(|(_, _, id)| *id).collect();
    println!("{} loops on {} threads", outputs.len(), threads.len());
    Ok(())
}
