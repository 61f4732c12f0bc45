//! Threads contending for a Lock, with waiting `lock()`s cancelled at random:
//! every increment lands and the lock ends free.

mod common;

use std::sync::Arc;
use std::thread;

use common::{maybe_cancel, Rng};
use ringio_sync::Lock;

#[test]
fn increments_are_never_lost() {
    let lock = Arc::new(Lock::new(0u64));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let lock = lock.clone();
            thread::spawn(move || {
                let mut rng = Rng::new(t + 1);
                let mut done = 0;
                while done < 2_000 {
                    if let Some(mut guard) = maybe_cancel(lock.lock(), rng.below(3) == 0) {
                        *guard += 1;
                        done += 1;
                    }
                }
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().is_ok());
    }
    assert!(!lock.is_locked());
    assert_eq!(lock.try_lock().map(|g| *g), Ok(8_000));
}
