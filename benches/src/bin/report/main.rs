//! The benchmark suite in one command:
//!
//! ```text
//! cargo run -p ringio-benches --release --features peers --bin report
//! ```
//!
//! For each load, for each round, for each peer in turn (interleaved, the
//! order rotated every round): the peer's server starts as its own process
//! pinned to `--server-cpu`; the load generator (`loadgen`, the same
//! client for every server) runs pinned to `--client-cpu` and measures
//! round trips per second, latency percentiles and the server process's
//! CPU time per round trip; the server is killed. The micro benchmarks
//! (spawn, sleep, yield, file reads) run the same way, one runtime per
//! process. Then it writes:
//!
//! - `benches/results/<date>.json`: the machine, the configuration, every
//!   run and the summary (median, min and max per load and peer, ratios
//!   to tokio);
//! - `benches/results/<date>.md`: the summary as markdown tables;
//! - `docs/bench-throughput.svg`, `docs/bench-cpu.svg`,
//!   `docs/bench-latency.svg`, `docs/bench-micro.svg`: the charts.
//!
//! Flags: `--quick` (one round of 1 s, one load of each benchmark, the
//! CI smoke; writes under `target/bench-smoke/` unless `--out` is given),
//! `--rounds N` (5), `--duration S` (3), `--warmup S` (0.5),
//! `--peers a,b` (names as in the charts, or their `peer-server` names),
//! `--loads echo:64x128,line:64x128,micro:spawn,...`, `--out DIR`,
//! `--docs DIR`, `--server-cpu 0`, `--client-cpu 1`, `--no-python`.
//!
//! Python's peers need `python3`; uvloop is installed with pip when it is
//! missing, and left out (said so) when that fails. monoio and compio are
//! peers only when built with `--features peers`.

mod exec;
mod plan;
mod summary;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use ringio_benches::args::Args;
use serde_json::json;

use exec::Exec;
use plan::{Kind, Load, Mode, Peer};
use summary::Sample;

fn main() {
    if let Err(e) = run() {
        eprintln!("report: {e}");
        std::process::exit(1);
    }
}

fn sh(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Which Python event loops can run here (installing uvloop if missing).
fn python_loops(enabled: bool) -> Vec<&'static str> {
    if !enabled {
        println!("python: left out (--no-python)");
        return Vec::new();
    }
    let Some(version) = sh("python3", &["--version"]) else {
        println!("python: python3 not found; asyncio and uvloop left out");
        return Vec::new();
    };
    let mut loops = vec!["asyncio"];
    let has_uvloop = || sh("python3", &["-c", "import uvloop"]).is_some();
    if !has_uvloop() {
        println!("python: uvloop is missing; installing it with `python3 -m pip install uvloop`");
        let ok = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "uvloop"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok || !has_uvloop() {
            println!("python: uvloop could not be installed; uvloop left out");
        }
    }
    if has_uvloop() {
        loops.push("uvloop");
    }
    println!("python: {version}, loops: {}", loops.join(", "));
    loops
}

/// Builds the sibling programs with the same profile and features (cheap
/// when up to date), when run through cargo.
fn build_programs() -> Result<(), String> {
    let Ok(cargo) = std::env::var("CARGO") else {
        return Ok(());
    };
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "-p", "ringio-benches", "--bins"]);
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    if cfg!(feature = "peers") {
        cmd.args(["--features", "peers"]);
    }
    let ok = cmd.status().map(|s| s.success()).unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err("building loadgen, peer-server and micro failed".into())
    }
}

fn machine() -> serde_json::Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_default();
    json!({
        "cpu": model,
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "kernel": std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim(),
        "loadavg_start": std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim(),
        "rustc": sh("rustc", &["--version"]),
        "python": sh("python3", &["--version"]),
    })
}

fn selected(peers: &Option<Vec<String>>, p: &Peer) -> bool {
    peers.as_ref().is_none_or(|list| {
        list.iter()
            .any(|n| n == p.name || (p.kind == Kind::Rust && n == p.arg))
    })
}

fn run() -> Result<(), String> {
    let args = Args::from_env()?;
    let quick = args.flag("quick");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rounds: usize = args.get("rounds", if quick { 1 } else { 5 })?.max(1);
    let duration: f64 = args.get("duration", if quick { 1.0 } else { 3.0 })?;
    let warmup: f64 = args.get("warmup", if quick { 0.2 } else { 0.5 })?;
    let loads: Vec<Load> = match args.text("loads") {
        Some(list) => list.split(',').map(Load::parse).collect::<Result<_, _>>()?,
        None => (if quick { plan::QUICK } else { plan::FULL })
            .iter()
            .map(|s| Load::parse(s))
            .collect::<Result<_, _>>()?,
    };
    let peers: Option<Vec<String>> = args
        .text("peers")
        .map(|l| l.split(',').map(str::to_owned).collect());
    let default_out = if quick {
        manifest.join("../target/bench-smoke")
    } else {
        manifest.join("results")
    };
    let out_dir: PathBuf = args.text("out").map(PathBuf::from).unwrap_or(default_out);
    let docs_dir: PathBuf = args.text("docs").map(PathBuf::from).unwrap_or_else(|| {
        if quick || args.text("out").is_some() {
            out_dir.clone()
        } else {
            manifest.join("../docs")
        }
    });

    build_programs()?;
    let bin_dir = std::env::current_exe()
        .map_err(|e| format!("finding this program: {e}"))?
        .parent()
        .map(Path::to_path_buf)
        .ok_or("this program has no directory")?;
    let py_loops = python_loops(!args.flag("no-python"));
    if !cfg!(feature = "peers") {
        println!("monoio, compio: left out (build with --features peers)");
    }
    let available = |p: &Peer| {
        selected(&peers, p)
            && (!p.feature || cfg!(feature = "peers"))
            && match p.kind {
                Kind::Rust => true,
                Kind::Python(lp) => py_loops.contains(&lp),
            }
    };

    let file = if loads
        .iter()
        .any(|l| matches!(l, Load::Micro(b) if b == "file"))
    {
        let path = std::env::temp_dir().join(format!("ringio-bench-{}", std::process::id()));
        let mib = if quick { 32 } else { 256 };
        exec::make_file(&path, mib).map_err(|e| format!("writing {}: {e}", path.display()))?;
        Some(path)
    } else {
        None
    };
    let exec = Exec {
        bin_dir,
        py_dir: manifest.join("py"),
        server_cpu: args.get("server-cpu", 0usize)?,
        client_cpu: args.get("client-cpu", 1usize)?,
        duration,
        warmup,
        repeat: if quick { 1 } else { 3 },
        file: file.clone(),
    };

    let started = Instant::now();
    let mut samples: Vec<Sample> = Vec::new();
    let mach = machine();
    println!(
        "ringio benchmark suite: {} loads, {rounds} round(s), {duration} s per network run; server on CPU {}, load generator on CPU {}",
        loads.len(),
        exec.server_cpu,
        exec.client_cpu
    );
    for load in &loads {
        let peers: Vec<Peer> = load
            .peers()
            .iter()
            .filter(|p| available(p) && load.runs(p))
            .copied()
            .collect();
        for round in 0..rounds {
            for k in 0..peers.len() {
                // Rotate the order every round, so that no peer always
                // runs right after the same other one.
                let peer = peers[(k + round) % peers.len()];
                let result = exec.run(load, &peer);
                match &result {
                    Ok(v) => println!("{load:<18} round {round} {:<16} {}", peer.name, brief(v)),
                    Err(e) => println!("{load:<18} round {round} {:<16} FAILED: {e}", peer.name),
                }
                samples.push(Sample {
                    load: load.clone(),
                    peer,
                    round,
                    result,
                });
            }
        }
    }
    if let Some(f) = &file {
        let _ = std::fs::remove_file(f);
    }

    let summary = summary::summarize(&loads, &samples);
    let date = sh("date", &["-u", "+%Y-%m-%dT%H-%M-%SZ"]).unwrap_or_else(|| "undated".into());
    let stamp = if quick {
        format!("quick-{date}")
    } else {
        date.clone()
    };
    let mut mach = mach;
    mach["loadavg_end"] = std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .trim()
        .into();
    let describe = format!(
        "{}, {} CPUs, Linux {}; {date}; median of {rounds} round(s) of {duration} s",
        mach["cpu"].as_str().unwrap_or("?"),
        mach["cpus"],
        mach["kernel"].as_str().unwrap_or("?"),
    );
    let doc = json!({
        "date": date,
        "machine": mach,
        "config": {
            "quick": quick,
            "rounds": rounds,
            "duration_s": duration,
            "warmup_s": warmup,
            "server_cpu": exec.server_cpu,
            "client_cpu": exec.client_cpu,
            "micro_repeat": exec.repeat,
            "peers_feature": cfg!(feature = "peers"),
            "loads": loads.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "wall_s": started.elapsed().as_secs_f64(),
        },
        "runs": samples.iter().map(|s| json!({
            "load": s.load.to_string(),
            "peer": s.peer.name,
            "round": s.round,
            "result": match &s.result { Ok(v) => v.clone(), Err(e) => json!({"error": e}) },
        })).collect::<Vec<_>>(),
        "summary": summary::json_summary(&summary),
    });
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    std::fs::create_dir_all(&docs_dir).map_err(|e| format!("{}: {e}", docs_dir.display()))?;
    let json_path = out_dir.join(format!("{stamp}.json"));
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    std::fs::write(&json_path, text + "\n").map_err(|e| format!("{}: {e}", json_path.display()))?;
    let compact =
        |mode, metric, inverse, unit| summary::compact(&summary, mode, metric, inverse, unit);
    let md = format!(
        "Run: {describe}.\n\n\
         Echo, round trips per second (tokio's figure; the others as a ratio to it, above 1 is faster):\n\n{}\n\
         Echo, server CPU time per round trip (tokio's figure; the others as tokio / peer, above 1 is cheaper):\n\n{}\n\
         Line echo, round trips per second:\n\n{}\n\
         Line echo, server CPU time per round trip:\n\n{}\n\
         hyper hello (HTTP/1 keep-alive), requests per second:\n\n{}\n\
         hyper hello, server CPU time per request:\n\n{}\n\
         Runtime core and file reads, operations per second:\n\n{}\n\
         All figures, medians (min-max) of the rounds:\n\n{}",
        compact(Some(Mode::Echo), "rps", false, "rt/s"),
        compact(Some(Mode::Echo), "server_cpu_us_per_rt", true, "us"),
        compact(Some(Mode::Line), "rps", false, "rt/s"),
        compact(Some(Mode::Line), "server_cpu_us_per_rt", true, "us"),
        compact(Some(Mode::Http), "rps", false, "req/s"),
        compact(Some(Mode::Http), "server_cpu_us_per_rt", true, "us"),
        compact(None, "ops_per_sec", false, "ops/s"),
        summary::markdown(&summary)
    );
    let md_path = out_dir.join(format!("{stamp}.md"));
    std::fs::write(&md_path, &md).map_err(|e| format!("{}: {e}", md_path.display()))?;
    let mut written = vec![json_path, md_path];
    for (name, svg) in summary::charts(&summary, &describe) {
        let p = docs_dir.join(name);
        std::fs::write(&p, svg).map_err(|e| format!("{}: {e}", p.display()))?;
        written.push(p);
    }
    println!("\n{md}");
    for p in written {
        println!("wrote {}", p.display());
    }
    let failed = samples.iter().filter(|s| s.result.is_err()).count();
    println!(
        "report: {} runs ok, {failed} failed, in {:.0} s",
        samples.len() - failed,
        started.elapsed().as_secs_f64()
    );
    if failed > 0 {
        return Err(format!("{failed} of {} runs failed", samples.len()));
    }
    Ok(())
}

/// One line per run for the console.
fn brief(v: &serde_json::Value) -> String {
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    if v.get("rps").is_some() {
        format!(
            "{:>9.0} rt/s  cpu {:>5.2} us/rt  p50 {:>7.1} p99 {:>8.1} us  client cpu {:>3.0}%  errors {}",
            f("rps"),
            f("server_cpu_us_per_rt"),
            f("p50_us"),
            f("p99_us"),
            f("client_cpu_util") * 100.0,
            v["errors"]
        )
    } else {
        format!("{:>12.0} ops/s", f("ops_per_sec"))
    }
}
