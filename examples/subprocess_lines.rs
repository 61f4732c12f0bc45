//! A child's output read line by line as it comes, as in the asyncio
//! documentation's `create_subprocess_exec` examples: first `get_date()`
//! (one line from a child, then wait for it), then a child that prints a
//! line every half second, each line read while the child still runs.
//!
//! ```text
//! Current date: *-*-* *:*:*
//! tick 1 (the child still runs)
//! tick 2 (the child still runs)
//! tick 3 (the child still runs)
//! the child exited with 0 after 3 lines
//! ```

use std::error::Error;

use ringio::streams::subprocess::{create_subprocess_exec, ProcessOptions, Redirect};

/// asyncio's `get_date()`: `create_subprocess_exec(sys.executable, '-c',
/// code, stdout=PIPE)`, one `readline()`, then `wait()`.
async fn get_date() -> Result<String, Box<dyn Error>> {
    // Create the subprocess; redirect the standard output into a pipe.
    let opts = ProcessOptions::new().stdout(Redirect::Piped);
    let mut proc = create_subprocess_exec("date", ["+%Y-%m-%d %H:%M:%S"], opts)?;
    // Read one line of output.
    let stdout = proc.stdout.as_mut().ok_or("stdout is piped")?;
    let data = stdout.readline().await?;
    let line = String::from_utf8_lossy(&data).trim_end().to_string();
    // Wait for the subprocess exit.
    proc.wait().await?;
    Ok(line)
}

#[ringio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let date = get_date().await?;
    println!("Current date: {date}");

    let script = "for i in 1 2 3; do printf 'tick %s\\n' $i; sleep 0.5; done";
    let opts = ProcessOptions::new().stdout(Redirect::Piped);
    let mut proc = create_subprocess_exec("sh", ["-c", script], opts)?;
    let mut stdout = proc.stdout.take().ok_or("stdout is piped")?;
    let mut count = 0;
    // `async for line in proc.stdout:`
    while let Some(line) = stdout.lines().next_line().await? {
        count += 1;
        // The child sleeps after each line: it has not exited yet.
        let state = match proc.returncode() {
            None => "the child still runs".to_string(),
            Some(code) => format!("the child already exited with {code}"),
        };
        println!("{} ({state})", String::from_utf8_lossy(&line).trim_end());
    }
    let status = proc.wait().await?;
    println!(
        "the child exited with {} after {count} lines",
        status.code().unwrap_or(-1)
    );
    Ok(())
}
