//! Connecting to a closed port fails with `ConnectionRefused`; binding a
//! port in use fails with `AddrInUse`.

use std::io::ErrorKind;

use ringio_runtime::net::{TcpListener, TcpStream};
use ringio_runtime::run;

#[test]
fn connect_to_closed_port_is_refused() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        // Let the loop run the close before connecting.
        ringio_runtime::yield_now().await;
        let err = TcpStream::connect(&addr).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
    })
    .unwrap();
}

#[test]
fn bind_port_in_use_is_addr_in_use() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let err = TcpListener::bind(&addr).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AddrInUse, "{err}");
        // With SO_REUSEPORT on both, two listeners share the port.
        let a = TcpListener::options()
            .reuse_port(true)
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        let port = a.local_addr().unwrap();
        let b = TcpListener::options()
            .reuse_port(true)
            .bind(&port)
            .await
            .unwrap();
        assert_eq!(b.local_addr().unwrap(), port);
    })
    .unwrap();
}
