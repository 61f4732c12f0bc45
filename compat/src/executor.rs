//! `RingioExecutor`: hyper's `Executor` spawning on the ringio loop.

use std::future::Future;

use ringio_runtime::task::Builder;

/// hyper's [`Executor`](hyper::rt::Executor) on the ringio loop of the
/// current thread: each future hyper hands over (an HTTP/2 stream, a
/// client connection's background task) becomes a ringio task. The
/// futures need not be `Send`, so a `!Send` service works over HTTP/2 too.
///
/// ```no_run
/// use ringio::compat::RingioExecutor;
///
/// let builder = hyper::server::conn::http2::Builder::new(RingioExecutor);
/// # let _ = builder;
/// ```
///
/// # Panics
///
/// `execute` panics when no ringio loop runs on the calling thread (hyper
/// calls it from the connection's task, which runs on the loop).
#[derive(Clone, Copy, Debug, Default)]
pub struct RingioExecutor;

impl<F> hyper::rt::Executor<F> for RingioExecutor
where
    F: Future + 'static,
{
    fn execute(&self, fut: F) {
        if let Err(e) = Builder::new().spawn(async move {
            fut.await;
        }) {
            panic!("ringio_compat::RingioExecutor: {e}");
        }
    }
}
