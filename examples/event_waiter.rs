//! Seed 002, "asyncio.Event": a task waits for an event that the main task
//! sets two seconds later; main returns right after `event.set()`, as in
//! the seed. As in asyncio, the loop stops only after the turn in which
//! main ended, so the waiter, woken by the set, still prints.
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

#[ringio::main]
async fn main() {
    let event = Rc::new(Event::new());
    ringio::spawn(waiter(event.clone()));
    sleep(Duration::from_secs(2)).await;
    event.set();
}
