//! tokio's `AsyncRead`, `AsyncBufRead` and `AsyncWrite` for `Compat`.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncBufRead, AsyncRead, AsyncWrite, ReadBuf};

use crate::{Compat, OwnedRead, OwnedWrite};

impl<T: OwnedRead> AsyncRead for Compat<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let room = buf.remaining();
        this.reader
            .poll_read(&this.io, cx, room, |b| buf.put_slice(b))
            .map_ok(|_| ())
    }
}

impl<T: OwnedRead> AsyncBufRead for Compat<T> {
    forward_buf_read!();
}

impl<T: OwnedWrite> AsyncWrite for Compat<T> {
    forward_write!(poll_shutdown);

    fn is_write_vectored(&self) -> bool {
        true
    }
}
