//! compio's echo server (its io_uring driver, one thread).

use std::io;
use std::os::fd::AsRawFd;

use compio::buf::BufResult;
use compio::io::{AsyncRead, AsyncWriteExt};
use compio::net::{TcpListener, TcpStream};
use ringio_benches::sys;

use crate::{announce, BUF};

/// Echo with `read` into an owned buffer + `write_all`.
pub fn echo() -> io::Result<()> {
    let rt = compio::runtime::Runtime::new()?;
    rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        sys::relisten(listener.as_raw_fd())?;
        announce(listener.local_addr()?.port())?;
        loop {
            let (stream, _) = listener.accept().await?;
            sys::set_nodelay(stream.as_raw_fd())?;
            compio::runtime::spawn(echo_conn(stream)).detach();
        }
    })
}

async fn echo_conn(mut stream: TcpStream) {
    let mut buf = Vec::with_capacity(BUF);
    loop {
        let BufResult(res, b) = stream.read(buf).await;
        match res {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let BufResult(res, b) = stream.write_all(b).await;
        if res.is_err() {
            return;
        }
        buf = b;
        buf.clear();
    }
}
