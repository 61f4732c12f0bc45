//! A TCP echo server on the raw socket API: every connection is a task
//! that reads into an owned buffer and writes the same bytes back.
//!
//! Run `cargo run --example echo_server_raw [ADDR]` (default
//! 127.0.0.1:7878), then `cargo run --example echo_client_raw ADDR`.
//! Runs until killed (Ctrl-C).

use ringio::buf::IoBuf;
use ringio::net::{TcpListener, TcpStream};

async fn echo(stream: TcpStream) -> std::io::Result<()> {
    let mut buf = vec![0u8; 4096];
    loop {
        let (res, b) = stream.read(buf).await;
        let n = res?;
        if n == 0 {
            return Ok(());
        }
        // Write back exactly the bytes read: a slice of the owned buffer.
        let (res, b) = stream.write_all(b.slice(..n)).await;
        res?;
        buf = b.into_inner();
    }
}

fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7878".into());
    ringio::run(async move {
        let listener = TcpListener::bind(&addr).await?;
        println!("echo server listening on {}", listener.local_addr()?);
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("accept failed: {e}");
                    continue;
                }
            };
            stream.set_nodelay(true)?;
            ringio::spawn(async move {
                if let Err(e) = echo(stream).await {
                    eprintln!("{peer}: {e}");
                }
            });
        }
    })?
}
