//! Time, injectable so that tests can freeze it.

use std::time::{SystemTime, UNIX_EPOCH};

/// A source of Unix time in seconds.
pub trait Clock: Send + Sync + 'static {
    /// Seconds since the Unix epoch.
    fn now(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }
}

/// A clock frozen at one instant, for tests and for checking published vectors.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0
    }
}

/// Year, month (1 to 12), day, hour, minute and second of a Unix time, UTC, proleptic
/// Gregorian (H. Hinnant's `civil_from_days`), for tools that print times without a date
/// crate (the `wxpay` command, the sandbox). Not part of the API.
///
/// ```
/// use wxpay_core::clock::civil_time;
///
/// assert_eq!(civil_time(0), (1970, 1, 1, 0, 0, 0));
/// assert_eq!(civil_time(951_782_400 + 3661), (2000, 2, 29, 1, 1, 1));
/// assert_eq!(civil_time(-1), (1969, 12, 31, 23, 59, 59));
/// ```
#[doc(hidden)]
pub fn civil_time(unix: i64) -> (i64, u32, u32, u32, u32, u32) {
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let secs = unix.rem_euclid(86_400) as u32;
    (year, month, day, secs / 3600, secs % 3600 / 60, secs % 60)
}
