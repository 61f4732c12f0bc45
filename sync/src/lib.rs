//! ringio-sync: asyncio's synchronisation primitives and queues for any executor.
//!
//! This crate is being built; see issue 5.
#![forbid(unsafe_code)]
