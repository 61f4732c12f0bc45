//! The poll methods tokio's, futures' and hyper's traits share, written
//! once: each forwards to the `Reader` or `Writer` of the `Compat`.

/// `poll_write`, `poll_write_vectored`, `poll_flush`, and the shutdown
/// method under the trait's name for it (`poll_shutdown`, `poll_close`).
macro_rules! forward_write {
    ($shutdown:ident) => {
        fn poll_write(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
            buf: &[u8],
        ) -> std::task::Poll<std::io::Result<usize>> {
            let this = self.get_mut();
            this.writer
                .poll_write_vectored(&this.io, cx, &[std::io::IoSlice::new(buf)])
        }

        fn poll_write_vectored(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
            bufs: &[std::io::IoSlice<'_>],
        ) -> std::task::Poll<std::io::Result<usize>> {
            let this = self.get_mut();
            this.writer.poll_write_vectored(&this.io, cx, bufs)
        }

        fn poll_flush(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            self.get_mut().writer.poll_flush(cx)
        }

        fn $shutdown(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            let this = self.get_mut();
            this.writer.poll_shutdown(&this.io, cx)
        }
    };
}

/// `poll_fill_buf` and `consume` of the `AsyncBufRead` traits (hyper has
/// none).
#[cfg_attr(
    not(any(feature = "tokio-io", feature = "futures-io")),
    allow(unused_macros)
)]
macro_rules! forward_buf_read {
    () => {
        fn poll_fill_buf(
            self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<&[u8]>> {
            let this = self.get_mut();
            this.reader.poll_fill_buf(&this.io, cx)
        }

        fn consume(self: std::pin::Pin<&mut Self>, amt: usize) {
            self.get_mut().reader.consume(amt);
        }
    };
}
