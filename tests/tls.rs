//! TLS: wxpay's own client verifies the server's certificate against Mozilla's roots compiled
//! in (not a certificate the test made up), and a client given to `http_client` is used with its
//! own roots. The TLS server is `openssl s_server` (CI installs the `openssl` command).

#[path = "../examples/common/seeds.rs"]
mod seeds;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use wxpay::reqwest;
use wxpay::{Client, Error, TransportError, VerifyError};

const MERCHANT_KEY: &str = include_str!("../wxpay-core/tests/fixtures/merchant_key.pem");
const PUBLIC_KEY: &str = include_str!("../wxpay-core/tests/fixtures/wechatpay_public_key.pem");

/// `openssl s_server -www` on 127.0.0.1 with a certificate for `localhost` issued by a CA
/// made for the test; stopped on drop.
struct TlsServer {
    child: Child,
    addr: SocketAddr,
    /// The CA that issued the server's certificate.
    ca_pem: Vec<u8>,
    dir: PathBuf,
}

impl TlsServer {
    fn start(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("wxpay-tls-test-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let openssl = |args: &[&str]| {
            let status = Command::new("openssl")
                .args(args)
                .current_dir(&dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("the openssl command (apt-get install openssl)");
            assert!(status.success(), "openssl {args:?} failed");
        };
        // A CA of the test's own, and a server certificate for `localhost` it issues.
        let rsa = ["-newkey", "rsa:2048", "-nodes"];
        openssl(
            &[
                &["req", "-x509"][..],
                &rsa,
                &["-days", "1", "-subj", "/CN=wxpay test CA"],
                &["-keyout", "ca.key", "-out", "ca.pem"],
            ]
            .concat(),
        );
        openssl(
            &[
                &["req"][..],
                &rsa,
                &[
                    "-subj",
                    "/CN=localhost",
                    "-keyout",
                    "key.pem",
                    "-out",
                    "leaf.csr",
                ],
            ]
            .concat(),
        );
        std::fs::write(
            dir.join("leaf.ext"),
            "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            "leaf.ext",
            "-out",
            "cert.pem",
        ]);
        let (key, cert) = (dir.join("key.pem"), dir.join("cert.pem"));
        // A free port: bound, read, released, then taken by s_server.
        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let child = Command::new("openssl")
            .args(["s_server", "-quiet", "-www"])
            .arg("-accept")
            .arg(addr.to_string())
            .arg("-cert")
            .arg(&cert)
            .arg("-key")
            .arg(&key)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl s_server");
        let server = TlsServer {
            child,
            addr,
            ca_pem: std::fs::read(dir.join("ca.pem")).unwrap(),
            dir,
        };
        // Ready when it accepts a connection (at most 10 s).
        for _ in 0..200 {
            if TcpStream::connect(addr).is_ok() {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("openssl s_server did not start");
    }

    fn base_url(&self) -> String {
        format!("https://localhost:{}/", self.addr.port())
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn builder(base_url: &str) -> wxpay::ClientBuilder {
    Client::builder()
        .mchid("1900000001")
        .merchant_key("5F1C72E2A8931B72A2E13AF8DEE92471EB397115", MERCHANT_KEY)
        .wechatpay_public_key("PUB_KEY_ID_0114232134912410000000000000", PUBLIC_KEY)
        .base_url(base_url)
}

fn query() -> seeds::QueryContract {
    seeds::QueryContract {
        out_contract_code: "C1".into(),
        sub_mchid: None,
    }
}

#[tokio::test]
async fn the_own_client_refuses_a_certificate_outside_the_mozilla_roots() {
    let server = TlsServer::start("own");
    let client = builder(&server.base_url()).build().unwrap();
    match client.send(&query()).await {
        Err(Error::Transport(TransportError::Connect(message))) => {
            assert!(
                message.contains("invalid peer certificate: UnknownIssuer"),
                "{message}"
            );
        }
        other => panic!("expected a certificate error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_given_client_connects_with_its_own_roots() {
    let server = TlsServer::start("given");
    let certificate = reqwest::Certificate::from_pem(&server.ca_pem).unwrap();
    let http = reqwest::Client::builder()
        .tls_certs_only([certificate])
        .resolve("localhost", server.addr)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = builder(&server.base_url())
        .http_client(http)
        .build()
        .unwrap();
    // The handshake succeeded: s_server answered its HTML status page, which is unsigned.
    match client.send(&query()).await {
        Err(Error::Verification { error: e, .. }) => {
            assert_eq!(e, VerifyError::MissingHeader("Wechatpay-Timestamp"));
        }
        other => panic!("expected the unsigned answer to fail verification, got {other:?}"),
    }
}
