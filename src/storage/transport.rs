//! The HTTP transport every publishing path goes through: the offline switch, the HTTPS rule,
//! timeouts, retries with backoff (honouring `Retry-After`), gzip request bodies, progress,
//! cancellation, no redirects, and one network-log line per request.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::netlog::{NetEntry, NetLog};
use super::secret::Secret;

pub use reqwest::{Method, StatusCode};

/// Request bodies above this size are sent gzip-compressed where the server accepts it.
pub const GZIP_ABOVE: usize = 1024;
/// The longest `Retry-After` honoured, in seconds.
pub const MAX_RETRY_AFTER: u64 = 60;
/// The largest response body read (a hostile server cannot exhaust memory).
pub const MAX_RESPONSE: u64 = 64 * 1024 * 1024;

/// How the transport behaves.
#[derive(Clone, Debug)]
pub struct TransportOptions {
    /// When true nothing is sent at all.
    pub offline: bool,
    /// Limit for a whole request and its answer.
    pub timeout: Duration,
    /// Limit for establishing a connection.
    pub connect_timeout: Duration,
    /// Attempts per call, the first included.
    pub attempts: u32,
    /// First backoff delay; doubled after each failed attempt.
    pub backoff: Duration,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            offline: false,
            timeout: Duration::from_secs(300),
            connect_timeout: Duration::from_secs(15),
            attempts: 5,
            backoff: Duration::from_millis(500),
        }
    }
}

/// A flag that stops a transfer, shared with whoever may press Cancel.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks the transfer to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// True once cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Receives `(bytes done, bytes total)` while a body is sent or received.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// Progress and cancellation of one transfer.
#[derive(Clone, Default)]
pub struct Transfer {
    /// Receives bytes done and total.
    pub progress: Option<Progress>,
    /// Stops the transfer.
    pub cancel: Cancel,
}

/// Why a request did not produce an answer. Messages name hosts and paths, never secrets.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// Offline mode is on.
    #[error("offline mode is on: nothing was sent (turn it off to publish)")]
    Offline,
    /// Plain HTTP to a host that is not this computer, or another scheme.
    #[error(
        "refusing to send to {0}: only https:// is allowed, and plain http:// only to this computer (loopback)"
    )]
    InsecureUrl(String),
    /// The author cancelled.
    #[error("cancelled")]
    Cancelled,
    /// No connection could be made.
    #[error("cannot connect to {host}: {detail}")]
    Connect {
        /// Host.
        host: String,
        /// The system's reason.
        detail: String,
    },
    /// The TLS handshake failed (certificate, protocol).
    #[error("secure connection to {host} failed: {detail}")]
    Tls {
        /// Host.
        host: String,
        /// The TLS library's reason.
        detail: String,
    },
    /// No answer in time.
    #[error("{host} did not answer within {secs} s")]
    Timeout {
        /// Host.
        host: String,
        /// The limit.
        secs: u64,
    },
    /// The connection broke after the request may have been received.
    #[error("the connection to {host} was lost before the whole answer arrived: {detail}")]
    Lost {
        /// Host.
        host: String,
        /// What broke.
        detail: String,
    },
    /// The server redirected; credentials are never sent to another place.
    #[error(
        "{host} answered with a redirect ({status}) to {location}; not followed, so that credentials stay put"
    )]
    Redirect {
        /// Host.
        host: String,
        /// The 3xx status.
        status: u16,
        /// Where it pointed.
        location: String,
    },
    /// The answer was larger than synmap reads.
    #[error("{host} sent an answer larger than {} MiB", MAX_RESPONSE / 1024 / 1024)]
    TooLarge {
        /// Host.
        host: String,
    },
}

impl TransportError {
    /// True when the request may have reached the server although no answer came back.
    pub fn may_have_landed(&self) -> bool {
        matches!(self, TransportError::Lost { .. } | TransportError::Timeout { .. })
    }

    fn transient(&self) -> bool {
        matches!(
            self,
            TransportError::Connect { .. } | TransportError::Lost { .. } | TransportError::Timeout { .. }
        )
    }
}

/// Refuses anything but HTTPS, except plain HTTP to loopback (127.0.0.0/8, ::1, localhost).
pub fn check_url(url: &Url) -> Result<(), TransportError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        _ => Err(TransportError::InsecureUrl(redacted(url))),
    }
}

/// True when the URL's host is this computer.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The URL without its query string and credentials, safe for messages.
pub fn redacted(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    let _ = u.set_password(None);
    let _ = u.set_username("");
    u.to_string()
}

/// One HTTP call to make.
pub struct Call {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Arc<Vec<u8>>>,
    progress: Option<Progress>,
    cancel: Cancel,
}

impl Call {
    /// A call without a body.
    pub fn new(method: Method, url: Url) -> Call {
        Call { method, url, headers: HeaderMap::new(), body: None, progress: None, cancel: Cancel::default() }
    }

    /// Adds a header (a value that cannot be a header value is dropped with a warning).
    pub fn header(mut self, name: &'static str, value: &str) -> Call {
        match HeaderValue::from_str(value) {
            Ok(v) => {
                self.headers.insert(HeaderName::from_static(name), v);
            }
            Err(_) => log::warn!("header {name} dropped: not a valid header value"),
        }
        self
    }

    /// Adds a header that holds a secret: marked sensitive so no debug output shows it.
    pub fn secret_header(mut self, name: &'static str, prefix: &str, secret: &Secret) -> Call {
        if let Ok(mut v) = HeaderValue::from_str(&format!("{prefix}{}", secret.expose())) {
            v.set_sensitive(true);
            self.headers.insert(HeaderName::from_static(name), v);
        }
        self
    }

    /// Sets the body; above [`GZIP_ABOVE`] bytes it is compressed and marked
    /// `Content-Encoding: gzip` when `gzip` is true.
    pub fn body(mut self, bytes: Vec<u8>, gzip: bool) -> Call {
        let bytes = if gzip && bytes.len() > GZIP_ABOVE {
            use std::io::Write;
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&bytes).expect("writing to memory");
            self.headers.insert(reqwest::header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            enc.finish().expect("writing to memory")
        } else {
            bytes
        };
        self.body = Some(Arc::new(bytes));
        self
    }

    /// Reports progress of the body sent and the answer received.
    pub fn progress(mut self, progress: Option<Progress>) -> Call {
        self.progress = progress;
        self
    }

    /// Lets the transfer be cancelled.
    pub fn cancel(mut self, cancel: &Cancel) -> Call {
        self.cancel = cancel.clone();
        self
    }
}

/// A complete answer.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Sends calls; cheap to share between threads.
#[derive(Clone)]
pub struct Transport {
    client: reqwest::blocking::Client,
    options: TransportOptions,
    log: NetLog,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").field("options", &self.options).finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport with these options that records every request in `log`.
    pub fn new(options: TransportOptions, log: NetLog) -> Transport {
        // reqwest is built without a default TLS provider: use ring's.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::blocking::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(options.timeout)
            .connect_timeout(options.connect_timeout)
            .user_agent(concat!("synmap/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client configuration is valid");
        Transport { client, options, log }
    }

    /// The network log.
    pub fn log(&self) -> &NetLog {
        &self.log
    }

    /// The options.
    pub fn options(&self) -> &TransportOptions {
        &self.options
    }

    /// Sends a call, retrying connection failures, 429 and 5xx answers with backoff. Every call
    /// synmap makes is safe to send again (idempotency keys, `If-Match`, deterministic ETags).
    pub fn send(&self, call: &Call) -> Result<Reply, TransportError> {
        check_url(&call.url)?;
        let mut delay = self.options.backoff;
        let attempts = self.options.attempts.max(1);
        for attempt in 1..=attempts {
            if self.options.offline {
                return Err(TransportError::Offline);
            }
            if call.cancel.is_cancelled() {
                return Err(TransportError::Cancelled);
            }
            let last = attempt == attempts;
            match self.once(call) {
                Ok(reply) => {
                    let status = reply.status.as_u16();
                    if last || !(status == 429 || status >= 500) {
                        return Ok(reply);
                    }
                    let wait = retry_after(&reply).unwrap_or(delay);
                    log::info!("{} answered {status}; retrying in {:?}", host(&call.url), wait);
                    sleep(wait, &call.cancel)?;
                }
                Err(e) if !last && e.transient() => {
                    log::info!("{e}; retrying in {delay:?}");
                    sleep(delay, &call.cancel)?;
                }
                Err(e) => return Err(e),
            }
            delay = delay.saturating_mul(2);
        }
        unreachable!("the last attempt always returns")
    }

    fn once(&self, call: &Call) -> Result<Reply, TransportError> {
        let host = host(&call.url);
        let mut req =
            self.client.request(call.method.clone(), call.url.clone()).headers(call.headers.clone());
        let sent = call.body.as_ref().map_or(0, |b| b.len() as u64);
        if let Some(body) = &call.body {
            let reader = ProgressReader {
                data: body.clone(),
                pos: 0,
                progress: call.progress.clone(),
                cancel: call.cancel.clone(),
            };
            req = req.body(reqwest::blocking::Body::sized(reader, sent));
        }
        let mut entry = NetEntry {
            time: SystemTime::now(),
            method: call.method.to_string(),
            host: host.clone(),
            path: call.url.path().to_string(),
            sent,
            received: 0,
            outcome: String::new(),
        };
        let result = req.send().map_err(|e| self.classify(&host, e, &call.cancel)).and_then(|response| {
            let status = response.status();
            if status.is_redirection() {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                return Err(TransportError::Redirect {
                    host: host.clone(),
                    status: status.as_u16(),
                    location,
                });
            }
            let headers = response.headers().clone();
            let body = read_body(response, &host, call)?;
            Ok(Reply { status, headers, body })
        });
        match &result {
            Ok(reply) => {
                entry.received = reply.body.len() as u64;
                entry.outcome = reply.status.to_string();
            }
            Err(e) => entry.outcome = e.to_string(),
        }
        self.log.push(entry);
        result
    }

    fn classify(&self, host: &str, e: reqwest::Error, cancel: &Cancel) -> TransportError {
        if cancel.is_cancelled() {
            return TransportError::Cancelled;
        }
        // reqwest's message would include the URL, and a SAS URL's query is a credential.
        let e = e.without_url();
        let detail = error_chain(&e);
        let host = host.to_string();
        if e.is_timeout() {
            TransportError::Timeout { host, secs: self.options.timeout.as_secs() }
        } else if is_tls(&e) {
            TransportError::Tls { host, detail }
        } else if e.is_connect() {
            TransportError::Connect { host, detail }
        } else {
            TransportError::Lost { host, detail }
        }
    }
}

fn read_body(
    mut response: reqwest::blocking::Response,
    host: &str,
    call: &Call,
) -> Result<Vec<u8>, TransportError> {
    let total = response.content_length().unwrap_or(0);
    if total > MAX_RESPONSE {
        return Err(TransportError::TooLarge { host: host.to_string() });
    }
    let mut body = Vec::with_capacity(total as usize);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if call.cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        let n = response
            .read(&mut chunk)
            .map_err(|e| TransportError::Lost { host: host.to_string(), detail: error_chain(&e) })?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
        if body.len() as u64 > MAX_RESPONSE {
            return Err(TransportError::TooLarge { host: host.to_string() });
        }
        if let Some(p) = &call.progress
            && call.body.is_none()
        {
            p(body.len() as u64, total.max(body.len() as u64));
        }
    }
    Ok(body)
}

/// `host` or `host:port`.
pub fn host(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    }
}

fn retry_after(reply: &Reply) -> Option<Duration> {
    let secs: u64 = reply.header("retry-after")?.trim().parse().ok()?;
    Some(Duration::from_secs(secs.min(MAX_RETRY_AFTER)))
}

fn sleep(total: Duration, cancel: &Cancel) -> Result<(), TransportError> {
    let step = Duration::from_millis(50);
    let mut left = total;
    while !left.is_zero() {
        if cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        let d = left.min(step);
        std::thread::sleep(d);
        left -= d;
    }
    Ok(())
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn is_tls(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<rustls::Error>() {
            return true;
        }
        // I/O errors nest the TLS error inside one another instead of exposing it as a source.
        let mut inner = s.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref());
        while let Some(i) = inner {
            if i.is::<rustls::Error>() {
                return true;
            }
            inner = i.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref());
        }
        source = s.source();
    }
    false
}

/// Feeds a body to the connection, reporting progress and stopping when cancelled.
struct ProgressReader {
    data: Arc<Vec<u8>>,
    pos: usize,
    progress: Option<Progress>,
    cancel: Cancel,
}

impl Read for ProgressReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // Once the whole body is handed over, the request stands: a late Cancel does not turn a
        // write that may land into an error.
        if self.pos < self.data.len() && self.cancel.is_cancelled() {
            return Err(std::io::Error::other("cancelled"));
        }
        let n = buf.len().min(64 * 1024).min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        if let Some(p) = &self.progress {
            p(self.pos as u64, self.data.len() as u64);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "https://eu.synopticpanel-api.okviz.com/",
            "http://127.0.0.1:8080/",
            "http://[::1]/",
            "http://localhost:1/",
            "http://127.9.9.9/",
        ] {
            assert!(check_url(&Url::parse(ok).unwrap()).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/",
            "http://10.0.0.1/",
            "ftp://127.0.0.1/",
            "http://localhost.evil.com/",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(check_url(&Url::parse(bad).unwrap()), Err(TransportError::InsecureUrl(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn redacted_drops_query_and_user_info() {
        let u = Url::parse("https://user:pw@acct.blob.core.windows.net/c/b.svg?sv=1&sig=SECRET").unwrap();
        assert_eq!(redacted(&u), "https://acct.blob.core.windows.net/c/b.svg");
    }

    #[test]
    fn offline_sends_nothing() {
        let log = NetLog::default();
        let t =
            Transport::new(TransportOptions { offline: true, ..TransportOptions::default() }, log.clone());
        let call = Call::new(Method::GET, Url::parse("https://example.com/").unwrap());
        assert!(matches!(t.send(&call), Err(TransportError::Offline)));
        assert!(log.entries().is_empty());
    }

    #[test]
    fn large_bodies_are_gzipped_small_ones_are_not() {
        let small = Call::new(Method::PUT, Url::parse("https://x/").unwrap()).body(vec![b'a'; 100], true);
        assert!(small.headers.get("content-encoding").is_none());
        let big = Call::new(Method::PUT, Url::parse("https://x/").unwrap()).body(vec![b'a'; 5000], true);
        assert_eq!(big.headers.get("content-encoding").unwrap(), "gzip");
        assert!(big.body.unwrap().len() < 200);
    }
}
