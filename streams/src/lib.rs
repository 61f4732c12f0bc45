//! ringio-streams: asyncio's StreamReader / StreamWriter on ringio's io_uring sockets.
//!
//! This crate is being built; see issue 4.
#![forbid(unsafe_code)]
