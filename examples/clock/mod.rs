//! Python's `time.strftime('%X')` for the seed examples that print clock
//! times: the time of day as `HH:MM:SS`, in UTC (std has no time zone
//! database; on a machine set to UTC it is exactly what Python prints).

use std::time::{SystemTime, UNIX_EPOCH};

/// The current time of day, `HH:MM:SS` (UTC).
pub fn strftime_x() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = secs % 86_400;
    format!("{:02}:{:02}:{:02}", day / 3600, day % 3600 / 60, day % 60)
}
