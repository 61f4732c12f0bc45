//! Seed 000, "Manage async event loop in Python": get a loop, run one
//! coroutine on it with `run_until_complete`, close it. In ringio the loop
//! is a [`ringio::Runtime`]: `block_on` is `run_until_complete`, and
//! dropping it is `loop.close()`. (The seed's text reads "This
//! asynchronicity!", its "is" lost; the program prints the same.)
//!
//! ```text
//! This asynchronicity!
//! ```

async fn speech_async() {
    println!("This asynchronicity!");
}

fn main() -> Result<(), ringio::RuntimeError> {
    let event_loop = ringio::Runtime::new()?;
    event_loop.block_on(speech_async())?;
    drop(event_loop); // loop.close()
    Ok(())
}
