//! The scenarios, one guarantee each, and the table [`ALL`] the runner
//! goes through.

use std::process::ExitCode;
use std::time::Duration;

use crate::{Outcome, Scale};

pub mod churn;
pub mod connections;
pub mod destructor_panic;
pub mod dropped_datagrams;
pub mod dropped_reads;
pub mod emfile_storm;
pub mod process_churn;
pub mod rst_storm;
pub mod runtime_drop;
pub mod timer_storm;
pub mod tiny_ring;
pub mod wake_storm;

/// One scenario of the suite.
#[derive(Debug)]
pub struct Scenario {
    /// The name given on the command line.
    pub name: &'static str,
    /// What it checks, in one line.
    pub about: &'static str,
    /// Runs it at a scale.
    pub run: fn(Scale) -> Outcome,
    /// Time budget (quick, full) before the runner kills it.
    pub budget: (Duration, Duration),
}

const fn secs(quick: u64, full: u64) -> (Duration, Duration) {
    (Duration::from_secs(quick), Duration::from_secs(full))
}

use dropped_datagrams::Kind as D;
use dropped_reads::Kind as R;

/// Every scenario, in the order `all` runs them.
pub const ALL: &[Scenario] = &[
    Scenario {
        name: "dropped-reads-tcp",
        about: "TcpStream::read dropped in flight loses no byte",
        run: |s| dropped_reads::run(R::Tcp, s),
        budget: secs(60, 300),
    },
    Scenario {
        name: "dropped-reads-tcp-read-buf",
        about: "TcpStream::read_buf dropped in flight loses no byte",
        run: |s| dropped_reads::run(R::TcpReadBuf, s),
        budget: secs(60, 300),
    },
    Scenario {
        name: "dropped-reads-unix",
        about: "UnixStream::read dropped in flight loses no byte",
        run: |s| dropped_reads::run(R::Unix, s),
        budget: secs(60, 300),
    },
    Scenario {
        name: "dropped-reads-unix-read-buf",
        about: "UnixStream::read_buf dropped in flight loses no byte",
        run: |s| dropped_reads::run(R::UnixReadBuf, s),
        budget: secs(60, 300),
    },
    Scenario {
        name: "dropped-reads-pipe",
        about: "PipeReader::read dropped in flight loses no byte",
        run: |s| dropped_reads::run(R::Pipe, s),
        budget: secs(60, 300),
    },
    Scenario {
        name: "dropped-reads-child-stdout",
        about: "a child's stdout read dropped in flight loses no byte",
        run: |s| dropped_reads::run(R::Child, s),
        budget: secs(60, 300),
    },
    Scenario {
        name: "dropped-reads-stream-reader",
        about: "StreamReader::read dropped in flight loses no byte",
        run: |s| dropped_reads::run(R::Stream, s),
        budget: secs(60, 300),
    },
    Scenario {
        name: "dropped-reads-udp",
        about: "UdpSocket::recv dropped in flight loses no datagram",
        run: |s| dropped_datagrams::run(D::Udp, s),
        budget: secs(60, 300),
    },
    Scenario {
        name: "dropped-reads-unix-datagram",
        about: "UnixDatagram::recv dropped in flight loses no datagram",
        run: |s| dropped_datagrams::run(D::UnixDatagram, s),
        budget: secs(60, 300),
    },
    Scenario {
        name: "churn",
        about: "connect/accept/drop churn: fd count and RSS stay flat",
        run: churn::run,
        budget: secs(90, 900),
    },
    Scenario {
        name: "runtime-drop",
        about: "dropping a runtime with 10,000 operations in flight: fast, no fd left",
        run: runtime_drop::run,
        budget: secs(60, 120),
    },
    Scenario {
        name: "tiny-ring",
        about: "SQ of 1 and CQ of 2 under 100,000 operations: overflow handled, nothing lost",
        run: tiny_ring::run,
        budget: secs(90, 600),
    },
    Scenario {
        name: "emfile-storm",
        about: "accept under EMFILE with clients waiting: little CPU, few errors, recovery",
        run: emfile_storm::run,
        budget: secs(60, 120),
    },
    Scenario {
        name: "connections",
        about: "many open connections to a stream server: RSS per connection",
        run: connections::run,
        budget: secs(90, 300),
    },
    Scenario {
        name: "rst-storm",
        about: "peers resetting connections: every read and write fails promptly, none hangs",
        run: rst_storm::run,
        budget: secs(60, 300),
    },
    Scenario {
        name: "timer-storm",
        about: "many timers with the loop blocked now and then: lateness and order",
        run: timer_storm::run,
        budget: secs(60, 300),
    },
    Scenario {
        name: "wake-storm",
        about: "wake-ups, aborts and sync primitives across threads: nothing lost",
        run: wake_storm::run,
        budget: secs(90, 600),
    },
    Scenario {
        name: "process-churn",
        about: "many child processes, some dropped running: no zombie, no fd left",
        run: process_churn::run,
        budget: secs(90, 600),
    },
    Scenario {
        name: "destructor-panic",
        about: "destructors that panic when a task is aborted or the runtime drops",
        run: destructor_panic::run,
        budget: secs(60, 300),
    },
];

/// The helper programs scenarios run as children of this binary
/// (`emit-pattern N`, `hold-clients ADDR N`); `None` when `name` is none.
pub fn helper(name: &str, args: &[&str]) -> Option<ExitCode> {
    let done = |r: std::io::Result<()>| match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            ExitCode::FAILURE
        }
    };
    match (name, args) {
        ("emit-pattern", [n]) => Some(done(
            n.parse()
                .map_err(std::io::Error::other)
                .and_then(dropped_reads::emit_pattern),
        )),
        ("hold-clients", [addr, n]) => Some(done(
            n.parse()
                .map_err(std::io::Error::other)
                .and_then(|n| connections::hold_clients(addr, n)),
        )),
        _ => None,
    }
}
