//! A TLS echo server and its client, in one program (asyncio's
//! `start_server(..., ssl=...)` and `open_connection(..., ssl=...)`): the
//! server's self-signed certificate is made at run time with rcgen, the
//! client trusts exactly that certificate, and each line the client sends
//! comes back over TLS. Then a client that trusts nothing is refused with
//! an error saying why. Needs the `tls` feature:
//! `cargo run --example tls_echo --features tls`.
//!
//! ```text
//! Serving TLS on 127.0.0.1:*
//! Sent "hello over TLS\n", received "hello over TLS\n"
//! Sent "and a second line\n", received "and a second line\n"
//! The server saw a clean close (close_notify)
//! An untrusting client: TLS: the peer's certificate is signed by an authority this side does not trust (unknown issuer)*
//! ```

use std::sync::Arc;

use ringio::streams::tls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use ringio::streams::tls::rustls::{ClientConfig, RootCertStore, ServerConfig};
use ringio::streams::{
    open_tls_connection, start_server_with, ClientTls, ServerOptions, StreamReader, StreamWriter,
};

/// Sends each line back; the loop ends at the client's close_notify
/// (an end of stream without one would be an error).
async fn echo(
    mut reader: StreamReader,
    writer: StreamWriter,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut lines = reader.lines();
    while let Some(line) = lines.next_line().await? {
        writer.write(line)?;
        writer.drain().await?;
    }
    println!("The server saw a clean close (close_notify)");
    writer.close();
    Ok(())
}

#[ringio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A certificate for "localhost", made now.
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])?;
    let cert = made.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.key_pair.serialize_der()));

    let server_config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)?;
    let options = ServerOptions::new().tls(Arc::new(server_config));
    let server = start_server_with(echo, "127.0.0.1:0", options).await?;
    let addr = server.local_addr()?;
    println!("Serving TLS on {addr}");

    // The client trusts the server's certificate, and checks its name.
    let mut roots = RootCertStore::empty();
    roots.add(cert)?;
    let client_config = ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tls = ClientTls::new(Arc::new(client_config), "localhost")?;
    let (mut reader, writer) = open_tls_connection(addr, tls).await?;
    for line in ["hello over TLS\n", "and a second line\n"] {
        writer.write(line)?;
        let echoed = reader.readline().await?;
        println!(
            "Sent {line:?}, received {:?}",
            String::from_utf8_lossy(&echoed)
        );
    }
    writer.close(); // sends close_notify
    writer.wait_closed().await?;
    // The server answers with its own close_notify: a clean end here too.
    assert!(reader.read(1).await?.is_empty());

    // A client that trusts no authority is refused, and told why.
    let untrusting = ClientConfig::builder()
        .with_root_certificates(RootCertStore::empty())
        .with_no_client_auth();
    let tls = ClientTls::new(Arc::new(untrusting), "localhost")?;
    match open_tls_connection(addr, tls).await {
        Ok(_) => return Err("an untrusting client got in".into()),
        Err(e) => println!("An untrusting client: {e}"),
    }

    server.close();
    server.wait_closed().await;
    Ok(())
}
