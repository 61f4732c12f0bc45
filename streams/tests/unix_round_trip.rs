//! Unix streams: start_unix_server / open_unix_connection round trip in a
//! temporary directory; the socket file is removed at close.

mod common;

use ringio_streams::{open_unix_connection, start_unix_server, StreamReader, StreamWriter};

async fn upper(
    mut reader: StreamReader,
    writer: StreamWriter,
) -> Result<(), Box<dyn std::error::Error>> {
    while let Some(line) = reader.lines().next_line().await? {
        writer.write(line.to_ascii_uppercase())?;
        writer.drain().await?;
    }
    writer.close();
    Ok(())
}

#[test]
fn unix_round_trip() {
    let dir = common::TempDir::new("unix");
    let path = dir.0.join("upper.sock");
    common::run(async {
        let server = start_unix_server(upper, &path).await.unwrap();
        assert_eq!(server.path(), path);
        assert!(path.exists());
        let (mut reader, writer) = open_unix_connection(&path).await.unwrap();
        assert!(writer.unix_peer_addr().is_ok());
        assert_eq!(
            writer.peer_addr().unwrap_err().kind(),
            std::io::ErrorKind::Unsupported
        );
        writer.writelines(["hello\n", "unix\n"]).unwrap();
        writer.drain().await.unwrap();
        assert_eq!(reader.readline().await.unwrap(), "HELLO\n");
        assert_eq!(reader.readline().await.unwrap(), "UNIX\n");
        writer.write_eof().unwrap();
        assert_eq!(reader.read_to_end().await.unwrap(), "");
        server.close();
        server.wait_closed().await;
        assert!(!path.exists(), "the socket file was not removed");

        // A stale socket file left behind is replaced by a new server.
        let stale = std::os::unix::net::UnixListener::bind(&path).unwrap();
        drop(stale);
        let again = start_unix_server(upper, &path).await.unwrap();
        let (mut r, w) = open_unix_connection(&path).await.unwrap();
        w.write("again\n").unwrap();
        assert_eq!(r.readline().await.unwrap(), "AGAIN\n");
        again.close();
    });
}
