//! Process churn: many short child processes, a few at a time: half
//! waited with `status`, a quarter with `output` (piped stdout checked),
//! a quarter dropped while still running (the runtime must reap them).
//! At the end no child is left, live or zombie, and no fd is left open.

use std::cell::Cell;
use std::io;
use std::process::Stdio;
use std::rc::Rc;
use std::time::Duration;

use ringio::process::Command;
use ringio::sync::Semaphore;
use ringio::time::{sleep, Instant};

use crate::join::joined;
use crate::probe::{children, fd_count};
use crate::{Figure, Outcome, Scale};

/// Children running at once, at most.
const CONCURRENCY: usize = 8;

async fn one(i: usize) -> io::Result<()> {
    match i % 4 {
        0 | 1 => {
            let status = Command::new("true").status().await?;
            if !status.success() {
                return Err(io::Error::other(format!("true: {status}")));
            }
        }
        2 => {
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("echo child {i}"))
                .output()
                .await?;
            if out.stdout != format!("child {i}\n").as_bytes() {
                return Err(io::Error::other("wrong output"));
            }
        }
        _ => {
            // Dropped while running, its stdout piped and unread.
            let child = Command::new("sleep")
                .arg("0.05")
                .stdout(Stdio::piped())
                .spawn()?;
            drop(child);
        }
    }
    Ok(())
}

/// Runs the process churn scenario.
pub fn run(scale: Scale) -> Outcome {
    let n: usize = scale.pick(200, 1_000);
    let out = ringio::run(async move {
        let fd0 = fd_count()?;
        let slots = Rc::new(Semaphore::new(CONCURRENCY));
        let errors = Rc::new(Cell::new(0usize));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for i in 0..n {
            let (slots, errors) = (slots.clone(), errors.clone());
            tasks.push(ringio::spawn(async move {
                let _slot = slots.acquire().await;
                if one(i).await.is_err() {
                    errors.set(errors.get() + 1);
                }
            }));
        }
        for t in tasks {
            joined(t.await)?;
        }
        let took = start.elapsed();
        // Dropped children exit after 50 ms; the runtime reaps them.
        let wait = Instant::now();
        let mut left = children()?;
        while left != (0, 0) && wait.elapsed() < Duration::from_secs(5) {
            sleep(Duration::from_millis(20)).await;
            left = children()?;
        }
        let fds_left = fd_count()? as i64 - fd0 as i64;
        Ok::<_, io::Error>((left, fds_left, errors.get(), took))
    })?;
    let ((live, zombies), fds_left, errors, took) = out?;
    Ok(vec![
        Figure::new(
            "process_churn_children_left",
            format!("{zombies} zombies, {live} live"),
            format!(
                "children 5 s after {n} ({:.0} children/s, {errors} failed)",
                n as f64 / took.as_secs_f64()
            ),
            "limit 0 and 0, no child failed",
            zombies == 0 && live == 0 && errors == 0,
        ),
        Figure::new(
            "process_churn_fds_left",
            fds_left,
            "fds open at the end that were not at the start",
            "limit 0",
            fds_left <= 0,
        ),
    ])
}
