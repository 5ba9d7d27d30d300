//! Platform certificate refresh (`certificate_refresh(period)`): a download before the first
//! request, one every `period` in the background, and one at once, rate-limited, when an
//! answer or a notification names a serial the client does not hold.
//!
//! Everything lives in the client (no global state): each merchant refreshes its own
//! certificates. One download runs at a time per client; a failed download keeps the keys
//! already held. The background task holds only a weak reference to the client and stops
//! when the last clone is dropped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;
use wxpay_core::{CertificateAnswer, ConfigError, Error};

use crate::client::Client;

/// A download triggered by an unknown serial happens at most this often: an answer or a
/// notification can name any serial, and must not make the client hammer WeChat Pay.
pub(crate) const MIN_TRIGGERED_INTERVAL: Duration = Duration::from_secs(60);

/// After a failed download, the next background try comes this soon (or after the period,
/// when that is shorter).
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(60);

/// The shortest period accepted; shorter ones are raised to it.
pub(crate) const MIN_PERIOD: Duration = Duration::from_secs(1);

/// The refresh state of one client.
pub(crate) struct RefreshState {
    period: Option<Duration>,
    /// One download at a time.
    lock: tokio::sync::Mutex<()>,
    times: StdMutex<Times>,
    /// Whether a download triggered by a notification is in flight (set before its task is
    /// spawned, cleared when the task ends however it ends).
    background_in_flight: AtomicBool,
    /// Whether a background task is alive (cleared by the task when it ends, including when
    /// its runtime shuts down, so that the next request starts one in its own runtime).
    ticker_running: Arc<AtomicBool>,
    /// Dropped with the client: stops the background task at once.
    ticker_stop: StdMutex<Option<oneshot::Sender<()>>>,
}

#[derive(Default, Clone, Copy)]
struct Times {
    last_success: Option<Instant>,
    last_attempt: Option<Instant>,
    last_triggered: Option<Instant>,
}

impl RefreshState {
    pub(crate) fn new(period: Option<Duration>) -> Self {
        Self {
            period: period.map(|p| p.max(MIN_PERIOD)),
            lock: tokio::sync::Mutex::new(()),
            times: StdMutex::new(Times::default()),
            background_in_flight: AtomicBool::new(false),
            ticker_running: Arc::new(AtomicBool::new(false)),
            ticker_stop: StdMutex::new(None),
        }
    }

    /// Whether `certificate_refresh` was configured.
    pub(crate) fn enabled(&self) -> bool {
        self.period.is_some()
    }

    fn times(&self) -> Times {
        *self.times.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut Times)) {
        f(&mut self.times.lock().unwrap_or_else(|p| p.into_inner()));
    }

    /// How long the background task sleeps before its next download.
    fn next_wait(&self) -> Duration {
        let Some(period) = self.period else {
            return Duration::MAX;
        };
        let t = self.times();
        let wait = match (t.last_success, t.last_attempt) {
            (Some(success), Some(attempt)) if attempt <= success => {
                period.saturating_sub(success.elapsed())
            }
            (Some(success), None) => period.saturating_sub(success.elapsed()),
            // The last attempt failed: try again sooner than a whole period.
            (_, Some(attempt)) => RETRY_AFTER_FAILURE
                .min(period)
                .saturating_sub(attempt.elapsed()),
            (None, None) => period,
        };
        wait.max(Duration::from_millis(50))
    }
}

/// Clears the "triggered download in flight" flag when its task ends (or is dropped unrun).
struct InFlight(Arc<crate::client::Inner>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0
            .refresh
            .background_in_flight
            .store(false, Ordering::SeqCst);
    }
}

/// Clears the "ticker running" flag when the background task ends, however it ends.
struct TickerAlive(Arc<AtomicBool>);

impl Drop for TickerAlive {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl Client {
    /// Downloads the platform certificates now and installs them (the ones already held stay
    /// until they expire). Returns how many were downloaded: 0 in public-key mode (`404
    /// RESOURCE_NOT_EXISTS`), which is an error only when the client holds no WeChat Pay key
    /// at all. On failure, the keys already held are kept.
    pub async fn refresh_certificates(&self) -> Result<usize, Error> {
        self.refresh_locked(Instant::now(), false).await
    }

    /// Before a request: the first download (with `certificate_refresh`), and the background
    /// task started in this runtime if none is running.
    pub(crate) async fn refresh_if_due(&self) -> Result<(), Error> {
        let state = &self.inner.refresh;
        if !state.enabled() {
            return Ok(());
        }
        self.start_ticker();
        let t = state.times();
        if t.last_success.is_some() {
            // From now on the background task keeps them fresh.
            return Ok(());
        }
        let have_keys = !self.inner.engine.key_store().is_empty();
        if have_keys
            && t.last_attempt
                .is_some_and(|a| a.elapsed() < RETRY_AFTER_FAILURE.min(self.period()))
        {
            // The first download failed a moment ago: go on with the configured keys.
            return Ok(());
        }
        match self.refresh_locked(Instant::now(), true).await {
            Ok(_) => Ok(()),
            // A failed refresh keeps the keys already held.
            Err(_) if have_keys => Ok(()),
            Err(e) => Err(e),
        }
    }

    fn period(&self) -> Duration {
        self.inner.refresh.period.unwrap_or(Duration::MAX)
    }

    /// An answer or a notification named `serial`, which the client does not hold: download
    /// the certificates at once, unless another download already brought it or one was
    /// triggered less than [`MIN_TRIGGERED_INTERVAL`] ago. Whether the serial is held now.
    pub(crate) async fn refresh_for_serial(&self, serial: &str) -> bool {
        let state = &self.inner.refresh;
        let engine = &self.inner.engine;
        if !state.enabled() {
            return false;
        }
        if engine.key_store().contains(serial) {
            return true;
        }
        let _guard = state.lock.lock().await;
        // Concurrent requests that met the same new serial wait here; the first one's
        // download serves them all.
        if engine.key_store().contains(serial) {
            return true;
        }
        if state
            .times()
            .last_triggered
            .is_some_and(|t| t.elapsed() < MIN_TRIGGERED_INTERVAL)
        {
            return false;
        }
        state.update(|t| t.last_triggered = Some(Instant::now()));
        let _ = self.download_and_install().await;
        engine.key_store().contains(serial)
    }

    /// [`refresh_for_serial`](Self::refresh_for_serial) without waiting (notifications are
    /// parsed synchronously): WeChat Pay's retry of the notification will verify. Needs a
    /// Tokio runtime; without one, nothing happens.
    ///
    /// Everything that can say no is checked before a task is spawned: the serial may already
    /// be held, a triggered download may have run less than [`MIN_TRIGGERED_INTERVAL`] ago, or
    /// one may be in flight. A flood of forged notifications naming unknown serials costs their
    /// verification and nothing else: at most one task exists at a time.
    pub(crate) fn refresh_in_background(&self, serial: String) {
        let state = &self.inner.refresh;
        if !state.enabled() || self.inner.engine.key_store().contains(&serial) {
            return;
        }
        let recently = state
            .times()
            .last_triggered
            .is_some_and(|t| t.elapsed() < MIN_TRIGGERED_INTERVAL);
        if recently {
            return;
        }
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if state.background_in_flight.swap(true, Ordering::SeqCst) {
            return;
        }
        let in_flight = InFlight(self.inner.clone());
        handle.spawn(async move {
            let client = Client {
                inner: in_flight.0.clone(),
            };
            client.refresh_for_serial(&serial).await;
            drop(in_flight);
        });
    }

    /// One download under the lock. With `skip_if_fresh`, a download that succeeded after
    /// `started` (while this one waited for the lock) is enough.
    async fn refresh_locked(&self, started: Instant, skip_if_fresh: bool) -> Result<usize, Error> {
        let state = &self.inner.refresh;
        let _guard = state.lock.lock().await;
        if skip_if_fresh && state.times().last_success.is_some_and(|s| s > started) {
            return Ok(self.inner.engine.key_store().certificates().len());
        }
        self.download_and_install().await
    }

    /// Downloads, verifies and installs; the caller holds the lock. Failures are WARN events,
    /// successes INFO (how many, and their serials, which are public).
    async fn download_and_install(&self) -> Result<usize, Error> {
        let state = &self.inner.refresh;
        state.update(|t| t.last_attempt = Some(Instant::now()));
        let result = self.download_certificates().await;
        match &result {
            Ok(_) => state.update(|t| t.last_success = Some(Instant::now())),
            Err(error) => tracing::warn!(
                target: "wxpay::certificates",
                %error,
                "platform certificate refresh failed; the keys held are kept",
            ),
        }
        result
    }

    async fn download_certificates(&self) -> Result<usize, Error> {
        let engine = &self.inner.engine;
        let prepared = engine.prepare_certificate_download(self.inner.base_url.as_deref())?;
        let answer = self.execute(&prepared).await?;
        match engine.read_certificates(answer.status, &answer.headers, &answer.body)? {
            CertificateAnswer::Certificates(certs) => {
                let count = certs.len();
                let serials: Vec<&str> = certs.iter().map(|c| c.serial()).collect();
                tracing::info!(
                    target: "wxpay::certificates",
                    count,
                    serials = ?serials,
                    "platform certificates refreshed",
                );
                engine.install_certificates(certs);
                Ok(count)
            }
            CertificateAnswer::PublicKeyMode if engine.key_store().is_empty() => {
                Err(ConfigError::Missing(
                        "wechatpay_public_key: this merchant is in public-key mode (v3/certificates answered 404 RESOURCE_NOT_EXISTS)",
                    )
                    .into())
            }
            CertificateAnswer::PublicKeyMode => {
                tracing::debug!(
                    target: "wxpay::certificates",
                    "no platform certificates: the merchant is in public-key mode",
                );
                Ok(0)
            }
        }
    }

    /// Starts the background task in the current runtime, unless one is running.
    fn start_ticker(&self) {
        let state = &self.inner.refresh;
        if !state.enabled() || state.ticker_running.swap(true, Ordering::SeqCst) {
            return;
        }
        let alive = TickerAlive(state.ticker_running.clone());
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return; // `alive` is dropped: not running.
        };
        let (stop, mut stopped) = oneshot::channel::<()>();
        *state.ticker_stop.lock().unwrap_or_else(|p| p.into_inner()) = Some(stop);
        let weak = Arc::downgrade(&self.inner);
        handle.spawn(async move {
            let _alive = alive;
            loop {
                let wait = match weak.upgrade() {
                    Some(inner) => inner.refresh.next_wait(),
                    None => return,
                };
                tokio::select! {
                    // The client was dropped (or a newer task replaced this one).
                    _ = &mut stopped => return,
                    _ = tokio::time::sleep(wait) => {}
                }
                let Some(inner) = weak.upgrade() else { return };
                let client = Client { inner };
                // A failure keeps the keys held; the next try comes sooner (`next_wait`).
                let _ = client.refresh_locked(Instant::now(), true).await;
            }
        });
    }
}
