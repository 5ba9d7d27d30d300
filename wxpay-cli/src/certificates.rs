//! `wxpay certificates`: downloads the platform certificates (`GET v3/certificates`),
//! decrypts them with the APIv3 key, verifies the answer and saves them.

use std::path::PathBuf;

use clap::Args;
use wxpay::{CertificateAnswer, Client};

use crate::config::Settings;
use crate::error::CliError;
use crate::http;
use crate::output;
use crate::time::utc;

#[derive(Args, Debug)]
pub struct CertificatesArgs {
    /// Save them into DIR as wechatpay_<SERIAL>.pem (else they are only listed)
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// What a download found, with the key that signed the answer.
pub struct Downloaded {
    pub answer: CertificateAnswer,
    /// `Wechatpay-Serial` of the answer, and whether that key was configured (else it is one
    /// of the certificates the answer carries).
    pub signer: Option<(String, bool)>,
}

/// Downloads, decrypts and verifies the platform certificates. Does not install them.
pub async fn download(client: &Client, base_url: &str) -> Result<Downloaded, CliError> {
    let engine = client.engine();
    let keys = engine.key_store();
    // With no WeChat Pay key yet, the request names none (no Wechatpay-Serial).
    let prepared = engine.prepare_certificate_download(Some(base_url))?;
    let answer = http::send(client, &prepared, None).await?;
    let read = engine
        .read_certificates(answer.status, &answer.headers, &answer.body)
        .map_err(|e| {
            let request_id = match (&e, answer.request_id()) {
                // Api errors name it already.
                (wxpay::Error::Api { .. }, _) | (_, None) => String::new(),
                (_, Some(id)) => format!(" (Request-ID {id})"),
            };
            CliError::from(e).with_suffix(&request_id)
        })?;
    let signer = answer
        .headers
        .get("Wechatpay-Serial")
        .and_then(|v| v.to_str().ok())
        .map(|s| (s.to_string(), keys.contains(s)));
    Ok(Downloaded {
        answer: read,
        signer,
    })
}

pub async fn run(settings: &Settings, args: CertificatesArgs) -> Result<(), CliError> {
    settings.require_apiv3_key("decrypting the platform certificates")?;
    let client = http::client(settings.engine(None)?, settings.timeout)?;
    let engine = client.engine();
    let downloaded = download(&client, &settings.base_url).await?;
    let certs = match downloaded.answer {
        CertificateAnswer::Certificates(certs) => certs,
        CertificateAnswer::PublicKeyMode => {
            eprintln!(
                "public-key mode: this merchant has no platform certificates (WeChat Pay \
                 answered 404 RESOURCE_NOT_EXISTS). Verify answers and notifications with the \
                 WeChat Pay public key instead: download pub_key.pem and its id PUB_KEY_ID_… \
                 from the merchant platform (API安全) and give --public-key-id and --public-key."
            );
            return Ok(());
        }
    };
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::usage(format!("cannot create folder {}: {e}", dir.display())))?;
    }
    let now = engine.now();
    for cert in &certs {
        let validity = if now < cert.not_before() {
            "not yet valid"
        } else if now > cert.not_after() {
            "EXPIRED"
        } else {
            "valid"
        };
        let mut line = format!(
            "{}  {validity}  {} to {}",
            cert.serial(),
            utc(cert.not_before()),
            utc(cert.not_after())
        );
        if let Some(dir) = &args.out {
            let path = dir.join(format!("wechatpay_{}.pem", cert.serial()));
            std::fs::write(&path, cert.to_pem())
                .map_err(|e| CliError::failure(format!("cannot write {}: {e}", path.display())))?;
            line.push_str("  ");
            line.push_str(&path.display().to_string());
        }
        output::line(&line)?;
    }
    let signer = match &downloaded.signer {
        Some((serial, true)) => format!("signed by {serial}, a key you configured"),
        Some((serial, false)) => {
            format!("signed by {serial}, one of the certificates it carries")
        }
        None => "signed".to_string(),
    };
    eprintln!(
        "{} certificate(s) downloaded; the answer is verified ({signer}) and each certificate \
         decrypted with the APIv3 key{}",
        certs.len(),
        if args.out.is_none() {
            "; give --out DIR to save them"
        } else {
            ""
        }
    );
    Ok(())
}
