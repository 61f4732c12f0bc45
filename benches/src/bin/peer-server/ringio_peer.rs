//! ringio's servers: echo with `read` or `read_buf`, and line echo with
//! the streams layer, on io_uring or (the `ringio-epoll` peers) on epoll.

use std::io;

use ringio::buf::IoBuf;
use ringio::net::{TcpListener, TcpStream};
use ringio::streams::{start_server_with, ServerOptions, StreamReader, StreamWriter};
use ringio::Backend;
use ringio_benches::sys;

use crate::{announce, BUF};

/// A loop on `backend` (`None`: the default, io_uring here);
/// `RINGIO_PEER_READ_BUFFERS=COUNT,SIZE` in the environment shapes its
/// provided-buffer pool (for experiments).
fn runtime(backend: Option<Backend>) -> io::Result<ringio::Runtime> {
    let mut b = ringio::Runtime::builder();
    if let Some(backend) = backend {
        b = b.backend(backend);
    }
    if let Ok(v) = std::env::var("RINGIO_PEER_READ_BUFFERS") {
        let bad = || {
            io::Error::other(format!(
                "RINGIO_PEER_READ_BUFFERS={v:?}: expected COUNT,SIZE"
            ))
        };
        let (c, z) = v.split_once(',').ok_or_else(bad)?;
        b = b.read_buffers(c.parse().map_err(|_| bad())?, z.parse().map_err(|_| bad())?);
    }
    b.build().map_err(io::Error::other)
}

/// Echo: `pooled` reads with `read_buf` (multishot receive into the
/// provided-buffer pool; on epoll, a receive on readiness), otherwise with
/// `read` into an owned buffer.
pub fn echo(pooled: bool, backend: Option<Backend>) -> io::Result<()> {
    let std_listener = sys::listen_local()?;
    announce(std_listener.local_addr()?.port())?;
    // Leaked: the server runs until killed, and the stats task needs it.
    let rt: &'static ringio::Runtime = Box::leak(Box::new(runtime(backend)?));
    let rt_ref = rt;
    rt.block_on(async move {
        if std::env::var_os("RINGIO_PEER_STATS").is_some() {
            ringio::spawn(async move {
                loop {
                    ringio::time::sleep(std::time::Duration::from_secs(1)).await;
                    eprintln!("{:?}", rt_ref.driver_stats());
                }
            });
        }
        let listener = TcpListener::from_std(std_listener)?;
        loop {
            let (stream, _) = listener.accept().await?;
            stream.set_nodelay(true)?;
            if pooled {
                ringio::spawn(echo_read_buf(stream));
            } else {
                ringio::spawn(echo_read(stream));
            }
        }
    })
    .map_err(io::Error::other)?
}

async fn echo_read(stream: TcpStream) {
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

async fn echo_read_buf(stream: TcpStream) {
    let mut buf = ringio::streams::bytes::BytesMut::with_capacity(BUF);
    loop {
        match stream.read_buf(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let (res, _) = stream.write_all(buf.split().freeze()).await;
        if res.is_err() {
            return;
        }
    }
}

/// Line echo with asyncio's shape: `readline`, `write`, `drain`.
pub fn line(backend: Option<Backend>) -> io::Result<()> {
    let rt = runtime(backend)?;
    rt.block_on(async move {
        let opts = ServerOptions::new().backlog(sys::BACKLOG as u32);
        let server = start_server_with(echo_lines, "127.0.0.1:0", opts).await?;
        announce(server.local_addr()?.port())?;
        server.serve_forever().await;
        Ok(())
    })
    .map_err(io::Error::other)?
}

async fn echo_lines(
    mut reader: StreamReader,
    writer: StreamWriter,
) -> Result<(), Box<dyn std::error::Error>> {
    loop {
        let line = reader.readline().await?;
        if line.is_empty() {
            return Ok(());
        }
        writer.write(line)?;
        writer.drain().await?;
    }
}
