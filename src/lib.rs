//! ringio: Python's asyncio, rebuilt in Rust on Linux io_uring.
#![forbid(unsafe_code)]

pub use ringio_streams as streams;
pub use ringio_sync as sync;
