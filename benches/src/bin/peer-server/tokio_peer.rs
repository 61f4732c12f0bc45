//! tokio's servers on a current_thread runtime: echo with `read` +
//! `write_all`, line echo with `BufReader::read_until` + `write_all`.

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::{announce, BUF};
use ringio_benches::sys;

fn serve(line: bool) -> io::Result<()> {
    let std_listener = sys::listen_local()?;
    std_listener.set_nonblocking(true)?;
    announce(std_listener.local_addr()?.port())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = TcpListener::from_std(std_listener)?;
        loop {
            let (stream, _) = listener.accept().await?;
            stream.set_nodelay(true)?;
            if line {
                tokio::spawn(echo_lines(stream));
            } else {
                tokio::spawn(echo_conn(stream));
            }
        }
    })
}

/// Echo with `read` + `write_all`.
pub fn echo() -> io::Result<()> {
    serve(false)
}

/// Line echo with `BufReader::read_until` + `write_all`.
pub fn line() -> io::Result<()> {
    serve(true)
}

async fn echo_conn(mut stream: TcpStream) -> io::Result<()> {
    let mut buf = vec![0u8; BUF];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        stream.write_all(&buf[..n]).await?;
    }
}

async fn echo_lines(stream: TcpStream) -> io::Result<()> {
    let (rd, mut wr) = stream.into_split();
    let mut rd = tokio::io::BufReader::new(rd);
    let mut line = Vec::new();
    loop {
        line.clear();
        if rd.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        wr.write_all(&line).await?;
    }
}
