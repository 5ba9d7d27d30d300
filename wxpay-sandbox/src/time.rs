//! Unix time and the RFC 3339 timestamps (China Standard Time) WeChat Pay writes.

use wxpay_core::clock::civil_time;
use wxpay_core::{Clock, SystemClock};

/// Seconds since the Unix epoch.
pub(crate) fn now() -> i64 {
    SystemClock.now()
}

/// `2025-01-31T12:00:00+08:00`, the way WeChat Pay writes times.
pub(crate) fn rfc3339_cst(unix: i64) -> String {
    let (year, month, day, hour, minute, second) = civil_time(unix + 8 * 3600);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}+08:00")
}

#[cfg(test)]
mod tests {
    use super::rfc3339_cst;

    #[test]
    fn formats_in_china_standard_time() {
        assert_eq!(rfc3339_cst(0), "1970-01-01T08:00:00+08:00");
        assert_eq!(rfc3339_cst(1_432_099_775), "2015-05-20T13:29:35+08:00");
        assert_eq!(
            rfc3339_cst(951_782_400 - 8 * 3600),
            "2000-02-29T00:00:00+08:00"
        );
        assert_eq!(rfc3339_cst(1_735_660_799), "2024-12-31T23:59:59+08:00");
    }
}
