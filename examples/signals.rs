//! asyncio's `loop.add_signal_handler`: react to a Unix signal inside the
//! loop. `signal::signal(kind)` is a stream of deliveries; here the program
//! sends SIGTERM to itself (with `kill`, run as a child process) and stops
//! when it arrives, as the asyncio docs' `ask_exit` handler does.
//!
//! ```text
//! waiting for SIGTERM
//! got signal SIGTERM: exit
//! ```

use ringio::process::Command;
use ringio::signal::{signal, SignalKind};

#[ringio::main]
async fn main() -> std::io::Result<()> {
    // Create the stream first: from then on SIGTERM is delivered to it
    // instead of ending the process.
    let mut terminate = signal(SignalKind::terminate())?;
    println!("waiting for SIGTERM");
    let status = Command::new("kill")
        .args(["-TERM", &std::process::id().to_string()])
        .status()
        .await?;
    assert!(status.success(), "kill failed: {status}");
    terminate.recv().await?;
    println!("got signal SIGTERM: exit");
    Ok(())
}
