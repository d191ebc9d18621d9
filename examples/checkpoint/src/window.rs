//! Which stretch of the rollout a report covers: hours 1–8 one hour each,
//! then 4-hour windows ending at hours 12, 16, …, 48; the 24-hour
//! checkpoint; the soak's 48 hours for the go/no-go.

use jiff::{SignedDuration, Timestamp};

use crate::error::CheckpointError;

/// Length of the soak, in hours.
pub const SOAK_HOURS: u32 = 48;
/// Hours reported one by one; after them, windows of [`LATER_WINDOW_HOURS`].
pub const HOURLY_UNTIL: u32 = 8;
/// Length of the windows after hour [`HOURLY_UNTIL`].
pub const LATER_WINDOW_HOURS: u32 = 4;
/// The 24-hour checkpoint.
pub const DAY_HOURS: u32 = 24;
/// Hours compared with the day's last ones for its trends.
pub const FIRST_HOURS: u32 = 4;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    /// The update for hour N.
    Hour(u32),
    /// The 24-hour checkpoint.
    Day,
    /// The go/no-go at hour 48.
    Final,
}

/// A stretch of time, `start` excluded and `end` included (as a range
/// query's `[range]` ending at `end` reads it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The start.
    pub start: Timestamp,
    /// The end.
    pub end: Timestamp,
}

impl Window {
    /// Its length in seconds.
    pub fn seconds(&self) -> i64 {
        self.end.as_second() - self.start.as_second()
    }

    /// Hours `from`..`to` of a rollout that started at `rollout_start`.
    pub fn hours(rollout_start: Timestamp, from: u32, to: u32) -> Window {
        let at = |h: u32| rollout_start + SignedDuration::from_hours(i64::from(h));
        Window { start: at(from), end: at(to) }
    }
}

/// The hours (from, to) a checkpoint covers, or why there is no such checkpoint.
pub fn hours_of(checkpoint: Checkpoint) -> Result<(u32, u32), CheckpointError> {
    match checkpoint {
        Checkpoint::Hour(n) if n == 0 || n > SOAK_HOURS => Err(CheckpointError::new(format!(
            "hour {n} is outside the soak: the checkpoints are hours 1 to {SOAK_HOURS}."
        ))),
        Checkpoint::Hour(n) if n <= HOURLY_UNTIL => Ok((n - 1, n)),
        Checkpoint::Hour(n) if n % LATER_WINDOW_HOURS == 0 => Ok((n - LATER_WINDOW_HOURS, n)),
        Checkpoint::Hour(n) => Err(CheckpointError::new(format!(
            "hour {n} is not a checkpoint: after hour {HOURLY_UNTIL} the updates cover {LATER_WINDOW_HOURS}-hour windows, \
             at hours 12, 16, … {SOAK_HOURS} (hour {n} is in the update for hour {}).",
            n.div_ceil(LATER_WINDOW_HOURS) * LATER_WINDOW_HOURS
        ))),
        Checkpoint::Day => Ok((0, DAY_HOURS)),
        Checkpoint::Final => Ok((0, SOAK_HOURS)),
    }
}

/// The window of a checkpoint, checked against the clock: the rollout must
/// have started and the window must be over (a window still running has
/// too little data to judge).
pub fn window_of(checkpoint: Checkpoint, rollout_start: Timestamp, now: Timestamp) -> Result<Window, CheckpointError> {
    if rollout_start > now {
        return Err(CheckpointError::new(format!(
            "--start {rollout_start} is in the future (it is now {}): give the time the rollout started.",
            now.round(jiff::Unit::Second).unwrap_or(now)
        )));
    }
    let (from, to) = hours_of(checkpoint)?;
    let window = Window::hours(rollout_start, from, to);
    if window.end > now {
        let minutes = (window.end.as_second() - now.as_second() + 59) / 60;
        return Err(CheckpointError::new(format!(
            "not enough data: this checkpoint's window ends at {} ({minutes} min from now); run it then.",
            window.end
        )));
    }
    Ok(window)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn hourly_then_four_hour_windows() {
        assert_eq!(hours_of(Checkpoint::Hour(1)), Ok((0, 1)));
        assert_eq!(hours_of(Checkpoint::Hour(8)), Ok((7, 8)));
        assert_eq!(hours_of(Checkpoint::Hour(12)), Ok((8, 12)));
        assert_eq!(hours_of(Checkpoint::Hour(48)), Ok((44, 48)));
        assert_eq!(hours_of(Checkpoint::Day), Ok((0, 24)));
        assert_eq!(hours_of(Checkpoint::Final), Ok((0, 48)));
    }

    #[test]
    fn hours_outside_the_soak_or_between_checkpoints_are_refused() {
        for n in [0, 49, 1000] {
            assert!(hours_of(Checkpoint::Hour(n)).unwrap_err().0.contains("outside the soak"), "{n}");
        }
        let err = hours_of(Checkpoint::Hour(10)).unwrap_err().0;
        assert!(err.contains("not a checkpoint") && err.contains("hour 12"), "{err}");
    }

    #[test]
    fn a_future_start_or_an_unfinished_window_is_refused() {
        let now = t("2026-12-02T12:00:00Z");
        assert!(window_of(Checkpoint::Hour(1), t("2026-12-02T12:00:01Z"), now)
            .unwrap_err()
            .0
            .contains("in the future"));
        let err = window_of(Checkpoint::Hour(3), t("2026-12-02T10:00:00Z"), now).unwrap_err().0;
        assert!(err.starts_with("not enough data") && err.contains("60 min from now"), "{err}");
        let window = window_of(Checkpoint::Hour(2), t("2026-12-02T10:00:00Z"), now).expect("window");
        assert_eq!((window.start, window.end), (t("2026-12-02T11:00:00Z"), now));
    }
}
