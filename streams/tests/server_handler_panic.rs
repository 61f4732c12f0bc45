//! A handler that panics or returns an error ends its own connection only:
//! the server and the other connections go on.

mod common;

use ringio_streams::{open_connection, start_server, StreamReader, StreamWriter};

async fn handler(mut reader: StreamReader, writer: StreamWriter) -> Result<(), std::io::Error> {
    loop {
        let line = reader.readline().await?;
        match &line[..] {
            b"" => return Ok(()),
            b"panic\n" => panic!("the client asked for a panic"),
            b"fail\n" => {
                return Err(std::io::Error::other("the client asked for an error"));
            }
            _ => {
                writer.write(line)?;
                writer.drain().await?;
            }
        }
    }
}

#[test]
fn panic_or_error_ends_only_that_connection() {
    common::run(async {
        let server = start_server(handler, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().unwrap();
        let (mut good_r, good_w) = open_connection(addr).await.unwrap();
        good_w.write("hi\n").unwrap();
        assert_eq!(good_r.readline().await.unwrap(), "hi\n");

        for trigger in ["panic\n", "fail\n"] {
            let (mut bad_r, bad_w) = open_connection(addr).await.unwrap();
            bad_w.write("echo me\n").unwrap();
            assert_eq!(bad_r.readline().await.unwrap(), "echo me\n");
            bad_w.write(trigger).unwrap();
            // That connection ends: end of stream (or a reset).
            match bad_r.read_to_end().await {
                Ok(rest) => assert!(rest.is_empty()),
                Err(e) => eprintln!("connection ended with {e}"),
            }
        }

        // The first connection and the server are unaffected.
        good_w.write("still here\n").unwrap();
        assert_eq!(good_r.readline().await.unwrap(), "still here\n");
        assert!(server.is_serving());
        let (mut r, w) = open_connection(addr).await.unwrap();
        w.write("new\n").unwrap();
        assert_eq!(r.readline().await.unwrap(), "new\n");
        assert_eq!(server.active_connections(), 2);
    });
}
