//! An echo server that prints the loop's metrics every second, as a
//! service would export them: tasks, polls, busy time, parks and the
//! operations in the ring. A client task keeps a few connections busy for
//! three seconds (or the number of seconds given as argument), then the
//! program prints the operations per opcode and exits.
//!
//! ```text
//! serving on 127.0.0.1:*
//! [1s] tasks=* spawned=* polls=* busy=*ms parks=* ops submitted=* completed=* in_flight=*
//! [2s] tasks=* spawned=* polls=* busy=*ms parks=* ops submitted=* completed=* in_flight=*
//! [3s] tasks=* spawned=* polls=* busy=*ms parks=* ops submitted=* completed=* in_flight=*
//! per opcode (submitted/completed): *
//! echoed * lines on 4 connections
//! ```

use std::cell::Cell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use ringio::runtime::metrics;
use ringio::streams::{open_connection, start_server, StreamReader, StreamWriter};
use ringio::time::{interval, sleep};

async fn echo(mut reader: StreamReader, writer: StreamWriter) -> std::io::Result<()> {
    loop {
        let line = reader.readline().await?;
        if line.is_empty() {
            return Ok(());
        }
        writer.write(line)?;
        writer.drain().await?;
    }
}

/// One client connection: sends lines until `stop`, counting the echoes.
async fn client(
    addr: SocketAddr,
    stop: Rc<Cell<bool>>,
    echoed: Rc<Cell<u64>>,
) -> std::io::Result<()> {
    let (mut reader, writer) = open_connection(addr).await?;
    while !stop.get() {
        writer.write("ping\n")?;
        writer.drain().await?;
        assert_eq!(reader.readline().await?, "ping\n");
        echoed.set(echoed.get() + 1);
        // A small pause: a client, not a benchmark.
        sleep(Duration::from_micros(200)).await;
    }
    Ok(())
}

#[ringio::main]
async fn main() -> std::io::Result<()> {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let server = start_server(echo, "127.0.0.1:0").await?;
    let addr = server.local_addr()?;
    println!("serving on {addr}");

    let stop = Rc::new(Cell::new(false));
    let echoed = Rc::new(Cell::new(0));
    let clients: Vec<_> = (0..4)
        .map(|_| ringio::spawn(client(addr, stop.clone(), echoed.clone())))
        .collect();

    let mut tick = interval(Duration::from_secs(1))?;
    tick.tick().await; // the first tick is immediate
    let mut last_completed = 0;
    for s in 1..=seconds {
        tick.tick().await;
        let m = metrics::current().expect("inside the loop");
        println!(
            "[{s}s] tasks={} spawned={} polls={} busy={}ms parks={} ops submitted={} completed={} in_flight={}",
            m.alive_tasks,
            m.spawned_tasks,
            m.polls,
            m.busy_time.as_millis(),
            m.parks,
            m.ops_submitted,
            m.ops_completed,
            m.ops_in_flight,
        );
        // The counters are monotonic and the clients keep the ring busy.
        assert!(
            m.ops_completed > last_completed,
            "no operation completed in second {s}"
        );
        last_completed = m.ops_completed;
    }
    stop.set(true);
    for c in clients {
        c.await.expect("a client task")?;
    }
    let m = metrics::current().expect("inside the loop");
    let ops: Vec<String> = m
        .by_opcode
        .iter()
        .map(|o| format!("{}={}/{}", o.name, o.submitted, o.completed))
        .collect();
    println!("per opcode (submitted/completed): {}", ops.join(" "));
    println!("echoed {} lines on 4 connections", echoed.get());
    server.close();
    Ok(())
}
