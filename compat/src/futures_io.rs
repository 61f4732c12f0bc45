//! futures' `AsyncRead`, `AsyncBufRead` and `AsyncWrite` for `Compat`.
//! `poll_close` waits for the write in flight and shuts the writing side
//! down (a pipe closes when the `Compat` is dropped).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_io::{AsyncBufRead, AsyncRead, AsyncWrite};

use crate::{Compat, OwnedRead, OwnedWrite};

impl<T: OwnedRead> AsyncRead for Compat<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let room = buf.len();
        let mut filled = 0;
        this.reader.poll_read(&this.io, cx, room, |b| {
            buf[filled..filled + b.len()].copy_from_slice(b);
            filled += b.len();
        })
    }
}

impl<T: OwnedRead> AsyncBufRead for Compat<T> {
    forward_buf_read!();
}

impl<T: OwnedWrite> AsyncWrite for Compat<T> {
    forward_write!(poll_close);
}
