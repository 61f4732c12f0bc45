//! A TCP echo client on the raw socket API: sends three lines and prints
//! each echo. Given no address, it starts its own echo server in the same
//! loop first, so it runs on its own.
//!
//! ```text
//! sent: hello
//! echo: hello
//! sent: from the
//! echo: from the
//! sent: raw socket API
//! echo: raw socket API
//! ```

use ringio::buf::IoBuf;
use ringio::net::{TcpListener, TcpStream};

fn main() -> std::io::Result<()> {
    let target = std::env::args().nth(1);
    ringio::run(async move {
        let addr = match target {
            Some(a) => a,
            None => {
                // An in-process server on a free port.
                let listener = TcpListener::bind("127.0.0.1:0").await?;
                let addr = listener.local_addr()?.to_string();
                ringio::spawn(async move {
                    while let Ok((stream, _)) = listener.accept().await {
                        ringio::spawn(async move {
                            let mut buf = vec![0u8; 1024];
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
                        });
                    }
                });
                addr
            }
        };
        let stream = TcpStream::connect(&addr).await?;
        for line in ["hello", "from the", "raw socket API"] {
            let (res, _) = stream.write_all(line.as_bytes().to_vec()).await;
            res?;
            println!("sent: {line}");
            let mut got = Vec::new();
            while got.len() < line.len() {
                let (res, buf) = stream.read(Vec::with_capacity(1024)).await;
                let n = res?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                got.extend_from_slice(&buf[..n]);
            }
            println!("echo: {}", String::from_utf8_lossy(&got));
        }
        Ok(())
    })?
}
