//! Trade and fund-flow bills: the two query endpoints, the digest check of the downloaded
//! file, and a parser of the CSV.
//!
//! A bill is fetched in two steps. `GET v3/bill/tradebill` ([`TradeBill`]) or
//! `GET v3/bill/fundflowbill` ([`FundFlowBill`]) answers a signed [`BillAnswer`]:
//! `download_url`, `hash_type` (`SHA1`) and `hash_value`. The file at `download_url` is then
//! fetched with a signed `GET` whose answer is **not** signed; it is checked instead against
//! `hash_value`, the SHA-1 of the decompressed CSV (the file is gzip when `tar_type=GZIP` was
//! asked for). `wxpay::Client::download_bill` does all of this while streaming; [`BillDigest`]
//! is the check on its own.
//!
//! The CSV starts with a UTF-8 BOM; a header line names the columns; every cell of a data
//! row is prefixed with a back-tick (so that spreadsheets keep long numbers as text); two
//! lines of summary (names, then back-ticked values) end the file. [`parse`] reads a whole
//! bill; [`Reader`] reads one row at a time from any [`BufRead`].

use std::fmt;
use std::io::BufRead;

use serde::{Deserialize, Serialize};
use sha1::Digest as _;

use crate::endpoint::hex_lower;
use crate::error::{Error, VerifyError};

/// `GET v3/bill/tradebill`: where to download the trade bill of one day.
///
/// ```
/// let query = wxpay_core::TradeBill::new("2024-05-01").bill_type("ALL").gzip();
/// assert_eq!(query.tar_type.as_deref(), Some("GZIP"));
/// ```
#[wxpay_macros::wxpay_endpoint(GET, "v3/bill/tradebill", response = BillAnswer, crate = crate)]
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TradeBill {
    /// The day, `YYYY-MM-DD` (up to three months back).
    pub bill_date: String,
    /// A sub-merchant's bill (service providers only).
    pub sub_mchid: Option<String>,
    /// `ALL` (default), `SUCCESS`, `REFUND`, …
    pub bill_type: Option<String>,
    /// `GZIP` for a gzip-compressed file; absent for plain CSV.
    pub tar_type: Option<String>,
}

impl TradeBill {
    /// The trade bill of `bill_date` (`YYYY-MM-DD`).
    pub fn new(bill_date: impl Into<String>) -> Self {
        Self {
            bill_date: bill_date.into(),
            ..Self::default()
        }
    }

    /// Asks for the file gzip-compressed (`tar_type=GZIP`); it is decompressed on the fly.
    pub fn gzip(mut self) -> Self {
        self.tar_type = Some("GZIP".into());
        self
    }

    /// `bill_type`: `ALL`, `SUCCESS`, `REFUND`, `RECHARGE_REFUND`, …
    pub fn bill_type(mut self, bill_type: impl Into<String>) -> Self {
        self.bill_type = Some(bill_type.into());
        self
    }

    /// A sub-merchant's bill (service providers).
    pub fn sub_mchid(mut self, sub_mchid: impl Into<String>) -> Self {
        self.sub_mchid = Some(sub_mchid.into());
        self
    }
}

/// `GET v3/bill/fundflowbill`: where to download the fund-flow bill of one day.
#[wxpay_macros::wxpay_endpoint(GET, "v3/bill/fundflowbill", response = BillAnswer, crate = crate)]
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FundFlowBill {
    /// The day, `YYYY-MM-DD`.
    pub bill_date: String,
    /// `BASIC` (default), `OPERATION` or `FEES`.
    pub account_type: Option<String>,
    /// `GZIP` for a gzip-compressed file.
    pub tar_type: Option<String>,
}

impl FundFlowBill {
    /// The fund-flow bill of `bill_date` (`YYYY-MM-DD`).
    pub fn new(bill_date: impl Into<String>) -> Self {
        Self {
            bill_date: bill_date.into(),
            ..Self::default()
        }
    }

    /// Asks for the file gzip-compressed (`tar_type=GZIP`).
    pub fn gzip(mut self) -> Self {
        self.tar_type = Some("GZIP".into());
        self
    }

    /// `account_type`: `BASIC`, `OPERATION` or `FEES`.
    pub fn account_type(mut self, account_type: impl Into<String>) -> Self {
        self.account_type = Some(account_type.into());
        self
    }
}

/// The answer of a bill query: where the file is and its digest. Any endpoint declared with
/// `response = wxpay::BillAnswer` (such as `v3/profitsharing/bills`) can be given to
/// `wxpay::Client::download_bill`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillAnswer {
    /// `SHA1`.
    pub hash_type: String,
    /// Hex digest of the decompressed CSV.
    pub hash_value: String,
    /// Absolute URL of the file, valid for a few minutes; fetched with a signed `GET`.
    pub download_url: String,
}

/// The digest check of a downloaded file: feed it the (decompressed) bytes, then
/// [`finish`](Self::finish).
///
/// ```
/// use wxpay_core::bill::BillDigest;
/// let mut digest = BillDigest::new("SHA1", "a9993e364706816aba3e25717850c26c9cd0d89d")?;
/// digest.update(b"ab");
/// digest.update(b"c");
/// digest.finish()?;
/// # Ok::<(), wxpay_core::Error>(())
/// ```
#[derive(Clone)]
pub struct BillDigest {
    hasher: sha1::Sha1,
    expected: String,
}

impl BillDigest {
    /// A check against `hash_value` of type `hash_type` (only `SHA1` exists; case is
    /// ignored). Another type is an [`Error::Decode`].
    pub fn new(hash_type: &str, hash_value: &str) -> Result<Self, Error> {
        if !hash_type.eq_ignore_ascii_case("SHA1") {
            return Err(Error::decode(format!(
                "bill hash_type {:?} is not supported (only SHA1)",
                crate::error::quoted_id(hash_type, 16)
            )));
        }
        let expected = hash_value.trim().to_ascii_lowercase();
        if expected.len() != 40 || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::decode("bill hash_value is not 40 hex characters"));
        }
        Ok(Self {
            hasher: sha1::Sha1::new(),
            expected,
        })
    }

    /// Hashes more of the file.
    pub fn update(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
    }

    /// Whether everything fed matches `hash_value`: else
    /// [`VerifyError::DigestMismatch`].
    pub fn finish(self) -> Result<(), VerifyError> {
        if hex_lower(&self.hasher.finalize()) == self.expected {
            Ok(())
        } else {
            Err(VerifyError::DigestMismatch("SHA1"))
        }
    }
}

impl fmt::Debug for BillDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BillDigest")
            .field("expected", &self.expected)
            .finish_non_exhaustive()
    }
}

/// Lower-case hex SHA-1 of `bytes`, as a bill's `hash_value`.
pub fn sha1_hex(bytes: &[u8]) -> String {
    hex_lower(&sha1::Sha1::digest(bytes))
}

/// A whole bill: column names, rows, and the summary.
///
/// ```
/// let csv = "\u{feff}交易时间,商户订单号,应结订单金额\n\
///            `2024-05-01 10:00:00,`T1,`0.01\n\
///            `2024-05-01 11:00:00,`T2,`0.02\n\
///            总交易单数,应结订单总金额\n\
///            `2,`0.03\n";
/// let bill = wxpay_core::bill::parse(csv.as_bytes())?;
/// assert_eq!(bill.headers[1], "商户订单号");
/// assert_eq!(bill.rows.len(), 2);
/// assert_eq!(bill.value(&bill.rows[1], "商户订单号"), Some("T2"));
/// assert_eq!(bill.summary_value("总交易单数"), Some("2"));
/// # Ok::<(), wxpay_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bill {
    /// The column names (first line, BOM removed).
    pub headers: Vec<String>,
    /// The data rows, one cell per column, leading back-ticks removed.
    pub rows: Vec<Vec<String>>,
    /// The summary: names and values (leading back-ticks removed), in the same order.
    pub summary: Summary,
}

/// The two summary lines at the end of a bill.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The names (`总交易单数`, `应结订单总金额`, …).
    pub headers: Vec<String>,
    /// The values, one per name.
    pub values: Vec<String>,
}

impl Summary {
    /// The value named `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        let i = self.headers.iter().position(|h| h == name)?;
        self.values.get(i).map(String::as_str)
    }
}

impl Bill {
    /// Parses a whole bill (plain CSV, already decompressed).
    pub fn parse(bytes: &[u8]) -> Result<Bill, Error> {
        let mut reader = Reader::new(bytes)?;
        let mut rows = Vec::new();
        for row in reader.by_ref() {
            rows.push(row?);
        }
        Ok(Bill {
            headers: reader.headers().to_vec(),
            rows,
            summary: reader.summary().cloned().unwrap_or_default(),
        })
    }

    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The cell of `row` in the column named `name`.
    pub fn value<'a>(&self, row: &'a [String], name: &str) -> Option<&'a str> {
        row.get(self.column(name)?).map(String::as_str)
    }

    /// The summary value named `name`.
    pub fn summary_value(&self, name: &str) -> Option<&str> {
        self.summary.get(name)
    }
}

/// Parses a whole bill: [`Bill::parse`].
pub fn parse(bytes: &[u8]) -> Result<Bill, Error> {
    Bill::parse(bytes)
}

/// Reads a bill one row at a time from any [`BufRead`] (a file, a decompressor), for bills
/// too large to hold: an iterator of rows; once it ends, [`summary`](Self::summary) holds the
/// summary.
///
/// ```
/// # fn f() -> Result<(), Box<dyn std::error::Error>> {
/// let file = std::io::BufReader::new(std::fs::File::open("bill.csv")?);
/// let mut reader = wxpay_core::bill::Reader::new(file)?;
/// let amount = reader.column("应结订单金额").expect("a trade bill");
/// for row in reader.by_ref() {
///     let row = row?;
///     println!("{}", row[amount]);
/// }
/// println!("{:?}", reader.summary());
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Reader<R> {
    inner: R,
    headers: Vec<String>,
    summary: Option<Summary>,
    line: String,
    line_number: usize,
    done: bool,
}

impl<R: BufRead> Reader<R> {
    /// Reads the header line.
    pub fn new(inner: R) -> Result<Self, Error> {
        let mut reader = Self {
            inner,
            headers: Vec::new(),
            summary: None,
            line: String::new(),
            line_number: 0,
            done: false,
        };
        if !reader.read_line()? {
            return Err(Error::decode("the bill is empty"));
        }
        let first = reader.line.strip_prefix('\u{feff}').unwrap_or(&reader.line);
        reader.headers = cells(first);
        Ok(reader)
    }

    /// The column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The summary, once every row has been read.
    pub fn summary(&self) -> Option<&Summary> {
        self.summary.as_ref()
    }

    /// The next non-empty line into `self.line`; false at the end.
    fn read_line(&mut self) -> Result<bool, Error> {
        loop {
            self.line.clear();
            let n = self.inner.read_line(&mut self.line).map_err(|e| {
                Error::decode(format!(
                    "reading the bill at line {}: {}",
                    self.line_number + 1,
                    e.kind()
                ))
            })?;
            if n == 0 {
                return Ok(false);
            }
            self.line_number += 1;
            let trimmed = self.line.trim_end_matches(['\r', '\n']).len();
            self.line.truncate(trimmed);
            if !self.line.is_empty() {
                return Ok(true);
            }
        }
    }

    fn next_row(&mut self) -> Result<Option<Vec<String>>, Error> {
        if self.done || !self.read_line()? {
            self.done = true;
            return Ok(None);
        }
        if !self.line.starts_with('`') {
            // The summary: a line of names, then a line of values.
            self.done = true;
            let headers = cells(&self.line);
            let names_line = self.line_number;
            if !self.read_line()? {
                return Err(Error::decode(format!(
                    "the bill's summary names (line {names_line}) have no values"
                )));
            }
            let values = cells(&self.line);
            if values.len() != headers.len() {
                return Err(Error::decode(format!(
                    "the bill's summary has {} names and {} values",
                    headers.len(),
                    values.len()
                )));
            }
            self.summary = Some(Summary { headers, values });
            if self.read_line()? {
                return Err(Error::decode(format!(
                    "the bill has text after its summary (line {})",
                    self.line_number
                )));
            }
            return Ok(None);
        }
        let row = cells(&self.line);
        if row.len() != self.headers.len() {
            return Err(Error::decode(format!(
                "bill line {} has {} cells; the header has {}",
                self.line_number,
                row.len(),
                self.headers.len()
            )));
        }
        Ok(Some(row))
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Vec<String>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_row() {
            Ok(row) => row.map(Ok),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// The cells of one line: back-ticked lines (rows, summary values) split on ``,` `` so that a
/// comma inside a cell (a product name) stays in it; other lines (the two name lines) on `,`.
fn cells(line: &str) -> Vec<String> {
    match line.strip_prefix('`') {
        Some(rest) => rest.split(",`").map(str::to_string).collect(),
        None => line.split(',').map(str::to_string).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{Endpoint, RequestParts};

    const BILL: &str = "\u{feff}交易时间,公众账号ID,商户号,商品名称,应结订单金额,费率备注\r\n\
        `2024-05-01 10:00:00,`wx0000000000000001,`1900000001,`咖啡, 大杯,`0.01,`\r\n\
        `2024-05-01 11:00:00,`wx0000000000000001,`1900000001,`茶,`12.50,`\r\n\
        总交易单数,应结订单总金额\r\n\
        `2,`12.51\r\n";

    #[test]
    fn parses_rows_and_summary() {
        let bill = parse(BILL.as_bytes()).unwrap();
        assert_eq!(bill.headers.len(), 6);
        assert_eq!(bill.headers[0], "交易时间");
        assert_eq!(bill.rows.len(), 2);
        assert_eq!(bill.rows[0][3], "咖啡, 大杯");
        assert_eq!(bill.rows[0][5], "");
        assert_eq!(bill.value(&bill.rows[1], "应结订单金额"), Some("12.50"));
        assert_eq!(bill.summary.headers, ["总交易单数", "应结订单总金额"]);
        assert_eq!(bill.summary_value("应结订单总金额"), Some("12.51"));
    }

    #[test]
    fn line_feeds_alone_and_no_bom_work_too() {
        let lf = BILL.replace("\r\n", "\n");
        assert_eq!(
            parse(lf.as_bytes()).unwrap(),
            parse(BILL.as_bytes()).unwrap()
        );
        let no_bom = BILL.trim_start_matches('\u{feff}');
        assert_eq!(parse(no_bom.as_bytes()).unwrap().headers[0], "交易时间");
    }

    #[test]
    fn malformed_bills_are_decode_errors() {
        assert!(matches!(parse(b""), Err(Error::Decode { .. })));
        let short_row = BILL.replace("`茶,`12.50,`", "`茶");
        assert!(matches!(
            parse(short_row.as_bytes()),
            Err(Error::Decode { .. })
        ));
        let no_values = BILL.replace("`2,`12.51\r\n", "");
        assert!(matches!(
            parse(no_values.as_bytes()),
            Err(Error::Decode { .. })
        ));
        let trailing = format!("{BILL}`extra\r\n");
        assert!(matches!(
            parse(trailing.as_bytes()),
            Err(Error::Decode { .. })
        ));
    }

    #[test]
    fn digest_matches_or_not() {
        let mut ok = BillDigest::new("sha1", &sha1_hex(BILL.as_bytes()).to_uppercase()).unwrap();
        ok.update(BILL.as_bytes());
        assert_eq!(ok.finish(), Ok(()));
        let mut bad = BillDigest::new("SHA1", &sha1_hex(b"other")).unwrap();
        bad.update(BILL.as_bytes());
        assert_eq!(bad.finish(), Err(VerifyError::DigestMismatch("SHA1")));
        assert!(BillDigest::new("SM3", &sha1_hex(b"")).is_err());
        assert!(BillDigest::new("SHA1", "abc").is_err());
    }

    #[test]
    fn queries_write_their_query_strings() {
        let mut parts = RequestParts::new();
        TradeBill::new("2024-05-01")
            .gzip()
            .write_request(&mut parts)
            .unwrap();
        assert_eq!(parts.path(), "v3/bill/tradebill");
        assert_eq!(parts.query(), "bill_date=2024-05-01&tar_type=GZIP");
        let mut parts = RequestParts::new();
        FundFlowBill::new("2024-05-01")
            .account_type("BASIC")
            .write_request(&mut parts)
            .unwrap();
        assert_eq!(parts.query(), "bill_date=2024-05-01&account_type=BASIC");
    }
}
