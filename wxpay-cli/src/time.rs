//! Dates for humans, without a date crate.

use wxpay::clock::civil_time;

/// `2024-05-20 08:00:00 UTC` for Unix seconds.
pub fn utc(unix: i64) -> String {
    let (y, m, d, hour, minute, second) = civil_time(unix);
    format!("{y:04}-{m:02}-{d:02} {hour:02}:{minute:02}:{second:02} UTC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_716_192_000 + 3661), "2024-05-20 09:01:01 UTC");
        assert_eq!(utc(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(utc(4_102_444_800), "2100-01-01 00:00:00 UTC");
    }
}
