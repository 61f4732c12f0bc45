//! close flushes queued data before shutting down; write_eof half-closes
//! while reading goes on; writes after either are refused.

mod common;

use ringio_runtime::net::TcpListener;
use ringio_runtime::spawn;
use ringio_streams::{from_tcp, open_connection, StreamOptions, WriteError};

#[test]
fn close_sends_everything_queued_first() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (_r, writer) = open_connection(addr).await.unwrap();
        let (peer, _) = listener.accept().await.unwrap();
        let (mut peer_reader, _pw) = from_tcp(peer, StreamOptions::new()).unwrap();
        // 1 MiB queued without a single drain, then close.
        for i in 0..256u32 {
            writer.write(vec![(i % 256) as u8; 4096]).unwrap();
        }
        writer.close();
        assert!(writer.is_closing());
        assert!(matches!(writer.write("late"), Err(WriteError::Closing)));
        assert!(matches!(writer.drain().await, Err(WriteError::Closing)));
        let all = peer_reader.read_to_end().await.unwrap();
        assert_eq!(all.len(), 256 * 4096);
        for (i, c) in all.chunks(4096).enumerate() {
            assert!(c.iter().all(|&b| b == (i % 256) as u8));
        }
        writer.wait_closed().await.unwrap();
    });
}

#[test]
fn dropped_writer_still_sends_its_data() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (_r, writer) = open_connection(addr).await.unwrap();
        let (peer, _) = listener.accept().await.unwrap();
        let (mut peer_reader, _pw) = from_tcp(peer, StreamOptions::new()).unwrap();
        writer.writelines(["one\n", "two\n", "three\n"]).unwrap();
        drop(writer);
        assert_eq!(
            peer_reader.read_to_end().await.unwrap(),
            "one\ntwo\nthree\n"
        );
    });
}

#[test]
fn write_eof_half_closes() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = spawn(async move {
            let (peer, _) = listener.accept().await.unwrap();
            let (mut r, w) = from_tcp(peer, StreamOptions::new()).unwrap();
            let request = r.read_to_end().await.unwrap();
            // The client's writing side is shut; ours still works.
            w.write(format!("got {} bytes", request.len())).unwrap();
            w.close();
            w.wait_closed().await.unwrap();
        });
        let (mut reader, writer) = open_connection(addr).await.unwrap();
        assert!(writer.can_write_eof());
        writer.write("request body").unwrap();
        writer.write_eof().unwrap();
        assert!(matches!(writer.write("x"), Err(WriteError::EofWritten)));
        assert!(!writer.is_closing());
        assert_eq!(reader.read_to_end().await.unwrap(), "got 12 bytes");
        server.await.unwrap();
        writer.close();
        writer.wait_closed().await.unwrap();
    });
}

#[test]
fn addresses_of_both_ends() {
    common::run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (_r, writer) = open_connection(addr).await.unwrap();
        let (peer, peer_addr) = listener.accept().await.unwrap();
        assert_eq!(writer.peer_addr().unwrap(), addr);
        assert_eq!(writer.local_addr().unwrap(), peer_addr);
        assert_eq!(
            writer.unix_peer_addr().unwrap_err().kind(),
            std::io::ErrorKind::Unsupported
        );
        drop(peer);
    });
}
