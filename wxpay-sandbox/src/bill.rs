//! Bills: `GET v3/bill/tradebill` and `GET v3/bill/fundflowbill` answer a `download_url` on the
//! sandbox and the SHA-1 of the CSV; `GET v3/billdownload/file` serves the CSV (gzip when
//! asked for), generated row by row while it is sent, so that a bill of any size costs no
//! memory and no file.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;

use bytes::Bytes;
use serde::Deserialize;
use serde_json::Value;
use sha1::Digest as _;
use tokio::sync::mpsc;

/// Which bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BillKind {
    /// The trade bill (`v3/bill/tradebill`): 27 columns per transaction.
    Trade,
    /// The fund-flow bill (`v3/bill/fundflowbill`): 11 columns per movement.
    FundFlow,
}

/// What the sandbox's bills look like, set with
/// [`Sandbox::set_bills`](crate::Sandbox::set_bills): their size, and a fault to test that a
/// client checks the digest.
///
/// ```
/// use wxpay_sandbox::BillSpec;
/// let small = BillSpec::rows(3);                       // three transactions
/// let big = BillSpec::bytes(50 << 20);                 // at least 50 MB of CSV
/// let forged = BillSpec::rows(3).wrong_digest();       // hash_value of another file
/// let tampered = BillSpec::rows(3).tampered();         // one amount changed in the file
/// # let _ = (small, big, forged, tampered);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BillSpec {
    size: BillSize,
    fault: Option<BillFault>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum BillSize {
    Rows(u64),
    Bytes(u64),
}

/// Something wrong with a served bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BillFault {
    /// The query answers a `hash_value` that is not the file's.
    WrongDigest,
    /// The file served differs from the one `hash_value` was computed over (the first
    /// row's amount is changed).
    Tampered,
    /// The file stops halfway (a gzip file loses its end, trailer included).
    Truncated,
}

impl Default for BillSpec {
    /// Ten rows, no fault.
    fn default() -> Self {
        Self::rows(10)
    }
}

impl BillSpec {
    /// Bills of `rows` data rows.
    pub fn rows(rows: u64) -> Self {
        Self {
            size: BillSize::Rows(rows),
            fault: None,
        }
    }

    /// Bills of at least `bytes` bytes of CSV (rows are added until the size is reached;
    /// a trade bill row is about 330 bytes, a fund-flow row about 200).
    pub fn bytes(bytes: u64) -> Self {
        Self {
            size: BillSize::Bytes(bytes),
            fault: None,
        }
    }

    /// The bill query answers a wrong `hash_value`.
    pub fn wrong_digest(self) -> Self {
        self.with_fault(BillFault::WrongDigest)
    }

    /// The file served is not the one `hash_value` describes.
    pub fn tampered(self) -> Self {
        self.with_fault(BillFault::Tampered)
    }

    /// The file served stops halfway.
    pub fn truncated(self) -> Self {
        self.with_fault(BillFault::Truncated)
    }

    /// This fault.
    pub fn with_fault(mut self, fault: BillFault) -> Self {
        self.fault = Some(fault);
        self
    }

    /// Reads the JSON form of `POST /_sandbox/bills`: `{"rows": 10}` or
    /// `{"bytes": 52428800}`, with `"fault": "wrong_digest" | "tampered" | "truncated"`.
    pub fn from_json(value: &Value) -> Result<BillSpec, String> {
        let form = BillSpecJson::deserialize(value).map_err(|e| e.to_string())?;
        let spec = match (form.rows, form.bytes) {
            (Some(rows), None) => BillSpec::rows(rows),
            (None, Some(bytes)) => BillSpec::bytes(bytes),
            _ => return Err("expected {\"rows\": N} or {\"bytes\": N}".into()),
        };
        Ok(match form.fault {
            None => spec,
            Some(BillFaultJson::WrongDigest) => spec.wrong_digest(),
            Some(BillFaultJson::Tampered) => spec.tampered(),
            Some(BillFaultJson::Truncated) => spec.truncated(),
        })
    }
}

/// The JSON form of a [`BillSpec`].
#[derive(Deserialize)]
struct BillSpecJson {
    rows: Option<u64>,
    bytes: Option<u64>,
    fault: Option<BillFaultJson>,
}

/// The JSON names of the [`BillFault`]s.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum BillFaultJson {
    WrongDigest,
    Tampered,
    Truncated,
}

/// A bill handed out by a query, waiting at its `download_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BillFile {
    kind: BillKind,
    date: String,
    mchid: String,
    gzip: bool,
    spec: BillSpec,
}

impl BillFile {
    /// The bill of `kind` for `date`, as `spec` describes it; compressed when `gzip`.
    pub(crate) fn new(kind: BillKind, date: &str, mchid: &str, gzip: bool, spec: BillSpec) -> Self {
        Self {
            kind,
            date: date.to_string(),
            mchid: mchid.to_string(),
            gzip,
            spec,
        }
    }

    /// The `hash_value` a query answers for this file: the SHA-1 of its CSV (kept in
    /// `digests`, a big bill takes a while to hash), or another file's with
    /// [`BillFault::WrongDigest`].
    pub(crate) fn announced_digest(&self, digests: &mut HashMap<BillDigestKey, String>) -> String {
        let mut digest = digests
            .entry((self.kind, self.date.clone(), self.spec.size))
            .or_insert_with(|| digest_of(self))
            .clone();
        if self.spec.fault == Some(BillFault::WrongDigest) {
            // Another file's digest: the last hex digit changed.
            let last = if digest.ends_with('0') { '1' } else { '0' };
            digest.pop();
            digest.push(last);
        }
        digest
    }
}

/// What a bill's content depends on: kind, date, size.
pub(crate) type BillDigestKey = (BillKind, String, BillSize);

/// The SHA-1 of the (untampered, uncompressed) CSV of `file`, lower-case hex: computed with
/// the `sha1` crate directly, independently of the client's check.
fn digest_of(file: &BillFile) -> String {
    let mut hasher = sha1::Sha1::new();
    generate(file, false, |chunk| {
        hasher.update(chunk);
        true
    });
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The whole CSV of a bill, as it is described by its digest.
pub(crate) fn csv(kind: BillKind, date: &str, mchid: &str, spec: &BillSpec) -> Vec<u8> {
    let file = BillFile::new(kind, date, mchid, false, spec.clone());
    let mut out = Vec::new();
    generate(&file, false, |chunk| {
        out.extend_from_slice(chunk);
        true
    });
    out
}

/// Generated CSV is handed on in pieces of about this size.
const CHUNK: usize = 64 * 1024;

/// The body of a bill download: a thread generates (and compresses) the file into a small
/// bounded channel, so that memory stays flat whatever the size; it stops when the client
/// goes away.
pub(crate) fn spawn_stream(file: BillFile) -> mpsc::Receiver<Bytes> {
    let (tx, rx) = mpsc::channel::<Bytes>(4);
    let _ = std::thread::Builder::new()
        .name("wxpay-sandbox-bill".into())
        .spawn(move || serve(&file, &tx));
    rx
}

fn serve(file: &BillFile, tx: &mpsc::Sender<Bytes>) {
    let tamper = file.spec.fault == Some(BillFault::Tampered);
    let truncate = file.spec.fault == Some(BillFault::Truncated);
    // For a truncated file, the length of the whole one is needed first.
    let limit = if truncate {
        let mut total = 0usize;
        let mut counter = |bytes: &[u8]| {
            total += bytes.len();
            true
        };
        if file.gzip {
            let mut encoder = Gzip::new();
            generate(file, false, |chunk| encoder.write(chunk, &mut counter));
            encoder.finish(&mut counter);
        } else {
            generate(file, false, &mut counter);
        }
        total / 2
    } else {
        usize::MAX
    };
    let mut sent = 0usize;
    // False stops the generation: the client went away, or a truncated file is done.
    let mut send = |bytes: &[u8]| {
        let room = limit.saturating_sub(sent);
        if room == 0 {
            return false;
        }
        let bytes = &bytes[..bytes.len().min(room)];
        sent += bytes.len();
        bytes.is_empty() || tx.blocking_send(Bytes::copy_from_slice(bytes)).is_ok()
    };
    if file.gzip {
        let mut encoder = Gzip::new();
        generate(file, tamper, |chunk| encoder.write(chunk, &mut send));
        encoder.finish(&mut send);
    } else {
        generate(file, tamper, send);
    }
}

/// A gzip compressor whose output is handed on as it comes.
struct Gzip(flate2::write::GzEncoder<Vec<u8>>);

impl Gzip {
    fn new() -> Self {
        Self(flate2::write::GzEncoder::new(
            Vec::with_capacity(CHUNK),
            flate2::Compression::fast(),
        ))
    }

    fn write(&mut self, chunk: &[u8], out: &mut impl FnMut(&[u8]) -> bool) -> bool {
        if self.0.write_all(chunk).is_err() {
            return false;
        }
        let buffer = self.0.get_mut();
        if buffer.len() >= CHUNK {
            let go_on = out(buffer);
            buffer.clear();
            return go_on;
        }
        true
    }

    fn finish(self, out: &mut impl FnMut(&[u8]) -> bool) {
        if let Ok(rest) = self.0.finish() {
            out(&rest);
        }
    }
}

/// Generates the CSV of `file` and hands it to `out` in pieces of about [`CHUNK`] bytes,
/// until done or `out` returns false. Deterministic: the same file gives the same bytes.
fn generate(file: &BillFile, tamper: bool, mut out: impl FnMut(&[u8]) -> bool) {
    let mut buf = String::with_capacity(CHUNK + 1024);
    buf.push('\u{feff}');
    let mut totals = Totals::default();
    match file.kind {
        BillKind::Trade => buf.push_str(TRADE_HEADER),
        BillKind::FundFlow => buf.push_str(FUND_FLOW_HEADER),
    }
    buf.push_str("\r\n");
    let mut n: u64 = 0;
    let mut written: u64 = 0;
    loop {
        let more = match file.spec.size {
            BillSize::Rows(rows) => n < rows,
            BillSize::Bytes(bytes) => written + (buf.len() as u64) < bytes,
        };
        if !more {
            break;
        }
        let cents = 1 + (n * 7919 + 13) % 50_000;
        let shown = if tamper && n == 0 { cents + 100 } else { cents };
        match file.kind {
            BillKind::Trade => trade_row(&mut buf, file, n, shown),
            BillKind::FundFlow => fund_flow_row(&mut buf, file, n, shown, totals.cents + cents),
        }
        totals.cents += cents;
        n += 1;
        if buf.len() >= CHUNK {
            written += buf.len() as u64;
            if !out(buf.as_bytes()) {
                return;
            }
            buf.clear();
        }
    }
    match file.kind {
        BillKind::Trade => {
            let fee = totals.cents * 6; // 0.60 % in units of 0.00001 yuan
            let _ = write!(
                buf,
                "{TRADE_SUMMARY}\r\n`{n},`{},`0.00,`0.00,`{},`{},`0.00\r\n",
                yuan(totals.cents),
                fee_text(fee),
                yuan(totals.cents),
            );
        }
        BillKind::FundFlow => {
            let _ = write!(
                buf,
                "{FUND_FLOW_SUMMARY}\r\n`{n},`{n},`{},`0,`0.00\r\n",
                yuan(totals.cents)
            );
        }
    }
    out(buf.as_bytes());
}

#[derive(Default)]
struct Totals {
    cents: u64,
}

const TRADE_HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const TRADE_SUMMARY: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";
const FUND_FLOW_HEADER: &str = "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号";
const FUND_FLOW_SUMMARY: &str = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额";

fn trade_row(buf: &mut String, file: &BillFile, n: u64, cents: u64) {
    let secs = n % 86_400;
    let _ = write!(
        buf,
        "`{} {:02}:{:02}:{:02},`wxd678efh567hg6787,`{},`0,`,`42000{:023},`SANDBOX{}{:010},`oUpF8uMuAJO_M2pxb1Q9zNjWeS{:02},`JSAPI,`SUCCESS,`OTHERS,`CNY,`{},`0.00,`0,`0,`0.00,`0.00,`,`,`sandbox goods, item {},`,`{},`0.60%,`{},`0.00,`\r\n",
        file.date,
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        file.mchid,
        n,
        file.date.replace('-', ""),
        n,
        n % 100,
        yuan(cents),
        n,
        fee_text(cents * 6),
        yuan(cents),
    );
}

fn fund_flow_row(buf: &mut String, file: &BillFile, n: u64, cents: u64, balance: u64) {
    let secs = n % 86_400;
    let _ = write!(
        buf,
        "`{} {:02}:{:02}:{:02},`42000{:023},`{:028},`交易,`交易,`收入,`{},`{},`system,`sandbox,`{:016}\r\n",
        file.date,
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        n,
        n,
        yuan(cents),
        yuan(balance),
        n,
    );
}

fn yuan(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A fee in units of 0.00001 yuan, as bills show it (`0.00060`).
fn fee_text(units: u64) -> String {
    format!("{}.{:05}", units / 100_000, units % 100_000)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn file(kind: BillKind, spec: BillSpec) -> BillFile {
        BillFile {
            kind,
            date: "2024-05-01".into(),
            mchid: "1900000001".into(),
            gzip: false,
            spec,
        }
    }

    #[test]
    fn bills_have_a_bom_rows_and_a_summary() {
        let csv = csv(
            BillKind::Trade,
            "2024-05-01",
            "1900000001",
            &BillSpec::rows(3),
        );
        let text = String::from_utf8(csv).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 1 + 3 + 2);
        assert_eq!(lines[1].split(",`").count(), 27);
        assert_eq!(lines[0].split(',').count(), 27);
        assert!(lines[4].starts_with("总交易单数"));
        assert!(lines[5].starts_with("`3,`"));
        let fund = csv_text(BillKind::FundFlow, BillSpec::rows(2));
        let lines: Vec<&str> = fund.trim_end().split("\r\n").collect();
        assert_eq!(lines[1].split(",`").count(), 11);
        assert_eq!(lines[3].split(',').count(), 5);
    }

    fn csv_text(kind: BillKind, spec: BillSpec) -> String {
        String::from_utf8(csv(kind, "2024-05-01", "1900000001", &spec)).unwrap()
    }

    #[test]
    fn sizes_in_bytes_are_reached() {
        let text = csv_text(BillKind::Trade, BillSpec::bytes(200_000));
        assert!(text.len() >= 200_000, "{}", text.len());
        assert!(text.len() < 200_000 + 2 * CHUNK);
    }

    #[test]
    fn generation_is_deterministic_and_tampering_changes_it() {
        let f = file(BillKind::Trade, BillSpec::rows(5));
        let mut a = Vec::new();
        generate(&f, false, |c| {
            a.extend_from_slice(c);
            true
        });
        let mut b = Vec::new();
        generate(&f, true, |c| {
            b.extend_from_slice(c);
            true
        });
        assert_eq!(
            a,
            csv(
                BillKind::Trade,
                "2024-05-01",
                "1900000001",
                &BillSpec::rows(5)
            )
        );
        assert_ne!(a, b);
        assert_eq!(digest_of(&f).len(), 40);
    }

    #[test]
    fn spec_from_json() {
        assert_eq!(
            BillSpec::from_json(&json!({"rows": 3, "fault": "tampered"})),
            Ok(BillSpec::rows(3).tampered())
        );
        assert_eq!(
            BillSpec::from_json(&json!({"bytes": 10})),
            Ok(BillSpec::bytes(10))
        );
        assert!(BillSpec::from_json(&json!({})).is_err());
        assert!(BillSpec::from_json(&json!({"rows": 1, "fault": "x"})).is_err());
    }
}
