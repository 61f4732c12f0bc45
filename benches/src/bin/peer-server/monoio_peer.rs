//! monoio's echo server (its io_uring driver, one thread).

use std::io;

use monoio::buf::IoBuf;
use monoio::io::{AsyncReadRent, AsyncWriteRentExt};
use monoio::net::{TcpListener, TcpStream};
use ringio_benches::sys;

use crate::{announce, BUF};

/// Echo with `read` into an owned buffer + `write_all`.
pub fn echo() -> io::Result<()> {
    let std_listener = sys::listen_local()?;
    announce(std_listener.local_addr()?.port())?;
    let mut rt = monoio::RuntimeBuilder::<monoio::IoUringDriver>::new()
        .enable_timer()
        .build()?;
    rt.block_on(async move {
        let listener = TcpListener::from_std(std_listener)?;
        loop {
            let (stream, _) = listener.accept().await?;
            stream.set_nodelay(true)?;
            monoio::spawn(echo_conn(stream));
        }
    })
}

async fn echo_conn(mut stream: TcpStream) {
    let mut buf = vec![0u8; BUF];
    loop {
        let (res, b) = stream.read(buf).await;
        let n = match res {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let (res, b) = stream.write_all(b.slice(..n)).await;
        if res.is_err() {
            return;
        }
        buf = b.into_inner();
    }
}
