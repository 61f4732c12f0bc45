//! [`Figure`]: one measured value beside the limit it must keep, and
//! [`Scale`]: the quick (CI) and full (on demand) sizes of a scenario.

use std::fmt;

/// How big a scenario runs: `--quick` in CI, `--full` on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The bounded form CI runs (seconds per scenario).
    Quick,
    /// The full form, run on demand (minutes in all).
    Full,
}

impl Scale {
    /// `quick` at [`Scale::Quick`], `full` at [`Scale::Full`].
    pub fn pick<T>(self, quick: T, full: T) -> T {
        match self {
            Scale::Quick => quick,
            Scale::Full => full,
        }
    }

    /// The flag that selects this scale on the command line.
    pub fn flag(self) -> &'static str {
        self.pick("--quick", "--full")
    }
}

/// One measured figure of a scenario and whether it keeps its guarantee.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Short name, `snake_case`, unique in the suite.
    pub name: String,
    /// The measured value, formatted.
    pub value: String,
    /// Unit of `value` (and anything that qualifies it).
    pub unit: String,
    /// The guarantee, e.g. `limit 0` or `at most 10 %`.
    pub limit: String,
    /// True when the value keeps the guarantee.
    pub ok: bool,
}

impl Figure {
    /// A figure named `name` measuring `value` `unit`, guaranteed by
    /// `limit`, passing when `ok`.
    pub fn new(
        name: impl Into<String>,
        value: impl fmt::Display,
        unit: impl Into<String>,
        limit: impl Into<String>,
        ok: bool,
    ) -> Figure {
        Figure {
            name: name.into(),
            value: value.to_string(),
            unit: unit.into(),
            limit: limit.into(),
            ok,
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FIGURE {}: {} {} ({}) {}",
            self.name,
            self.value,
            self.unit,
            self.limit,
            if self.ok { "PASS" } else { "FAIL" }
        )
    }
}
