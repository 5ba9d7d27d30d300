//! The main example: the three seed endpoints and `v3/security/echo`, end to end.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With no environment set it starts the embedded sandbox (a real HTTP server on 127.0.0.1
//! with fresh keys) and talks to it: no account, no network. It prints what was sent (the
//! encrypted fields as ciphertext), what the server decrypted, and what came back.
//!
//! With `WXPAY_MCHID`, `WXPAY_MERCHANT_SERIAL`, `WXPAY_MERCHANT_KEY` (path of
//! `apiclient_key.pem`), `WXPAY_PUBLIC_KEY_ID`, `WXPAY_PUBLIC_KEY` (path of `pub_key.pem`) set,
//! it sends `v3/security/echo` to the real API instead (`WXPAY_BASE_URL` overrides the host).

#[path = "common/seeds.rs"]
mod seeds;

use wxpay::Endpoint;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::var_os("WXPAY_MCHID").is_some() {
        return real_api().await;
    }

    println!("Starting the embedded WeChat Pay sandbox…");
    let sandbox = wxpay_sandbox::Sandbox::start().await?;
    println!("  listening on {}", sandbox.base_url());
    let client = sandbox.client();

    step(
        &client,
        &sandbox,
        "APP presign (2 encrypted fields)",
        &seeds::app_presign(),
    )
    .await?;
    step(
        &client,
        &sandbox,
        "H5 presign (2 encrypted fields)",
        &seeds::h5_presign(),
    )
    .await?;
    step(
        &client,
        &sandbox,
        "school presign (5 encrypted fields)",
        &seeds::edu_presign(),
    )
    .await?;
    step(
        &client,
        &sandbox,
        "security echo (encrypted both ways)",
        &seeds::echo(),
    )
    .await?;

    println!("\nAll four requests were signed, encrypted, verified by the sandbox, and their");
    println!("answers verified (and decrypted) by the client.");
    Ok(())
}

async fn step<E>(
    client: &wxpay::Client,
    sandbox: &wxpay_sandbox::Sandbox,
    title: &str,
    request: &E,
) -> Result<(), Box<dyn std::error::Error>>
where
    E: Endpoint,
    E::Response: std::fmt::Debug,
{
    println!("\n── {title} ──");
    let prepared = client.prepare(request)?;
    println!("→ {} {}", prepared.method(), prepared.url());
    println!(
        "  Wechatpay-Serial: {}",
        prepared.headers()["Wechatpay-Serial"].to_str()?
    );
    let body: serde_json::Value = serde_json::from_slice(prepared.body())?;
    println!("  body as sent (ciphertexts shortened):");
    println!("{}", indent(&serde_json::to_string_pretty(&shorten(body))?));

    let answer = client.send(request).await?;
    let received = sandbox.received();
    if let Some(last) = received.last() {
        println!("  what the sandbox decrypted with the WeChat Pay private key:");
        println!("{}", indent(&serde_json::to_string_pretty(&last.json)?));
    }
    println!("← verified answer: {answer:?}");
    Ok(())
}

/// Replaces long base64 ciphertexts by their first characters, so the output stays readable.
fn shorten(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) if s.len() > 300 => Value::String(format!(
            "{}… ({} chars of RSA-OAEP ciphertext)",
            &s[..24],
            s.len()
        )),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, shorten(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(shorten).collect()),
        other => other,
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn real_api() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let mut builder = wxpay::Client::builder()
        .mchid(var("WXPAY_MCHID")?)
        .merchant_key(
            var("WXPAY_MERCHANT_SERIAL")?,
            std::fs::read(var("WXPAY_MERCHANT_KEY")?)?,
        )
        .wechatpay_public_key(
            var("WXPAY_PUBLIC_KEY_ID")?,
            std::fs::read(var("WXPAY_PUBLIC_KEY")?)?,
        );
    if let Ok(url) = var("WXPAY_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;
    let answer = client.send(&seeds::echo()).await?;
    println!("echo_message: {}", answer.echo_message);
    println!(
        "encrypted_echo_message decrypted: {}",
        answer.encrypted_echo_message.is_some()
    );
    Ok(())
}
