//! Running one measurement: a server process and the load generator, or
//! one micro benchmark process, each pinned to its CPU.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::plan::{Kind, Load, Mode, Peer};

/// Where the programs are and how to run them.
#[derive(Debug)]
pub struct Exec {
    /// The directory of `loadgen`, `peer-server` and `micro`.
    pub bin_dir: PathBuf,
    /// `benches/py`.
    pub py_dir: PathBuf,
    /// CPU of the server (or micro benchmark).
    pub server_cpu: usize,
    /// CPU of the load generator.
    pub client_cpu: usize,
    /// Seconds measured per run.
    pub duration: f64,
    /// Seconds of warm-up before the measurement.
    pub warmup: f64,
    /// Runs of each micro benchmark inside one process (median taken).
    pub repeat: usize,
    /// The file of `micro:file`.
    pub file: Option<PathBuf>,
}

/// Kills the server when dropped, whatever happened.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Exec {
    fn python(&self, script: &str, lp: &str) -> Command {
        let mut c = Command::new("python3");
        c.arg(self.py_dir.join(script)).args(["--loop", lp]);
        c
    }

    fn start_server(&self, peer: &Peer, mode: Mode) -> Result<(Server, u16), String> {
        let mode = mode.as_str();
        let mut cmd = match peer.kind {
            Kind::Rust => {
                let mut c = Command::new(self.bin_dir.join("peer-server"));
                c.args(["--peer", peer.arg]);
                c
            }
            Kind::Python(lp) => self.python("echo_server.py", lp),
        };
        cmd.args(["--mode", mode, "--cpu", &self.server_cpu.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("starting the {} server: {e}", peer.name))?;
        let out = child.stdout.take();
        let server = Server(child);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            if let Some(out) = out {
                let _ = BufReader::new(out).read_line(&mut line);
            }
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .map_err(|_| format!("the {} server did not report its port in 20 s", peer.name))?;
        let port = line.trim().parse().map_err(|_| {
            format!(
                "the {} server exited without a port (output {line:?})",
                peer.name
            )
        })?;
        Ok((server, port))
    }

    /// One network measurement: start the server, drive it, stop it.
    pub fn net(&self, peer: &Peer, mode: Mode, conns: usize, size: usize) -> Result<Value, String> {
        let (server, port) = self.start_server(peer, mode)?;
        let out = Command::new(self.bin_dir.join("loadgen"))
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .args(["--conns", &conns.to_string(), "--size", &size.to_string()])
            .args(["--duration", &self.duration.to_string()])
            .args(["--warmup", &self.warmup.to_string()])
            .args(["--cpu", &self.client_cpu.to_string()])
            .args(["--server-pid", &server.0.id().to_string()])
            .args(["--mode", mode.as_str()])
            .output()
            .map_err(|e| format!("running loadgen: {e}"))?;
        drop(server);
        // Let the kernel finish closing the last run's sockets.
        std::thread::sleep(Duration::from_millis(100));
        parse_output("loadgen", &out)
    }

    /// One micro benchmark run (itself the median of `repeat` runs).
    pub fn micro(&self, peer: &Peer, bench: &str) -> Result<Value, String> {
        let mut cmd = match peer.kind {
            Kind::Rust => {
                let mut c = Command::new(self.bin_dir.join("micro"));
                c.args(["--peer", peer.arg]);
                if let Some(f) = &self.file {
                    c.arg("--file").arg(f);
                }
                c
            }
            Kind::Python(lp) => self.python("micro.py", lp),
        };
        let out = cmd
            .args(["--bench", bench, "--cpu", &self.server_cpu.to_string()])
            .args(["--repeat", &self.repeat.to_string()])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("running the {} benchmark: {e}", peer.name))?;
        parse_output(peer.name, &out)
    }

    /// Runs `peer` on `load` once.
    pub fn run(&self, load: &Load, peer: &Peer) -> Result<Value, String> {
        match load {
            Load::Net { mode, conns, size } => self.net(peer, *mode, *conns, *size),
            Load::Micro(b) => self.micro(peer, b),
        }
    }
}

fn parse_output(what: &str, out: &std::process::Output) -> Result<Value, String> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("{what} failed ({}): {}", out.status, err.trim()));
    }
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).map_err(|e| format!("{what} printed {last:?}: {e}"))
}

/// Writes the file of `micro:file`: `mib` MiB of a repeating pattern.
pub fn make_file(path: &Path, mib: usize) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    let chunk: Vec<u8> = (0..(1u32 << 20)).map(|i| (i % 251) as u8).collect();
    for _ in 0..mib {
        f.write_all(&chunk)?;
    }
    f.sync_all()
}
