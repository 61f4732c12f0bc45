//! Threads sharing a Semaphore, with waiting `acquire`s cancelled at random:
//! never more holders than permits, and no permit lost.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use common::{maybe_cancel, Rng};
use ringio_sync::Semaphore;

#[test]
fn holders_never_exceed_permits_and_permits_are_conserved() {
    let sem = Arc::new(Semaphore::new(2));
    let holders = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let (sem, holders) = (sem.clone(), holders.clone());
            thread::spawn(move || {
                let mut rng = Rng::new(t + 1);
                for _ in 0..2_000 {
                    let n = 1 + rng.below(2) as usize;
                    if let Some(permit) = maybe_cancel(sem.acquire_many(n), rng.below(3) == 0) {
                        let now = holders.fetch_add(n, Ordering::SeqCst) + n;
                        assert!(now <= 2, "{now} permits held at once");
                        holders.fetch_sub(n, Ordering::SeqCst);
                        drop(permit);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().is_ok());
    }
    assert_eq!(sem.available_permits(), 2);
}
