//! Seed 002, "asyncio.Event": a task waits for an event that the main task
//! sets two seconds later.
//!
//! (In the seed, `main` returns right after `event.set()`, and `asyncio.run`
//! cancels the waiter before it can print; here `main` awaits it.)
//!
//! ```text
//! Waiting for event...
//! Event received!
//! ```

use std::rc::Rc;
use std::time::Duration;

use ringio::sync::Event;
use ringio::time::sleep;

async fn waiter(event: Rc<Event>) {
    println!("Waiting for event...");
    event.wait().await;
    println!("Event received!");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    ringio::run(async {
        let event = Rc::new(Event::new());
        let task = ringio::spawn(waiter(event.clone()));
        sleep(Duration::from_secs(2)).await;
        event.set();
        task.await?;
        Ok(())
    })?
}
