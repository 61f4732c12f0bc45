//! hyper's `rt::Read` and `rt::Write` for `Compat`.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::rt::{Read, ReadBufCursor, Write};

use crate::{Compat, OwnedRead, OwnedWrite};

impl<T: OwnedRead> Read for Compat<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let room = buf.remaining();
        this.reader
            .poll_read(&this.io, cx, room, |b| buf.put_slice(b))
            .map_ok(|_| ())
    }
}

impl<T: OwnedWrite> Write for Compat<T> {
    forward_write!(poll_shutdown);

    fn is_write_vectored(&self) -> bool {
        true
    }
}
