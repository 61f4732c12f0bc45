//! A tiny `--name value` / `--flag` command-line reader for the suite's
//! programs (no dependency for four flags each).

use std::collections::HashMap;
use std::str::FromStr;

/// Parsed `--name value` pairs and bare `--flag`s.
#[derive(Debug, Default)]
pub struct Args {
    values: HashMap<String, String>,
}

impl Args {
    /// Reads the process's arguments.
    pub fn from_env() -> Result<Args, String> {
        Args::parse(std::env::args().skip(1))
    }

    /// Reads `args`: each `--name` followed by a value that does not start
    /// with `--`, or alone (a flag).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut values = HashMap::new();
        let mut it = args.into_iter().peekable();
        while let Some(a) = it.next() {
            let Some(name) = a.strip_prefix("--") else {
                return Err(format!(
                    "unexpected argument {a:?}: expected --name [value]"
                ));
            };
            let value = match it.peek() {
                Some(v) if !v.starts_with("--") => it.next().unwrap_or_default(),
                _ => String::new(),
            };
            values.insert(name.to_owned(), value);
        }
        Ok(Args { values })
    }

    /// Whether `--name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The value of `--name` as text, if given with a value.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The value of `--name` parsed as `T`, or `default` when absent.
    pub fn get<T: FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.text(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name} {v:?}: not a valid value")),
        }
    }

    /// The value of `--name` parsed as `T`; an error when absent.
    pub fn require<T: FromStr>(&self, name: &str) -> Result<T, String> {
        let v = self
            .text(name)
            .ok_or_else(|| format!("--{name} is required"))?;
        v.parse()
            .map_err(|_| format!("--{name} {v:?}: not a valid value"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_flags() {
        let a = Args::parse(
            ["--conns", "64", "--quick", "--peers", "a,b"]
                .into_iter()
                .map(String::from),
        )
        .unwrap();
        assert_eq!(a.get("conns", 1usize).unwrap(), 64);
        assert!(a.flag("quick"));
        assert_eq!(a.text("peers"), Some("a,b"));
        assert_eq!(a.get("rounds", 5u32).unwrap(), 5);
        assert!(a.require::<u32>("port").is_err());
    }
}
