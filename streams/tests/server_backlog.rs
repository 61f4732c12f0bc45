//! `start_server` listens with the kernel's largest backlog (somaxconn),
//! so a burst of 1,000 clients arriving while the loop is busy all wait in
//! the kernel's queue and get in as soon as it accepts; with asyncio's
//! backlog of 100 the rest had their SYNs dropped and waited a second or
//! more for the retransmission.

mod common;

use std::net::TcpStream as StdStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ringio_runtime::net::default_backlog;
use ringio_runtime::time::sleep;
use ringio_streams::{start_server, StreamReader, StreamWriter};

const CLIENTS: usize = 1000;
/// The whole burst connects within this while nobody accepts (it takes
/// milliseconds; a dropped SYN is retried only after 1 s, then 3 s, ...).
const BURST_WITHIN: Duration = Duration::from_secs(5);

/// Holds the connection open until the client closes it.
async fn hold(mut reader: StreamReader, _writer: StreamWriter) {
    let _ = reader.read(1).await;
}

#[test]
fn a_burst_of_1000_clients_all_get_in() {
    let somaxconn: usize = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
        .expect("somaxconn is readable")
        .trim()
        .parse()
        .expect("somaxconn is a number");
    assert_eq!(default_backlog() as usize, somaxconn);
    // Both ends of 1,000 connections live in this process.
    let nofile = common::nofile().rlim_max;
    common::set_nofile(nofile);
    if somaxconn < CLIENTS || nofile < 2 * CLIENTS as u64 + 64 {
        println!("skipped: somaxconn {somaxconn}, RLIMIT_NOFILE {nofile}: too small");
        return;
    }
    common::run(async {
        let server = start_server(hold, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().unwrap();
        let (tx, rx) = mpsc::channel();
        let burst = std::thread::spawn(move || {
            let start = Instant::now();
            let clients: Vec<StdStream> = (0..CLIENTS)
                .map_while(|_| StdStream::connect(addr).ok())
                .collect();
            let _ = tx.send(start.elapsed());
            clients
        });
        // The loop is busy (this thread blocks) while the burst arrives:
        // nothing is accepted, the kernel's queue must hold every client.
        let took = rx
            .recv_timeout(BURST_WITHIN)
            .expect("the burst did not get into the accept queue: SYNs were dropped");
        let clients = burst.join().expect("the client thread");
        println!(
            "{} clients connected in {took:?} while not accepting",
            clients.len()
        );
        assert_eq!(clients.len(), CLIENTS, "some clients failed to connect");
        // Once the loop runs, the server accepts them all.
        let freed = Instant::now();
        while server.active_connections() < CLIENTS {
            assert!(
                freed.elapsed() < BURST_WITHIN,
                "only {} of {CLIENTS} clients accepted",
                server.active_connections()
            );
            sleep(Duration::from_millis(5)).await;
        }
        println!(
            "all {CLIENTS} accepted {:?} after the loop ran",
            freed.elapsed()
        );
        drop(clients);
        server.close();
        server.wait_closed().await;
    });
}
