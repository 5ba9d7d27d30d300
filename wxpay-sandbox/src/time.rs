//! Unix time and the RFC 3339 timestamps (China Standard Time) WeChat Pay writes.

use wxpay_core::{Clock, SystemClock};

/// Seconds since the Unix epoch.
pub(crate) fn now() -> i64 {
    SystemClock.now()
}

/// `2025-01-31T12:00:00+08:00`, the way WeChat Pay writes times.
pub(crate) fn rfc3339_cst(unix: i64) -> String {
    let local = unix + 8 * 3600;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+08:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
