//! What one sandbox knows that changes: its script (routes, faults, bills, received
//! requests), the key mode and platform certificates, and [`Shared`], everything the server
//! and the handle share, with its [`Lifecycle`]: the ledger and the deliveries under their
//! locks, for `payments` and `delivery`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

use wxpay_core::Error;

use crate::answer::Route;
use crate::bill::{BillDigestKey, BillFile, BillSpec};
use crate::deliveries::{Deliveries, DeliveryConfig};
use crate::fault::{FaultChooser, FaultQueue};
use crate::keys::{Identity, KeyMode, KeyRef, PlatformCert};
use crate::ledger::Ledger;
use crate::received::Received;

/// The mutable part.
pub(crate) struct State {
    /// Oldest first.
    pub(crate) platform: Vec<Arc<PlatformCert>>,
    pub(crate) mode: KeyMode,
    pub(crate) routes: Vec<Route>,
    pub(crate) faults: FaultQueue,
    /// Chooses the fault of an answer no queued fault applies to.
    pub(crate) fault_chooser: Option<FaultChooser>,
    pub(crate) received: Vec<Received>,
    pub(crate) counter: u64,
    /// The serial or id of the key that signs every answer and notification, when pinned.
    pub(crate) signer: Option<String>,
    /// What bill queries serve from now on.
    pub(crate) bills: BillSpec,
    /// Bills handed out, by download token.
    pub(crate) issued_bills: HashMap<String, BillFile>,
    /// Digests of generated bills (a big one takes a while to hash).
    pub(crate) bill_digests: HashMap<BillDigestKey, String>,
}

impl State {
    /// The WeChat Pay key with this serial or id, when this mode knows it.
    pub(crate) fn key_named(&self, identity: &Identity, serial: &str) -> Option<KeyRef> {
        if self.mode != KeyMode::CertificatesOnly
            && identity.wechatpay.id.eq_ignore_ascii_case(serial)
        {
            return Some(KeyRef {
                serial: identity.wechatpay.id.clone(),
                key: identity.wechatpay.key.clone(),
            });
        }
        if self.mode == KeyMode::PublicKeyOnly {
            return None;
        }
        self.platform
            .iter()
            .find(|c| c.serial.eq_ignore_ascii_case(serial))
            .map(|c| KeyRef {
                serial: c.serial.clone(),
                key: c.key.clone(),
            })
    }

    /// The key an answer is signed with: the one the request named, if known, else the
    /// public key (the newest certificate when `prefer_certificate` or in certificate mode).
    pub(crate) fn signing_key(
        &self,
        identity: &Identity,
        requested: Option<&str>,
        prefer_certificate: bool,
    ) -> KeyRef {
        if let Some(key) = self
            .signer
            .as_deref()
            .and_then(|s| self.any_key(identity, s))
        {
            return key;
        }
        if let Some(key) = requested.and_then(|s| self.key_named(identity, s)) {
            return key;
        }
        let now = crate::time::now();
        let newest = self
            .platform
            .iter()
            .rev()
            .find(|c| c.not_before <= now && now <= c.not_after)
            .or(self.platform.last());
        match newest {
            Some(cert)
                if self.mode == KeyMode::CertificatesOnly
                    || (prefer_certificate && self.mode == KeyMode::Both) =>
            {
                KeyRef {
                    serial: cert.serial.clone(),
                    key: cert.key.clone(),
                }
            }
            _ => KeyRef {
                serial: identity.wechatpay.id.clone(),
                key: identity.wechatpay.key.clone(),
            },
        }
    }

    /// The WeChat Pay key with this serial or id, whatever the mode.
    fn any_key(&self, identity: &Identity, serial: &str) -> Option<KeyRef> {
        if identity.wechatpay.id.eq_ignore_ascii_case(serial) {
            return Some(KeyRef {
                serial: identity.wechatpay.id.clone(),
                key: identity.wechatpay.key.clone(),
            });
        }
        self.platform
            .iter()
            .find(|c| c.serial.eq_ignore_ascii_case(serial))
            .map(|c| KeyRef {
                serial: c.serial.clone(),
                key: c.key.clone(),
            })
    }

    /// Scripts `route`, replacing an earlier script of the same method and pattern.
    pub(crate) fn add_route(&mut self, route: Route) {
        self.routes.retain(|r| !r.same_as(&route));
        self.routes.push(route);
    }

    /// A fresh `Request-ID`.
    pub(crate) fn request_id(&mut self) -> String {
        self.counter += 1;
        let random: String = crate::keygen::random_bytes::<8>()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        format!("08{random}{:08X}", self.counter)
    }
}

/// Everything one sandbox shares between its server and its handle.
pub(crate) struct Shared {
    pub(crate) identity: Identity,
    state: Mutex<State>,
    pub(crate) base_url: String,
    /// Orders, refunds and notification deliveries (`payments`, `delivery`).
    pub(crate) lifecycle: Lifecycle,
}

impl Shared {
    pub(crate) fn new(identity: Identity, platform: PlatformCert, base_url: String) -> Self {
        Self {
            identity,
            state: Mutex::new(State {
                platform: vec![Arc::new(platform)],
                mode: KeyMode::default(),
                routes: Vec::new(),
                faults: FaultQueue::default(),
                fault_chooser: None,
                received: Vec::new(),
                counter: 0,
                signer: None,
                bills: BillSpec::default(),
                issued_bills: HashMap::new(),
                bill_digests: HashMap::new(),
            }),
            base_url,
            lifecycle: Default::default(),
        }
    }

    /// The newest platform certificate.
    pub(crate) fn newest_certificate(&self) -> Arc<PlatformCert> {
        self.state()
            .platform
            .last()
            .cloned()
            .expect("a sandbox always has a platform certificate")
    }

    /// Issues a new platform certificate valid from a minute ago until `lifetime` from now
    /// (the key is generated without the state locked) and returns its serial.
    pub(crate) fn rotate_platform_certificate(
        &self,
        lifetime: std::time::Duration,
    ) -> Result<String, Error> {
        let cert = PlatformCert::generate_valid_for(lifetime)?;
        let serial = cert.serial.clone();
        self.state().platform.push(Arc::new(cert));
        Ok(serial)
    }

    /// The state; a panic while it was held (a bug) does not poison the sandbox.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// This sandbox's `Arc` (set at start).
    pub(crate) fn arc(&self) -> Arc<Shared> {
        self.lifecycle
            .me
            .get()
            .and_then(Weak::upgrade)
            .expect("the sandbox's Arc is set at start and outlives its tasks")
    }
}

/// What the payment simulation keeps, beside the sandbox's [`State`],
/// under locks of its own (taken after the state's lock, never before it).
#[derive(Default)]
pub(crate) struct Lifecycle {
    ledger: Mutex<Ledger>,
    deliveries: Mutex<Deliveries>,
    config: Mutex<DeliveryConfig>,
    runtime: OnceLock<tokio::runtime::Handle>,
    /// The sandbox's own `Arc`, for the tasks that outlive a request.
    me: OnceLock<Weak<Shared>>,
}

impl Lifecycle {
    /// Called once, right after the sandbox's `Arc` is made.
    pub(crate) fn set_self(&self, shared: &Arc<Shared>) {
        let _ = self.me.set(Arc::downgrade(shared));
    }

    pub(crate) fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn deliveries(&self) -> MutexGuard<'_, Deliveries> {
        self.deliveries.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn config(&self) -> DeliveryConfig {
        self.config
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn set_config(&self, config: DeliveryConfig) {
        *self.config.lock().unwrap_or_else(|p| p.into_inner()) = config;
    }

    /// The runtime that serves the sandbox, on which deliveries run.
    pub(crate) fn set_runtime(&self, handle: tokio::runtime::Handle) {
        let _ = self.runtime.set(handle);
    }

    /// Runs `task` on the sandbox's runtime (from any thread).
    pub(crate) fn spawn(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        match self.runtime.get() {
            Some(handle) => drop(handle.spawn(task)),
            None => drop(tokio::spawn(task)),
        }
    }
}
