//! The TCP echo server of asyncio's streams documentation (seed 000's
//! "Read and Write Data with Stream"): `start_server` calls `handle_echo`
//! with a reader and a writer for each connection; it reads a message,
//! sends it back and closes.
//!
//! Run `cargo run --example echo_server [ADDR]` (default 127.0.0.1:8888),
//! then `cargo run --example echo_client ADDR`. Serves until killed.

use ringio::streams::{start_server, StreamReader, StreamWriter};

async fn handle_echo(
    mut reader: StreamReader,
    writer: StreamWriter,
) -> Result<(), Box<dyn std::error::Error>> {
    let data = reader.read(100).await?;
    let message = String::from_utf8_lossy(&data).into_owned();
    let addr = writer.peer_addr()?;
    println!("Received {message:?} from {addr}");

    println!("Send: {message:?}");
    writer.write(data)?;
    writer.drain().await?;

    println!("Close the connection");
    writer.close();
    writer.wait_closed().await?;
    Ok(())
}

#[ringio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8888".into());
    let server = start_server(handle_echo, addr).await?;
    println!("Serving on {}", server.local_addr()?);
    server.serve_forever().await;
    Ok(())
}
