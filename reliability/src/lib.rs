//! ringio's reliability suite: scenarios that each check one guarantee of
//! the runtime under stress and print one figure per guarantee.
//!
//! Run every scenario in its quick form (what CI runs):
//!
//! ```text
//! cargo run -p ringio-reliability --release -- all --quick
//! ```
//!
//! or one of them, at full scale: `... -- churn --full`. Each scenario
//! prints lines of the form
//! `FIGURE <name>: <value> <unit> (<limit>) PASS|FAIL` and the program exits
//! non-zero when a guarantee fails. `all` runs each scenario in a process
//! of its own (resource limits, panics and fd counts stay apart) with a
//! time budget, and kills it when the budget is spent: a hang is a failure.
//! RELIABILITY.md at the repository root lists the figures and today's
//! results.

pub mod error_counter;
pub mod figure;
pub mod join;
pub mod pattern;
pub mod probe;
pub mod scenario;

pub use figure::{Figure, Scale};

/// What a scenario ends with: its figures, or why it could not run.
pub type Outcome = Result<Vec<Figure>, Box<dyn std::error::Error>>;
