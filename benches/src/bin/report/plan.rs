//! What the report runs: the peers, the loads, and which peer takes part
//! in which load.

use std::fmt;

/// How a peer's server or benchmark is started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The `peer-server` / `micro` programs of this package.
    Rust,
    /// `benches/py/*.py` with this event loop (`asyncio` or `uvloop`).
    Python(&'static str),
}

/// One runtime (or way of using one) under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    /// The name in results, charts and `--peers`.
    pub name: &'static str,
    /// How it is started.
    pub kind: Kind,
    /// The `--peer` passed to `peer-server` / `micro`.
    pub arg: &'static str,
    /// One of ringio's own (drawn in the accent colour).
    pub ringio: bool,
    /// Needs the `peers` cargo feature.
    pub feature: bool,
}

const fn rust(name: &'static str, arg: &'static str, ringio: bool, feature: bool) -> Peer {
    Peer {
        name,
        kind: Kind::Rust,
        arg,
        ringio,
        feature,
    }
}

const fn python(name: &'static str, arg: &'static str, lp: &'static str) -> Peer {
    Peer {
        name,
        kind: Kind::Python(lp),
        arg,
        ringio: false,
        feature: false,
    }
}

/// Echo servers: bytes written back as they arrive.
pub const ECHO_PEERS: &[Peer] = &[
    rust("ringio read", "ringio-read", true, false),
    rust("ringio read_buf", "ringio-read_buf", true, false),
    rust("ringio epoll", "ringio-epoll", true, false),
    rust("tokio", "tokio", false, false),
    rust("monoio", "monoio", false, true),
    rust("compio", "compio", false, true),
    rust("raw io_uring", "raw-uring", false, false),
    rust("raw io_uring fixed", "raw-uring-fixed", false, false),
    python("asyncio", "echo", "asyncio"),
    python("uvloop", "echo", "uvloop"),
];

/// Line-echo servers: each runtime's buffered line reading.
pub const LINE_PEERS: &[Peer] = &[
    rust("ringio streams", "ringio", true, false),
    rust("ringio streams epoll", "ringio-epoll", true, false),
    rust("tokio BufReader", "tokio", false, false),
    python("asyncio streams", "line", "asyncio"),
    python("uvloop streams", "line", "uvloop"),
];

/// The in-process benchmarks.
pub const MICRO_PEERS: &[Peer] = &[
    rust("ringio", "ringio", true, false),
    rust("tokio", "tokio", false, false),
    rust("monoio", "monoio", false, true),
    rust("compio", "compio", false, true),
    python("asyncio", "", "asyncio"),
    python("uvloop", "", "uvloop"),
];

/// hyper's HTTP/1 hello server, keep-alive: the same hyper on each runtime.
pub const HTTP_PEERS: &[Peer] = &[
    rust("ringio hyper", "ringio", true, false),
    rust("ringio hyper epoll", "ringio-epoll", true, false),
    rust("tokio hyper", "tokio", false, false),
];

/// What a network load's servers do with what the load generator sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Bytes written back as they arrive.
    Echo,
    /// Each line written back, through the runtime's buffered streams.
    Line,
    /// `GET /` answered by hyper's hello server (keep-alive).
    Http,
}

impl Mode {
    /// The `--mode` of `peer-server` and `loadgen`, and the load's prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Echo => "echo",
            Mode::Line => "line",
            Mode::Http => "http",
        }
    }
}

/// One thing measured: a network load or an in-process benchmark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    /// `echo:CONNSxSIZE`: ping-pong of SIZE-byte messages on CONNS
    /// connections; `line` servers echo lines instead of bytes; `http:CONNS`
    /// sends HTTP/1 GETs to hyper servers.
    Net {
        /// What the servers do.
        mode: Mode,
        /// Connections.
        conns: usize,
        /// Message size in bytes.
        size: usize,
    },
    /// `micro:NAME`: spawn, sleep, yield or file.
    Micro(String),
}

impl Load {
    /// Reads `echo:64x128`, `line:1000x4096`, `http:64`, `micro:spawn`.
    pub fn parse(s: &str) -> Result<Load, String> {
        let bad = || {
            format!("load {s:?}: expected echo:CONNSxSIZE, line:CONNSxSIZE, http:CONNS or micro:spawn|sleep|yield|file")
        };
        let (kind, rest) = s.split_once(':').ok_or_else(bad)?;
        match kind {
            "echo" | "line" => {
                let (c, z) = rest.split_once('x').ok_or_else(bad)?;
                Ok(Load::Net {
                    mode: if kind == "line" {
                        Mode::Line
                    } else {
                        Mode::Echo
                    },
                    conns: c.parse().map_err(|_| bad())?,
                    size: z.parse().map_err(|_| bad())?,
                })
            }
            "http" => Ok(Load::Net {
                mode: Mode::Http,
                conns: rest.parse().map_err(|_| bad())?,
                size: 0,
            }),
            "micro" if ["spawn", "sleep", "yield", "file"].contains(&rest) => {
                Ok(Load::Micro(rest.to_owned()))
            }
            _ => Err(bad()),
        }
    }

    /// The peers that take part in this load.
    pub fn peers(&self) -> &'static [Peer] {
        match self {
            Load::Net {
                mode: Mode::Echo, ..
            } => ECHO_PEERS,
            Load::Net {
                mode: Mode::Line, ..
            } => LINE_PEERS,
            Load::Net {
                mode: Mode::Http, ..
            } => HTTP_PEERS,
            Load::Micro(_) => MICRO_PEERS,
        }
    }

    /// Whether `peer` can run this load (Python has no async file I/O).
    pub fn runs(&self, peer: &Peer) -> bool {
        !matches!((self, peer.kind), (Load::Micro(b), Kind::Python(_)) if b == "file")
    }

    /// The chart title of this load.
    pub fn title(&self) -> String {
        match self {
            Load::Net {
                mode: Mode::Http,
                conns,
                ..
            } => format!(
                "hyper hello {conns} conn{}",
                if *conns == 1 { "" } else { "s" }
            ),
            Load::Net { mode, conns, size } => format!(
                "{} {} conn{} x {}",
                if *mode == Mode::Line {
                    "line echo"
                } else {
                    "echo"
                },
                conns,
                if *conns == 1 { "" } else { "s" },
                bytes(*size)
            ),
            Load::Micro(b) => match b.as_str() {
                "spawn" => "spawn + join 100k tasks".into(),
                "sleep" => "100k sleeps of 1-5 ms".into(),
                "yield" => "yield ping-pong 2 x 100k".into(),
                _ => "4 KiB random file reads, 64 in flight".into(),
            },
        }
    }
}

impl fmt::Display for Load {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Load::Net {
                mode: Mode::Http,
                conns,
                ..
            } => write!(f, "http:{conns}"),
            Load::Net { mode, conns, size } => write!(f, "{}:{conns}x{size}", mode.as_str()),
            Load::Micro(b) => write!(f, "micro:{b}"),
        }
    }
}

fn bytes(n: usize) -> String {
    if n >= 1024 && n % 1024 == 0 {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} B")
    }
}

/// The full suite's loads.
pub const FULL: &[&str] = &[
    "echo:1x128",
    "echo:64x128",
    "echo:1000x128",
    "echo:1x4096",
    "echo:64x4096",
    "echo:1000x4096",
    "echo:1x65536",
    "echo:64x65536",
    "echo:1000x65536",
    "line:64x128",
    "line:1000x128",
    "line:64x4096",
    "http:64",
    "http:256",
    "micro:spawn",
    "micro:sleep",
    "micro:yield",
    "micro:file",
];

/// `--quick`: one load of each benchmark.
pub const QUICK: &[&str] = &[
    "echo:64x128",
    "line:64x128",
    "http:64",
    "micro:spawn",
    "micro:sleep",
    "micro:yield",
    "micro:file",
];
