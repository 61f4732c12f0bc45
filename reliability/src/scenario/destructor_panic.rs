//! Panics in destructors: a task aborted while it owns a value whose
//! destructor panics must report `JoinError::Panic` with that message
//! (as tokio does), the loop must keep running, and dropping a runtime
//! whose pending tasks panic in their destructors must neither abort the
//! process nor skip the other tasks' destructors.

use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ringio::time::{sleep, timeout};
use ringio::Runtime;

use crate::{Figure, Outcome, Scale};

const MESSAGE: &str = "destructor panic (expected by the destructor-panic scenario)";

struct PanicOnDrop;

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("{MESSAGE}");
    }
}

struct CountOnDrop(Arc<AtomicUsize>);

impl Drop for CountOnDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// Aborted tasks whose destructor panicked: (reported Panic with the
/// message, the loop still ran a task afterwards).
fn aborted(n: usize) -> io::Result<(usize, bool, String)> {
    ringio::run(async move {
        let mut reported = 0;
        let mut first_wrong = String::new();
        for _ in 0..n {
            let j = ringio::spawn(async move {
                let _p = PanicOnDrop;
                std::future::pending::<()>().await
            });
            ringio::yield_now().await;
            j.abort();
            match timeout(Duration::from_secs(5), j).await {
                Ok(Err(e)) if e.is_panic() && e.panic_message() == Some(MESSAGE) => reported += 1,
                other if first_wrong.is_empty() => first_wrong = format!("{other:?}"),
                _ => {}
            }
        }
        let alive = ringio::spawn(async {
            sleep(Duration::from_millis(1)).await;
            7
        });
        let alive = matches!(timeout(Duration::from_secs(5), alive).await, Ok(Ok(7)));
        Ok((reported, alive, first_wrong))
    })?
}

/// A runtime dropped with `n` pending tasks, every other one panicking in
/// its destructor: (the drop returned without a panic, destructors run).
fn dropped_runtime(n: usize) -> io::Result<(bool, usize)> {
    let ran = Arc::new(AtomicUsize::new(0));
    let rt = Runtime::new()?;
    rt.block_on({
        let ran = ran.clone();
        async move {
            for i in 0..n {
                let c = CountOnDrop(ran.clone());
                ringio::spawn(async move {
                    let _c = c;
                    let _p = (i % 2 == 0).then_some(PanicOnDrop);
                    std::future::pending::<()>().await
                });
            }
            ringio::yield_now().await;
        }
    })?;
    let clean = panic::catch_unwind(AssertUnwindSafe(move || drop(rt))).is_ok();
    Ok((clean, ran.load(Ordering::Relaxed)))
}

/// Runs the destructor panic scenario.
pub fn run(scale: Scale) -> Outcome {
    let n: usize = scale.pick(100, 10_000);
    // The panics are expected: keep them off stderr.
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let a = panic::catch_unwind(|| aborted(n));
    let d = panic::catch_unwind(|| dropped_runtime(n));
    panic::set_hook(hook);
    let mut figures = Vec::new();
    figures.push(match a {
        Ok(r) => {
            let (reported, alive, first_wrong) = r?;
            Figure::new(
                "destructor_panic_on_abort",
                reported,
                format!(
                    "of {n} aborted tasks reported JoinError::Panic with the message{}{}",
                    if alive {
                        ""
                    } else {
                        "; the loop stopped running tasks"
                    },
                    if first_wrong.is_empty() {
                        String::new()
                    } else {
                        format!("; first other outcome: {first_wrong}")
                    }
                ),
                format!("all {n}, the loop still runs"),
                reported == n && alive,
            )
        }
        Err(p) => Figure::new(
            "destructor_panic_on_abort",
            "the panic escaped",
            format!("from the loop: {}", panic_text(&*p)),
            format!("all {n} reported as JoinError::Panic"),
            false,
        ),
    });
    figures.push(match d {
        Ok(r) => {
            let (clean, ran) = r?;
            Figure::new(
                "destructor_panic_on_runtime_drop",
                ran,
                format!(
                    "of {n} pending tasks' destructors ran when the runtime dropped{}",
                    if clean {
                        ""
                    } else {
                        "; a panic escaped the drop"
                    }
                ),
                format!("all {n}, no panic out of the drop"),
                clean && ran == n,
            )
        }
        Err(p) => Figure::new(
            "destructor_panic_on_runtime_drop",
            "the panic escaped",
            format!("from the runtime: {}", panic_text(&*p)),
            format!("all {n} destructors run, no panic out of the drop"),
            false,
        ),
    });
    Ok(figures)
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(not a string)".into())
}
