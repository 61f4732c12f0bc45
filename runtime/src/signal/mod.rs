//! Unix signals as streams of deliveries, asyncio's `add_signal_handler`:
//! [`ctrl_c`] and [`signal`].
//!
//! Each signal kind gets one `signalfd` per loop thread, watched on the
//! ring (`POLL_ADD`, then a non-blocking read of the pending deliveries).
//! Every [`Signal`] stream of that kind on the thread sees every delivery;
//! deliveries that arrive before a stream looks again are coalesced into
//! one, as with any Unix signal.
//!
//! A signalfd only receives a signal that is blocked, so the first
//! `signal(kind)` on a thread blocks `kind` in that thread (threads it
//! starts later, such as blocking-pool threads, inherit the mask) and it
//! stays blocked. A signal sent to the whole process (`kill`) goes to some
//! thread that does not block it: create the signal streams before other
//! threads start (or block the signal in them too) so the loop's thread is
//! the one that gets it.
//!
//! ```no_run
//! ringio::run(async {
//!     ringio::signal::ctrl_c().await?;
//!     println!("interrupted, shutting down");
//!     Ok::<(), std::io::Error>(())
//! })
//! .unwrap()
//! .unwrap();
//! ```

mod hub;
mod kind;
mod stream;

pub use kind::SignalKind;
pub use stream::Signal;

use std::io;

/// A stream of deliveries of `kind` to this process.
///
/// ```no_run
/// use ringio::signal::{signal, SignalKind};
///
/// ringio::run(async {
///     let mut hangups = signal(SignalKind::hangup())?;
///     loop {
///         hangups.recv().await?;
///         println!("SIGHUP: reloading the configuration");
///     }
/// #   #[allow(unreachable_code)]
/// #   Ok::<(), std::io::Error>(())
/// })
/// .unwrap()
/// .unwrap();
/// ```
pub fn signal(kind: SignalKind) -> io::Result<Signal> {
    Signal::new(kind)
}

/// Waits for the next Ctrl-C (SIGINT).
pub async fn ctrl_c() -> io::Result<()> {
    signal(SignalKind::interrupt())?.recv().await
}
