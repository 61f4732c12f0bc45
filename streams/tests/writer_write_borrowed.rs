//! `writer.write(b"hello\n")` and `writer.write(&buf[..n])` work as
//! asyncio's `writer.write(data)`; so does `pipe.write(b"ping")` on a pipe.

mod common;

use ringio_streams::{open_connection, start_server, StreamReader, StreamWriter};

async fn echo(mut reader: StreamReader, writer: StreamWriter) -> std::io::Result<()> {
    let mut buf = [0u8; 64];
    loop {
        let data = reader.read(64).await.map_err(std::io::Error::other)?;
        if data.is_empty() {
            break;
        }
        let n = data.len();
        buf[..n].copy_from_slice(&data);
        // A borrowed slice of a local buffer.
        writer.write(&buf[..n]).map_err(std::io::Error::other)?;
        writer.drain().await.map_err(std::io::Error::other)?;
    }
    writer.close();
    Ok(())
}

#[test]
fn byte_literals_and_borrowed_slices_can_be_written() {
    common::run(async {
        let server = start_server(echo, ("127.0.0.1", 0)).await.unwrap();
        let addr = server.local_addr().unwrap();
        let (mut reader, writer) = open_connection(addr).await.unwrap();
        writer.write(b"hello\n").unwrap();
        let line = String::from("line\n");
        writer.write(&line).unwrap();
        writer.write("str\n").unwrap();
        writer.drain().await.unwrap();
        assert_eq!(reader.readline().await.unwrap(), &b"hello\n"[..]);
        assert_eq!(reader.readline().await.unwrap(), &b"line\n"[..]);
        assert_eq!(reader.readline().await.unwrap(), &b"str\n"[..]);
        server.close();
    });
}

#[test]
fn a_pipe_takes_a_byte_literal() {
    common::run(async {
        let (r, w) = ringio_runtime::pipe::pipe().unwrap();
        let (res, _) = w.write(b"ping").await;
        assert_eq!(res.unwrap(), 4);
        let (res, buf) = r.read(vec![0u8; 8]).await;
        let n = res.unwrap();
        assert_eq!(&buf[..n], b"ping");
    });
}
