//! The control routes of payments (`/_sandbox/pay`, `/notifications`, `/orders`,
//! `/refunds`) and the page `GET /_sandbox/`: orders, refunds, notifications and received
//! requests, server-rendered HTML (no script), with a Pay button (a plain form) per unpaid
//! order and the QR code of each Native order's `code_url`.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_json::Value;

use crate::answer::Answer;
use crate::check::{Incoming, split_query};
use crate::control;
use crate::received::Received;
use crate::state::Shared;

/// How many of the latest received requests the page shows.
const PAGE_REQUESTS: usize = 50;

/// The answer of a payment control route or of the page; `None` for the other routes.
pub(crate) fn control(shared: &Shared, route: &str, incoming: &Incoming) -> Option<Answer> {
    // An HTML form's post. A JSON body is JSON whatever its Content-Type says (`curl -d`
    // sends JSON as application/x-www-form-urlencoded).
    let form = incoming
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
        && !incoming.body.trim_ascii_start().starts_with(b"{");
    Some(match (incoming.method.as_str(), route) {
        // `/_sandbox`, as typed in a browser.
        ("GET", "_sandbox") => Answer::raw(308, "text/plain; charset=utf-8", "/_sandbox/\n")
            .with_header("Location", "/_sandbox/"),
        ("GET", "") => {
            let refresh = split_query(&incoming.query)
                .into_iter()
                .find(|(k, _)| k == "refresh")
                .and_then(|(_, v)| v.parse::<u32>().ok())
                .filter(|s| (1..=3600).contains(s));
            html(200, render(shared, refresh))
        }
        ("POST", "pay") if form => {
            let fields = split_query(&String::from_utf8_lossy(&incoming.body).replace('+', " "));
            let field = |name: &str| {
                fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
                    .filter(|v| !v.is_empty())
            };
            let Some(out_trade_no) = field("out_trade_no") else {
                return Some(error_page(400, "PARAM_ERROR", "out_trade_no is required"));
            };
            match crate::payments::pay(shared, out_trade_no, field("merchant")) {
                Ok(_) => Answer::raw(303, "text/plain; charset=utf-8", "paid\n")
                    .with_header("Location", "/_sandbox/"),
                Err((status, code, message)) => error_page(status, code, message),
            }
        }
        ("POST", "pay") => {
            let pay = match control::json_body(&incoming.body)
                .and_then(|body| control::parse::<control::Pay>(&body, control::Pay::FORM))
            {
                Ok(pay) => pay,
                Err(answer) => return Some(answer),
            };
            match crate::payments::pay(shared, &pay.out_trade_no, pay.merchant.as_deref()) {
                Ok(t) => Answer::json(serde_json::to_value(t).unwrap_or(Value::Null)),
                Err((status, code, message)) => Answer::error(status, code, message),
            }
        }
        ("GET", "notifications") => Answer::json(Value::Array(
            shared
                .lifecycle
                .deliveries()
                .list
                .iter()
                .map(crate::Delivery::to_json)
                .collect(),
        )),
        ("POST", "notifications/redeliver") => {
            let redeliver = match control::json_body(&incoming.body).and_then(|body| {
                control::parse::<control::Redeliver>(&body, control::Redeliver::FORM)
            }) {
                Ok(redeliver) => redeliver,
                Err(answer) => return Some(answer),
            };
            if crate::delivery::redeliver(&shared.arc(), &redeliver.id) {
                Answer::empty()
            } else {
                Answer::error(
                    404,
                    "NOT_FOUND",
                    "no delivery with this id (or it was refused)",
                )
            }
        }
        ("GET", "orders") => Answer::json(Value::Array(crate::payments::orders_json(shared))),
        ("GET", "refunds") => Answer::json(Value::Array(crate::payments::refunds_json(shared))),
        _ => return None,
    })
}

fn html(status: u16, body: String) -> Answer {
    Answer::raw(status, "text/html; charset=utf-8", body)
}

fn error_page(status: u16, code: &str, message: &str) -> Answer {
    html(
        status,
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{code}</title></head><body><h1>{status} {code}</h1><p>{}</p><p><a href=\"/_sandbox/\">back</a></p></body></html>",
            escape(message)
        ),
    )
}

/// `&`, `<`, `>`, `"` and `'` escaped: every value on the page goes through this.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `¥1.00`, from fen.
fn yuan(fen: i64) -> String {
    format!("¥{}.{:02}", fen / 100, fen % 100)
}

/// The QR code of `text` as inline SVG.
fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(148, 148)
                .quiet_zone(true)
                .build();
            // Inline in HTML: without the XML declaration.
            match svg.find("<svg") {
                Some(start) => svg[start..].to_string(),
                None => svg,
            }
        }
        Err(_) => String::from("(no QR code: the URL is too long)"),
    }
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\
h1{font-size:20px;margin:0 0 .2em}h2{font-size:16px;margin:1.4em 0 .4em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}\
th{background:#f4f4f4}code,pre{font:12px ui-monospace,monospace}pre{margin:0;white-space:pre-wrap;word-break:break-all}\
.st{font-weight:600}.SUCCESS,.delivered{color:#1a7f37}.NOTPAY,.pending,.PROCESSING{color:#9a6700}.CLOSED,.failed,.refused{color:#cf222e}.REFUND{color:#0969da}\
mark{background:#fff3b0}button{padding:3px 14px}.muted{color:#777}svg{display:block}";

fn render(shared: &Shared, refresh: Option<u32>) -> String {
    let orders = crate::payments::orders_json(shared);
    let refunds = crate::payments::refunds_json(shared);
    let deliveries = shared.lifecycle.deliveries().list.clone();
    let received: Vec<Received> = {
        let state = shared.state();
        state
            .received
            .iter()
            .rev()
            .take(PAGE_REQUESTS)
            .cloned()
            .collect()
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>wxpay-sandbox</title>"
    );
    if let Some(secs) = refresh {
        let _ = write!(h, "<meta http-equiv=\"refresh\" content=\"{secs}\">");
    }
    let _ = write!(
        h,
        "<style>{STYLE}</style></head><body><h1>wxpay-sandbox</h1><p class=\"muted\">merchant <code>{}</code> · <code>{}</code> · <a href=\"/_sandbox/\">reload</a> · <a href=\"/_sandbox/?refresh=2\">reload every 2 s</a> · JSON: <a href=\"/_sandbox/orders\">orders</a>, <a href=\"/_sandbox/refunds\">refunds</a>, <a href=\"/_sandbox/notifications\">notifications</a>, <a href=\"/_sandbox/requests\">requests</a></p>",
        escape(&shared.identity.mchid),
        escape(&shared.base_url),
    );

    // Orders.
    let _ = write!(h, "<h2 id=\"orders\">Orders ({})</h2>", orders.len());
    if orders.is_empty() {
        h.push_str("<p class=\"muted\">None yet: create one with POST /v3/pay/transactions/{jsapi,app,h5,native}.</p>");
    } else {
        h.push_str("<table><tr><th>out_trade_no</th><th>kind</th><th>description</th><th>amount</th><th>trade_state</th><th>transaction_id</th><th>notify_url</th><th>payer</th></tr>");
        for o in &orders {
            let s = &o["sandbox"];
            let text = |v: &Value| escape(v.as_str().unwrap_or(""));
            let state = o["trade_state"].as_str().unwrap_or("");
            let merchant = o["sub_mchid"]
                .as_str()
                .or(o["mchid"].as_str())
                .unwrap_or("");
            let mut payer = String::new();
            if state == "NOTPAY" {
                let _ = write!(
                    payer,
                    "<form method=\"post\" action=\"/_sandbox/pay\"><input type=\"hidden\" name=\"out_trade_no\" value=\"{}\"><input type=\"hidden\" name=\"merchant\" value=\"{}\"><button type=\"submit\">Pay {}</button></form>",
                    text(&o["out_trade_no"]),
                    escape(merchant),
                    escape(&yuan(o["amount"]["total"].as_i64().unwrap_or(0))),
                );
                if let Some(url) = s["code_url"].as_str() {
                    let _ = write!(
                        payer,
                        "<div title=\"code_url: a real phone cannot pay it; the button can\">{}<code>{}</code></div>",
                        qr_svg(url),
                        escape(url)
                    );
                }
            } else if let Some(openid) = o["payer"]["openid"]
                .as_str()
                .or(o["payer"]["sp_openid"].as_str())
                .or(o["payer"]["sub_openid"].as_str())
            {
                let _ = write!(
                    payer,
                    "<code>{}</code> {}",
                    escape(openid),
                    text(&o["success_time"])
                );
            }
            let refunded = s["refunded"].as_i64().unwrap_or(0);
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}{}</td><td>{}</td><td>{}{}</td><td class=\"st {}\">{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
                text(&o["out_trade_no"]),
                text(&s["kind"]),
                if s["partner"] == true {
                    " (partner)"
                } else {
                    ""
                },
                text(&s["description"]),
                escape(&yuan(o["amount"]["total"].as_i64().unwrap_or(0))),
                if refunded > 0 {
                    format!(
                        "<br><span class=\"muted\">refunded {}</span>",
                        escape(&yuan(refunded))
                    )
                } else {
                    String::new()
                },
                escape(state),
                escape(state),
                text(&o["transaction_id"]),
                text(&s["notify_url"]),
                payer,
            );
        }
        h.push_str("</table>");
    }

    // Refunds.
    let _ = write!(h, "<h2 id=\"refunds\">Refunds ({})</h2>", refunds.len());
    if refunds.is_empty() {
        h.push_str("<p class=\"muted\">None yet.</p>");
    } else {
        h.push_str("<table><tr><th>out_refund_no</th><th>refund_id</th><th>out_trade_no</th><th>refund</th><th>status</th><th>create_time</th><th>success_time</th><th>notify_url</th></tr>");
        for r in &refunds {
            let text = |v: &Value| escape(v.as_str().unwrap_or(""));
            let status = r["status"].as_str().unwrap_or("");
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{} of {}</td><td class=\"st {}\">{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                text(&r["out_refund_no"]),
                text(&r["refund_id"]),
                text(&r["out_trade_no"]),
                escape(&yuan(r["amount"]["refund"].as_i64().unwrap_or(0))),
                escape(&yuan(r["amount"]["total"].as_i64().unwrap_or(0))),
                escape(status),
                escape(status),
                text(&r["create_time"]),
                text(&r["success_time"]),
                text(&r["sandbox"]["notify_url"]),
            );
        }
        h.push_str("</table>");
    }

    // Notifications.
    let _ = write!(
        h,
        "<h2 id=\"notifications\">Notifications ({})</h2>",
        deliveries.len()
    );
    if deliveries.is_empty() {
        h.push_str(
            "<p class=\"muted\">None yet: paying an order or a refund succeeding sends one.</p>",
        );
    } else {
        h.push_str("<table><tr><th>event_type</th><th>about</th><th>id</th><th>url</th><th>state</th><th>attempts: time, answer</th></tr>");
        for d in &deliveries {
            let mut attempts = String::new();
            if let Some(refusal) = &d.refusal {
                let _ = write!(attempts, "{}", escape(refusal));
            }
            for a in &d.attempts {
                let answer = match (a.status, &a.error) {
                    (Some(status), _) => format!("{status} <code>{}</code>", escape(&a.answer)),
                    (None, Some(e)) => format!("no answer: {}", escape(e)),
                    (None, None) => "no answer".into(),
                };
                let _ = write!(
                    attempts,
                    "<div>#{} {} → {answer}</div>",
                    a.number,
                    escape(&a.time)
                );
            }
            let _ = write!(
                h,
                "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td class=\"st {}\">{}</td><td>{}</td></tr>",
                escape(&d.event_type),
                escape(&d.subject),
                escape(&d.id),
                escape(&d.url),
                d.state.as_str(),
                d.state.as_str(),
                attempts,
            );
        }
        h.push_str("</table>");
    }

    // Requests.
    let _ = write!(
        h,
        "<h2 id=\"requests\">Received requests (latest {} of {PAGE_REQUESTS} at most; <mark>marked</mark> values arrived encrypted and are shown decrypted)</h2>",
        received.len()
    );
    if received.is_empty() {
        h.push_str("<p class=\"muted\">None yet.</p>");
    } else {
        h.push_str("<table><tr><th>request</th><th>answer</th><th>body (decrypted)</th></tr>");
        for r in &received {
            let marked: HashSet<&str> = r.encrypted.iter().map(String::as_str).collect();
            let mut query = String::new();
            for (k, v) in &r.query_params {
                let key = format!("?{k}");
                if marked.contains(key.as_str()) {
                    let _ = write!(
                        query,
                        "<div><code>{}=<mark title=\"sent encrypted\">{}</mark></code></div>",
                        escape(k),
                        escape(v)
                    );
                } else {
                    let _ = write!(query, "<div><code>{}={}</code></div>", escape(k), escape(v));
                }
            }
            let mut body = String::new();
            if !r.json.is_null() {
                body.push_str("<pre>");
                json_html(&mut body, &r.json, "", &marked, 0);
                body.push_str("</pre>");
            }
            let _ = write!(
                h,
                "<tr><td><code>{} /{}</code>{}</td><td>{}{}</td><td>{}</td></tr>",
                escape(&r.method),
                escape(&r.path),
                query,
                r.status,
                r.error_code
                    .as_deref()
                    .map(|c| format!(" <code>{}</code>", escape(c)))
                    .unwrap_or_default(),
                body,
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</body></html>\n");
    h
}

/// Pretty JSON as HTML, the values at `marked` paths (`a.b`, `a[0].b`) in `<mark>`.
fn json_html(out: &mut String, v: &Value, path: &str, marked: &HashSet<&str>, indent: usize) {
    let pad = "  ".repeat(indent + 1);
    let end_pad = "  ".repeat(indent);
    // A value that held JSON text with encrypted fields inside is marked as a whole.
    let is_marked = !path.is_empty()
        && (marked.contains(path)
            || (v.is_string()
                && marked.iter().any(|m| {
                    m.len() > path.len()
                        && m.starts_with(path)
                        && m[path.len()..].starts_with(['.', '['])
                })));
    match v {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (k, item)) in map.iter().enumerate() {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                let _ = write!(
                    out,
                    "{pad}{}: ",
                    escape(&Value::String(k.clone()).to_string())
                );
                json_html(out, item, &child, marked, indent + 1);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{end_pad}}}");
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                json_html(out, item, &format!("{path}[{i}]"), marked, indent + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{end_pad}]");
        }
        other => {
            let text = escape(&other.to_string());
            if is_marked {
                let _ = write!(
                    out,
                    "<mark title=\"sent encrypted, shown decrypted\">{text}</mark>"
                );
            } else {
                out.push_str(&text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn escapes_everything_html_cares_about() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn marks_decrypted_values() {
        let v = json!({"a": {"b": "secret", "c": 1}, "list": [{"name": "张三"}]});
        let marked: HashSet<&str> = ["a.b", "list[0].name"].into_iter().collect();
        let mut out = String::new();
        json_html(&mut out, &v, "", &marked, 0);
        assert!(
            out.contains(
                "<mark title=\"sent encrypted, shown decrypted\">&quot;secret&quot;</mark>"
            ),
            "{out}"
        );
        assert!(
            out.contains("<mark title=\"sent encrypted, shown decrypted\">&quot;张三&quot;</mark>"),
            "{out}"
        );
        assert!(out.contains("&quot;c&quot;: 1"), "{out}");
    }

    #[test]
    fn qr_is_inline_svg() {
        let svg = qr_svg("weixin://wxpay/bizpayurl?pr=abc");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert_eq!(yuan(1234), "¥12.34");
    }
}
