//! The reliability suite's runner: `reliability all --quick` runs every
//! scenario, each in a process of its own with a time budget;
//! `reliability NAME [--quick|--full]` runs one in this process;
//! `reliability list` names them.

use std::io::Write;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use ringio_reliability::scenario::{self, Scenario};
use ringio_reliability::{Figure, Scale};

fn usage() -> ExitCode {
    eprintln!(
        "usage: reliability all|NAME [--quick|--full]\n       reliability list\n\
         scenarios: {}",
        scenario::ALL
            .iter()
            .map(|s| s.name)
            .collect::<Vec<_>>()
            .join(", ")
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scale = if args.iter().any(|a| a == "--full") {
        Scale::Full
    } else {
        Scale::Quick
    };
    let names: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match names.as_slice() {
        ["list"] => {
            for s in scenario::ALL {
                println!("{:<28} {}", s.name, s.about);
            }
            ExitCode::SUCCESS
        }
        ["all"] => run_all(scale),
        [name] => match scenario::ALL.iter().find(|s| s.name == *name) {
            Some(s) => run_one(s, scale),
            None => scenario::helper(name, &[]).unwrap_or_else(usage),
        },
        [helper, rest @ ..] => scenario::helper(helper, rest).unwrap_or_else(usage),
        _ => usage(),
    }
}

/// Runs `s` in this process and prints its figures.
fn run_one(s: &Scenario, scale: Scale) -> ExitCode {
    match (s.run)(scale) {
        Ok(figures) => {
            for f in &figures {
                println!("{f}");
            }
            if figures.iter().all(|f| f.ok) && !figures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            println!("ERROR {}: {e}", s.name);
            ExitCode::from(2)
        }
    }
}

/// Runs every scenario in a child process of its own, each within its
/// time budget; a scenario past its budget is killed and fails.
fn run_all(scale: Scale) -> ExitCode {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("cannot find this program's path to re-run it: {e}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let mut failed = Vec::new();
    for s in scenario::ALL {
        let budget = scale.pick(s.budget.0, s.budget.1);
        let t = Instant::now();
        let passed = match run_child(&exe, s.name, scale, budget) {
            Ok(true) => true,
            Ok(false) => false,
            Err(e) => {
                println!("ERROR {}: {e}", s.name);
                false
            }
        };
        println!(
            "SCENARIO {}: {} in {:.1} s",
            s.name,
            if passed { "PASS" } else { "FAIL" },
            t.elapsed().as_secs_f64()
        );
        let _ = std::io::stdout().flush();
        if !passed {
            failed.push(s.name);
        }
    }
    println!(
        "SUMMARY: {} of {} scenarios passed in {:.1} s{}",
        scenario::ALL.len() - failed.len(),
        scenario::ALL.len(),
        started.elapsed().as_secs_f64(),
        if failed.is_empty() {
            String::new()
        } else {
            format!("; failed: {}", failed.join(", "))
        }
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs one scenario as a child; kills it past `budget`.
fn run_child(
    exe: &std::path::Path,
    name: &str,
    scale: Scale,
    budget: Duration,
) -> std::io::Result<bool> {
    let mut child = Command::new(exe).arg(name).arg(scale.flag()).spawn()?;
    let deadline = Instant::now() + budget;
    loop {
        if let Some(status) = child.try_wait()? {
            if !status.success() {
                println!("# {name} exited with {status}");
            }
            return Ok(status.success());
        }
        if Instant::now() >= deadline {
            child.kill()?;
            child.wait()?;
            let f = Figure::new(
                format!("{}_finished", name.replace('-', "_")),
                format!("not after {} s", budget.as_secs()),
                "(killed)",
                format!("within {} s", budget.as_secs()),
                false,
            );
            println!("{f}");
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
