//! ringio-macros: `#[ringio::main]` and `#[ringio::test]`, asyncio's
//! `asyncio.run(main())` written as an attribute.
//!
//! Use them through the facade crate, `ringio`; the expansion names
//! `::ringio` paths.
//!
//! ```ignore
//! #[ringio::main]
//! async fn main() {
//!     println!("Hello, World!");
//! }
//!
//! #[ringio::test(timeout_ms = 1000)]
//! async fn sleeps_briefly() {
//!     ringio::time::sleep(std::time::Duration::from_millis(10)).await;
//! }
//! ```
//!
//! Misuse is a compile error pointing at the offending token: a function
//! that is not `async`, that is generic or takes arguments, an unknown
//! argument, a bad value, or an argument that does not apply (`timeout_ms`
//! on `main`, tokio's `worker_threads`/`flavor`).

mod args;
mod entry;

use proc_macro::TokenStream;

use args::Kind;

/// Runs an `async fn main` on a new ringio event loop, as
/// `asyncio.run(main())`.
///
/// ```ignore
/// #[ringio::main]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     ringio::time::sleep(std::time::Duration::from_millis(10)).await;
///     Ok(())
/// }
/// ```
///
/// The function may return anything `main` may (`()`, a `Result`, ...).
/// Arguments: `entries = N`, the ring's submission queue size (1..=32768;
/// default 256); `threads = N` (1..=1024), thread-per-core: N event loops,
/// one per thread, each running its own copy of the function (servers share
/// a port with `reuse_port`); the function then returns `()` or
/// `Result<(), E>` (the first loop's error). When the loop cannot start (io_uring unavailable, say), the
/// error is printed to stderr and the process exits with status 1.
#[proc_macro_attribute]
pub fn main(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand_or_error(Kind::Main, attr.into(), item.into()).into()
}

/// Runs an `async fn` test on a fresh ringio event loop of its own.
///
/// ```ignore
/// #[ringio::test(timeout_ms = 500)]
/// async fn answers() {
///     assert_eq!(ringio::spawn(async { 42 }).await.unwrap(), 42);
/// }
/// ```
///
/// Arguments: `entries = N` (ring size, 1..=32768), `timeout_ms = N`: a
/// test still running after that long fails with a panic that says so, and
/// `threads = N`: a copy of the test on each of N loops, one per thread,
/// all of which must pass. The
/// test may return a `Result`, and other attributes (`#[should_panic]`,
/// `#[ignore]`) apply as usual; do not add `#[test]` as well.
#[proc_macro_attribute]
pub fn test(attr: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand_or_error(Kind::Test, attr.into(), item.into()).into()
}
