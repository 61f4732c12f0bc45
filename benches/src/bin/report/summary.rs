//! Turning runs into results: medians with min and max per load and peer,
//! ratios to tokio, the JSON document, a markdown table and the charts.

use std::fmt::Write;

use ringio_benches::svg::{self, Bar, Chart, Panel, Row};
use serde_json::{json, Value};

use crate::plan::{Load, Mode, Peer};

/// One run of one peer on one load.
#[derive(Debug)]
pub struct Sample {
    /// The load.
    pub load: Load,
    /// The peer.
    pub peer: Peer,
    /// Which round (interleaved across peers).
    pub round: usize,
    /// What the run printed, or why it failed.
    pub result: Result<Value, String>,
}

/// Median, min and max of one metric over a peer's rounds.
#[derive(Debug, Clone, Copy)]
pub struct Stat {
    /// The median (the mean of the middle two for an even count).
    pub median: f64,
    /// The smallest.
    pub min: f64,
    /// The largest.
    pub max: f64,
}

impl Stat {
    fn of(mut v: Vec<f64>) -> Option<Stat> {
        v.retain(|x| x.is_finite());
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        };
        Some(Stat {
            median,
            min: v[0],
            max: v[n - 1],
        })
    }

    fn bar(self) -> Bar {
        Bar {
            value: self.median,
            min: self.min,
            max: self.max,
        }
    }

    fn json(self) -> Value {
        json!({"median": self.median, "min": self.min, "max": self.max})
    }
}

/// The metrics kept for network loads and for micro benchmarks.
pub const NET_METRICS: &[&str] = &[
    "rps",
    "server_cpu_us_per_rt",
    "p50_us",
    "p99_us",
    "p999_us",
    "server_cpu_util",
    "client_cpu_util",
];
const MICRO_METRICS: &[&str] = &["ops_per_sec"];

/// One peer's results on one load.
#[derive(Debug)]
pub struct Line {
    /// The peer.
    pub peer: Peer,
    /// Rounds that succeeded, and the first error of those that did not.
    pub ok: usize,
    /// Rounds run.
    pub rounds: usize,
    /// The first failure, if any.
    pub error: Option<String>,
    /// Errors counted by the load generator over all rounds.
    pub conn_errors: u64,
    /// Metric name to its statistics.
    pub stats: Vec<(&'static str, Stat)>,
    /// The rate over tokio's, round by round (each round's two runs were
    /// next to each other in time): median, min and max of those ratios.
    /// On a machine whose speed drifts between rounds this is the figure
    /// to read; the ratio of the two medians can pair a fast round of one
    /// peer with a slow round of the other.
    pub paired_rate: Option<Stat>,
    /// Tokio's server CPU per round trip over this peer's, round by round.
    pub paired_cpu: Option<Stat>,
}

impl Line {
    /// The statistics of `metric`, when measured.
    pub fn get(&self, metric: &str) -> Option<Stat> {
        self.stats
            .iter()
            .find(|(m, _)| *m == metric)
            .map(|(_, s)| *s)
    }
}

/// Groups `samples` by load (in `loads` order) and peer (in plan order).
pub fn summarize(loads: &[Load], samples: &[Sample]) -> Vec<(Load, Vec<Line>)> {
    loads
        .iter()
        .map(|load| {
            let metrics = match load {
                Load::Net { .. } => NET_METRICS,
                Load::Micro(_) => MICRO_METRICS,
            };
            let of = |peer: &Peer, round: usize, metric: &str| {
                samples
                    .iter()
                    .find(|s| &s.load == load && s.peer == *peer && s.round == round)
                    .and_then(|s| s.result.as_ref().ok())
                    .and_then(|v| v[metric].as_f64())
            };
            let tokio_peer = load
                .peers()
                .iter()
                .find(|p| p.name.starts_with("tokio"))
                .copied();
            let paired = |peer: &Peer, metric: &str, inverse: bool| {
                let tokio = tokio_peer.filter(|t| t != peer)?;
                let rounds = samples
                    .iter()
                    .filter(|s| &s.load == load && s.peer == *peer)
                    .map(|s| s.round);
                Stat::of(
                    rounds
                        .filter_map(|r| {
                            let (a, b) = (of(peer, r, metric)?, of(&tokio, r, metric)?);
                            Some(if inverse { b / a } else { a / b })
                        })
                        .collect(),
                )
            };
            let rate_metric = headline(load);
            let lines = load
                .peers()
                .iter()
                .filter_map(|peer| {
                    let mine: Vec<&Sample> = samples
                        .iter()
                        .filter(|s| &s.load == load && s.peer == *peer)
                        .collect();
                    if mine.is_empty() {
                        return None;
                    }
                    let oks: Vec<&Value> =
                        mine.iter().filter_map(|s| s.result.as_ref().ok()).collect();
                    let stats = metrics
                        .iter()
                        .filter_map(|m| {
                            Stat::of(oks.iter().filter_map(|v| v[*m].as_f64()).collect())
                                .map(|s| (*m, s))
                        })
                        .collect();
                    Some(Line {
                        peer: *peer,
                        ok: oks.len(),
                        rounds: mine.len(),
                        error: mine.iter().find_map(|s| s.result.as_ref().err().cloned()),
                        conn_errors: oks.iter().filter_map(|v| v["errors"].as_u64()).sum(),
                        stats,
                        paired_rate: paired(peer, rate_metric, false),
                        paired_cpu: paired(peer, "server_cpu_us_per_rt", true),
                    })
                })
                .collect();
            (load.clone(), lines)
        })
        .collect()
}

/// The reference line of a load: the first tokio peer.
fn tokio_line(lines: &[Line]) -> Option<&Line> {
    lines.iter().find(|l| l.peer.name.starts_with("tokio"))
}

/// `peer / tokio` of the medians of `metric` (`inverse`: `tokio / peer`,
/// for costs, so that above 1 always means better than tokio).
fn ratio(line: &Line, tokio: Option<&Line>, metric: &str, inverse: bool) -> Option<f64> {
    let a = line.get(metric)?.median;
    let b = tokio?.get(metric)?.median;
    let r = if inverse { b / a } else { a / b };
    r.is_finite().then_some(r)
}

fn headline(load: &Load) -> &'static str {
    match load {
        Load::Net { .. } => "rps",
        Load::Micro(_) => "ops_per_sec",
    }
}

/// The summary part of the JSON document.
pub fn json_summary(summary: &[(Load, Vec<Line>)]) -> Value {
    let mut out = Vec::new();
    for (load, lines) in summary {
        let tokio = tokio_line(lines);
        for l in lines {
            let mut stats = serde_json::Map::new();
            for (m, s) in &l.stats {
                stats.insert((*m).to_owned(), s.json());
            }
            out.push(json!({
                "load": load.to_string(),
                "title": load.title(),
                "peer": l.peer.name,
                "rounds": l.rounds,
                "rounds_ok": l.ok,
                "error": l.error,
                "connection_errors": l.conn_errors,
                "stats": stats,
                "vs_tokio": ratio(l, tokio, headline(load), false),
                "cpu_vs_tokio": ratio(l, tokio, "server_cpu_us_per_rt", true),
                "vs_tokio_paired": l.paired_rate.map(Stat::json),
                "cpu_vs_tokio_paired": l.paired_cpu.map(Stat::json),
            }));
        }
    }
    Value::Array(out)
}

fn range(s: Option<Stat>, scale: f64) -> String {
    match s {
        Some(s) => format!(
            "{} ({}-{})",
            svg::human(s.median * scale),
            svg::human(s.min * scale),
            svg::human(s.max * scale)
        ),
        None => "-".into(),
    }
}

/// A round-by-round ratio as `0.97x (0.90-0.99)`, or `-`.
fn paired_x(s: Option<Stat>) -> String {
    match s {
        Some(s) => format!("{:.2}x ({:.2}-{:.2})", s.median, s.min, s.max),
        None => "-".into(),
    }
}

fn x(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.2}x")).unwrap_or_else(|| "-".into())
}

/// The load generator's share of its CPU, flagged when it, not the
/// server, may be what limits the rate.
fn client(l: &Line) -> String {
    match l.get("client_cpu_util") {
        Some(s) if s.median >= 0.9 => format!("{:.0}% (client-bound?)", s.median * 100.0),
        Some(s) => format!("{:.0}%", s.median * 100.0),
        None => "-".into(),
    }
}

/// One table per kind of load, a column per peer: tokio's median as a
/// figure, the others as ratios to it (`metric`'s medians; `inverse` for
/// costs, so that above 1 always means better than tokio). `mode`: the
/// network loads of that mode, or micro (`None`) loads.
pub fn compact(
    summary: &[(Load, Vec<Line>)],
    mode: Option<Mode>,
    metric: &str,
    inverse: bool,
    unit: &str,
) -> String {
    let rows: Vec<_> = summary
        .iter()
        .filter(|(l, _)| match (l, mode) {
            (Load::Net { mode: a, .. }, Some(b)) => *a == b,
            (Load::Micro(_), None) => true,
            _ => false,
        })
        .collect();
    let Some((first, _)) = rows.first() else {
        return String::new();
    };
    let peers: Vec<&Peer> = first
        .peers()
        .iter()
        .filter(|p| rows.iter().any(|(_, ls)| ls.iter().any(|l| l.peer == **p)))
        .collect();
    let mut s = String::new();
    let _ = write!(s, "| |");
    for p in &peers {
        let _ = write!(s, " {} |", p.name);
    }
    let _ = write!(s, "\n|---|");
    for _ in &peers {
        let _ = write!(s, "---|");
    }
    s.push('\n');
    for (load, lines) in rows {
        let tokio = tokio_line(lines);
        let _ = write!(s, "| {} |", load.title());
        for p in &peers {
            let cell = match lines.iter().find(|l| l.peer == **p) {
                None => "-".to_owned(),
                Some(l) if l.ok == 0 => "failed".to_owned(),
                Some(l) if Some(l.peer) == tokio.map(|t| t.peer) => l
                    .get(metric)
                    .map(|s| format!("{} {unit}", svg::human(s.median)))
                    .unwrap_or_else(|| "-".into()),
                Some(l) => x(ratio(l, tokio, metric, inverse)),
            };
            let _ = write!(s, " {cell} |");
        }
        s.push('\n');
    }
    s
}

/// The results as markdown tables: medians (min-max) and ratios to tokio.
pub fn markdown(summary: &[(Load, Vec<Line>)]) -> String {
    let mut s = String::new();
    let net = summary
        .iter()
        .filter(|(l, _)| matches!(l, Load::Net { .. }));
    let _ = writeln!(s, "| load | peer | round trips/s, median (min-max) | vs tokio | server CPU per round trip | CPU vs tokio | vs tokio round by round: rate / CPU, median (min-max) | latency p50 / p99 / p99.9 | client CPU |");
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|");
    for (load, lines) in net {
        let tokio = tokio_line(lines);
        for l in lines {
            if l.ok == 0 {
                let _ = writeln!(
                    s,
                    "| {} | {} | failed: {} | | | | | | |",
                    load.title(),
                    l.peer.name,
                    l.error.as_deref().unwrap_or("?")
                );
                continue;
            }
            let lat = |m| {
                l.get(m)
                    .map(|s| svg::human(s.median))
                    .unwrap_or_else(|| "-".into())
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} us | {} | {} / {} | {} / {} / {} us | {} |",
                load.title(),
                l.peer.name,
                range(l.get("rps"), 1.0),
                x(ratio(l, tokio, "rps", false)),
                l.get("server_cpu_us_per_rt")
                    .map(|s| format!("{:.2}", s.median))
                    .unwrap_or_else(|| "-".into()),
                x(ratio(l, tokio, "server_cpu_us_per_rt", true)),
                paired_x(l.paired_rate),
                paired_x(l.paired_cpu),
                lat("p50_us"),
                lat("p99_us"),
                lat("p999_us"),
                client(l),
            );
        }
    }
    let micro: Vec<_> = summary
        .iter()
        .filter(|(l, _)| matches!(l, Load::Micro(_)))
        .collect();
    if !micro.is_empty() {
        let _ = writeln!(
            s,
            "\n| benchmark | peer | operations/s, median (min-max) | vs tokio |"
        );
        let _ = writeln!(s, "|---|---|---|---|");
        for (load, lines) in micro {
            let tokio = tokio_line(lines);
            for l in lines {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} |",
                    load.title(),
                    l.peer.name,
                    if l.ok == 0 {
                        format!("failed: {}", l.error.as_deref().unwrap_or("?"))
                    } else {
                        range(l.get("ops_per_sec"), 1.0)
                    },
                    x(ratio(l, tokio, "ops_per_sec", false)),
                );
            }
        }
    }
    s
}

fn panels(summary: &[(Load, Vec<Line>)], micro: bool, metrics: &[&str]) -> Vec<Panel> {
    summary
        .iter()
        .filter(|(l, _)| matches!(l, Load::Micro(_)) == micro)
        .map(|(load, lines)| Panel {
            title: load.title(),
            rows: lines
                .iter()
                .map(|l| Row {
                    label: l.peer.name.to_owned(),
                    bars: metrics.iter().map(|m| l.get(m).map(Stat::bar)).collect(),
                    accent: l.peer.ringio,
                })
                .collect(),
        })
        .filter(|p| !p.rows.is_empty())
        .collect()
}

/// The charts: (file name, SVG text). `run` describes the run (machine,
/// date, rounds) for the subtitles.
pub fn charts(summary: &[(Load, Vec<Line>)], run: &str) -> Vec<(&'static str, String)> {
    let chart = |title: &str, sub: &str, series: &[&str], log, micro, metrics: &[&str]| Chart {
        title: title.to_owned(),
        subtitle: sub.to_owned(),
        run: format!("Run: {run}."),
        series: series.iter().map(|s| (*s).to_owned()).collect(),
        log,
        columns: 3,
        panels: panels(summary, micro, metrics),
    };
    let mut out = Vec::new();
    let list = [
        ("bench-throughput.svg", chart("Echo round trips per second", "Higher is better; bar: median, whisker: min-max of the rounds", &["round trips/s"], false, false, &["rps"])),
        ("bench-cpu.svg", chart("Server CPU time per round trip (us)", "Lower is better; user + system time of the server process from /proc, independent of the client", &["CPU us per round trip"], false, false, &["server_cpu_us_per_rt"])),
        ("bench-latency.svg", chart("Round-trip latency (us, log scale)", "Lower is better; medians over the rounds of each percentile", &["p50", "p99", "p99.9"], true, false, &["p50_us", "p99_us", "p999_us"])),
        ("bench-micro.svg", chart("Runtime core and file reads: operations per second", "Higher is better; one runtime per process, pinned; bar: median, whisker: min-max", &["operations/s"], false, true, &["ops_per_sec"])),
    ];
    for (name, c) in list {
        if !c.panels.is_empty() {
            out.push((name, svg::render(&c)));
        }
    }
    out
}
