//! `communicate()` with the shell, as the asyncio documentation's
//! `create_subprocess_shell` example: two commands run side by side under
//! `gather!` (the whole takes the 1 s of the slower one), each reports its
//! exit code and what it wrote to stdout and stderr. Then input: the child's
//! stdin is fed while its output is read.
//!
//! ```text
//! ['ls /zzz' exited with 2]
//! [stderr]
//! ls: *zzz*
//! ['sleep 1; echo "hello"' exited with 0]
//! [stdout]
//! hello
//! tr a-z A-Z: HELLO FROM THE PARENT
//! ```

use std::error::Error;

use ringio::streams::subprocess::{
    create_subprocess_exec, create_subprocess_shell, ProcessOptions,
};

/// asyncio's `run(cmd)`: `create_subprocess_shell(cmd, stdout=PIPE,
/// stderr=PIPE)`, then `communicate()`.
async fn run(cmd: &str) -> Result<(), Box<dyn Error>> {
    let mut proc = create_subprocess_shell(cmd, ProcessOptions::piped())?;
    let out = proc.communicate(b"").await?;
    // Python's repr of these commands: in single quotes.
    println!("['{cmd}' exited with {}]", out.returncode());
    if !out.stdout.is_empty() {
        print!("[stdout]\n{}", String::from_utf8_lossy(&out.stdout));
    }
    if !out.stderr.is_empty() {
        print!("[stderr]\n{}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

#[ringio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (a, b) = ringio::gather!(run("ls /zzz"), run("sleep 1; echo \"hello\"")).await;
    a?;
    b?;

    let mut proc = create_subprocess_exec("tr", ["a-z", "A-Z"], ProcessOptions::piped())?;
    let out = proc.communicate(b"hello from the parent\n").await?;
    print!("tr a-z A-Z: {}", String::from_utf8_lossy(&out.stdout));
    Ok(())
}
