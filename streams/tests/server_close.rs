//! Server lifecycle: close stops listening but keeps open connections;
//! wait_closed waits for their handlers; serve_forever returns on close
//! (CPython test_start_server / Server.wait_closed).

mod common;

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use ringio_runtime::net::TcpStream;
use ringio_runtime::spawn;
use ringio_runtime::time::{sleep, timeout};
use ringio_streams::{
    open_connection, start_server, start_server_with, ServerOptions, StreamReader, StreamWriter,
};

async fn echo_lines(
    mut reader: StreamReader,
    writer: StreamWriter,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut lines = reader.lines();
    while let Some(line) = lines.next_line().await? {
        writer.write(line)?;
        writer.drain().await?;
    }
    Ok(())
}

#[test]
fn close_keeps_connections_and_wait_closed_waits_for_them() {
    common::run(async {
        let server = start_server(echo_lines, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().unwrap();
        assert!(server.is_serving());
        let (mut reader, writer) = open_connection(addr).await.unwrap();
        writer.write("before close\n").unwrap();
        assert_eq!(reader.readline().await.unwrap(), "before close\n");
        assert_eq!(server.active_connections(), 1);

        server.close();
        assert!(!server.is_serving());
        // wait_closed waits for the open connection's handler.
        assert!(timeout(Duration::from_millis(100), server.wait_closed())
            .await
            .is_err());
        // That connection still works.
        writer.write("after close\n").unwrap();
        assert_eq!(reader.readline().await.unwrap(), "after close\n");
        // No new connection is accepted.
        sleep(Duration::from_millis(10)).await;
        assert!(TcpStream::connect(&addr).await.is_err());
        // Ending the connection lets wait_closed return.
        writer.close();
        server.wait_closed().await;
        assert_eq!(server.active_connections(), 0);
        assert_eq!(reader.read(10).await.unwrap(), "");
    });
}

#[test]
fn serve_forever_returns_on_close() {
    common::run(async {
        let server = Rc::new(start_server(echo_lines, "127.0.0.1:0").await.unwrap());
        let done = Rc::new(Cell::new(false));
        let (s, d) = (server.clone(), done.clone());
        let task = spawn(async move {
            s.serve_forever().await;
            d.set(true);
        });
        sleep(Duration::from_millis(20)).await;
        assert!(!done.get());
        server.close();
        task.await.unwrap();
        assert!(done.get());
        server.wait_closed().await;
    });
}

#[test]
fn cancelled_serve_forever_closes_the_server() {
    common::run(async {
        let server = start_server(echo_lines, "127.0.0.1:0").await.unwrap();
        let r = timeout(Duration::from_millis(20), server.serve_forever()).await;
        assert!(r.is_err());
        assert!(!server.is_serving());
        server.wait_closed().await;
    });
}

#[test]
fn options_limit_and_reuse_port() {
    common::run(async {
        let options = ServerOptions::new()
            .limit(8)
            .unwrap()
            .backlog(16)
            .reuse_port(true);
        let server = start_server_with(echo_lines, "127.0.0.1:0", options.clone())
            .await
            .unwrap();
        let addr = server.local_addr().unwrap();
        // A second server on the same port, as thread-per-core serving does.
        let second = start_server_with(echo_lines, addr, options).await.unwrap();
        let (mut reader, writer) = open_connection(addr).await.unwrap();
        writer.write("short\n").unwrap();
        assert_eq!(reader.readline().await.unwrap(), "short\n");
        // A line over the server's limit of 8 fails that handler, which
        // drops the connection: the client reads end of stream.
        writer
            .write("a line much longer than eight bytes\n")
            .unwrap();
        assert_eq!(reader.read_to_end().await.unwrap(), "");
        server.close();
        second.close();
        server.wait_closed().await;
        second.wait_closed().await;
    });
}

#[test]
fn ipv6_loopback_round_trip() {
    common::run(async {
        let server = match start_server(echo_lines, "[::1]:0").await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("skipped: no IPv6 loopback here ({e})");
                return;
            }
        };
        let (mut reader, writer) = open_connection(server.local_addr().unwrap()).await.unwrap();
        assert!(writer.peer_addr().unwrap().is_ipv6());
        writer.write("over v6\n").unwrap();
        assert_eq!(reader.readline().await.unwrap(), "over v6\n");
    });
}
