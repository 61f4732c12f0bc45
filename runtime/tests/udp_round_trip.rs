//! UDP round trips on IPv4 and IPv6: send_to/recv_from, and connected
//! send/recv.

use ringio_runtime::net::UdpSocket;
use ringio_runtime::run;

async fn round_trip(any: &str) {
    let a = UdpSocket::bind(any).await.unwrap();
    let b = UdpSocket::bind(any).await.unwrap();
    let b_addr = b.local_addr().unwrap();
    let (res, _) = a.send_to(&b"ping"[..], b_addr).await;
    assert_eq!(res.unwrap(), 4);
    let (res, buf) = b.recv_from(vec![0u8; 64]).await;
    let (n, from) = res.unwrap();
    assert_eq!(&buf[..n], b"ping");
    assert_eq!(from, a.local_addr().unwrap());
    // Connected: send/recv without addresses.
    a.connect(&b_addr).await.unwrap();
    b.connect(&a.local_addr().unwrap()).await.unwrap();
    assert_eq!(a.peer_addr().unwrap(), b_addr);
    for i in 0..10u8 {
        let (res, _) = a.send(vec![i; 100 + i as usize]).await;
        res.unwrap();
        let (res, buf) = b.recv(Vec::with_capacity(512)).await;
        let n = res.unwrap();
        assert_eq!(n, 100 + i as usize, "one datagram per receive");
        assert!(buf.iter().all(|&x| x == i));
    }
}

#[test]
fn udp_round_trip_v4() {
    run(round_trip("127.0.0.1:0")).unwrap();
}

#[test]
fn udp_round_trip_v6() {
    if std::net::UdpSocket::bind("[::1]:0").is_err() {
        eprintln!("skipped: no IPv6 loopback here");
        return;
    }
    run(round_trip("[::1]:0")).unwrap();
}
