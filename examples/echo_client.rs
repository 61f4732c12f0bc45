//! The TCP echo client of asyncio's streams documentation (seed 000's
//! "Read and Write Data with Stream"): `open_connection` gives a reader and
//! a writer; the client sends a message, prints the echo and closes.
//!
//! Given an address (`cargo run --example echo_client 127.0.0.1:8888`,
//! with `echo_server` running) it talks to that server. Given none, it
//! first starts a quiet echo server of its own on a free loopback port, so
//! it runs on its own:
//!
//! ```text
//! Send: "Hello World!"
//! Received: "Hello World!"
//! Close the connection
//! ```

use ringio::streams::{open_connection, start_server, Server, StreamReader, StreamWriter};

async fn tcp_echo_client(message: &str, addr: &str) -> Result<(), Box<dyn std::error::Error>> {
    let (mut reader, writer) = open_connection(addr).await?;

    println!("Send: {message:?}");
    writer.write(message.to_owned())?;
    writer.drain().await?;

    let data = reader.read(100).await?;
    println!("Received: {:?}", String::from_utf8_lossy(&data));

    println!("Close the connection");
    writer.close();
    writer.wait_closed().await?;
    Ok(())
}

/// The echo handler of `echo_server`, without its prints.
async fn echo(
    mut reader: StreamReader,
    writer: StreamWriter,
) -> Result<(), Box<dyn std::error::Error>> {
    let data = reader.read(100).await?;
    writer.write(data)?;
    writer.drain().await?;
    writer.close();
    Ok(())
}

#[ringio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut own_server: Option<Server> = None;
    let addr = match std::env::args().nth(1) {
        Some(addr) => addr,
        None => {
            let server = start_server(echo, "127.0.0.1:0").await?;
            let addr = server.local_addr()?.to_string();
            own_server = Some(server);
            addr
        }
    };
    tcp_echo_client("Hello World!", &addr).await?;
    if let Some(server) = own_server {
        server.close();
        server.wait_closed().await;
    }
    Ok(())
}
