//! Reference My Storage server: the contract of `docs/my-storage-protocol.md` served over
//! real HTTP on loopback, with fault injection, for the integration tests and the
//! `mystorage-server` example.
//!
//! Where the contract leaves room, this server chooses:
//! - a map body (POST/PUT) that is not JSON at all is `422 InvalidJsvg` (step 12); the
//!   `400 BadRequest` "malformed JSON" of step 8 is for the PATCH and encryption-setup bodies;
//! - an unknown or undecodable `Content-Encoding` is `400 BadRequest`;
//! - `X-Map-Password` is compared byte for byte with the stored password;
//! - the encryption setup checks the shape of the KDF parameters (salt of 16 bytes, positive
//!   `m`/`t`/`p`, 64 lowercase hex `keyCheck`, no unknown fields) but not the client's bounds,
//!   so that tests can make the server report parameters a client must refuse;
//! - `GET …/map/{m}` also accepts `?key=<readKey>` without an `Authorization` header, as the
//!   visual does;
//! - unknown routes answer `404 NotFound` and wrong methods `405 MethodNotAllowed`, both with
//!   the JSON error body.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::connect_info::Connected;
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Extension, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::serve::{IncomingStream, Listener};
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures_util::StreamExt as _;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Largest decoded request body accepted: 20 MiB.
pub const MAX_BODY: usize = 20 * 1024 * 1024;
/// Content type of plain JSVG maps (unencrypted storages).
pub const JSON_TYPE: &str = "application/json";
/// Content type of encryption envelopes (encrypted storages).
pub const ENVELOPE_TYPE: &str = "application/vnd.synmap.envelope+json";
/// Default storage quota: 100 MiB.
pub const DEFAULT_QUOTA: u64 = 100 * 1024 * 1024;

/// Raw (possibly compressed) request bytes kept per request; the rest is drained and counted.
const RAW_KEEP: usize = 32 * 1024 * 1024;
/// Past this many raw bytes the server stops reading a request body at all.
const RAW_DRAIN: u64 = 64 * 1024 * 1024;
/// How long an `Idempotency-Key` answer is remembered.
const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// Pause between the first half of a truncated body and the cut, so the half is flushed.
const TRUNCATE_PAUSE: Duration = Duration::from_millis(50);

/// A running reference server; dropping it shuts its runtime down.
pub struct Server {
    runtime: Option<tokio::runtime::Runtime>,
    addr: SocketAddr,
    app: App,
}

impl Server {
    /// Starts on 127.0.0.1:0 in the background with its own tokio runtime; returns when
    /// listening.
    pub fn start() -> Server {
        Server::start_on(0)
    }

    /// Starts on a given port of 127.0.0.1 (0 = any free port); returns when listening.
    pub fn start_on(port: u16) -> Server {
        let std_listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .unwrap_or_else(|e| panic!("cannot listen on 127.0.0.1:{port}: {e}"));
        std_listener.set_nonblocking(true).expect("non-blocking listener");
        let addr = std_listener.local_addr().expect("listener address");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("mystorage-server")
            .enable_all()
            .build()
            .expect("tokio runtime");
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(std_listener).expect("tokio listener")
        };
        let app = App::default();
        let service = router(app.clone()).into_make_service_with_connect_info::<ConnInfo>();
        runtime.spawn(async move {
            let _ = axum::serve(KillableListener(listener), service).await;
        });
        Server { runtime: Some(runtime), addr, app }
    }

    /// The base URL, e.g. `http://127.0.0.1:43123` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Adds a storage. Panics if a storage with the same id exists.
    pub fn add_storage(&self, spec: StorageSpec) {
        let mut state = self.app.lock();
        assert!(state.storages.iter().all(|s| s.spec.id != spec.id), "storage {} already exists", spec.id);
        state.storages.push(Storage {
            spec,
            active: true,
            encryption: None,
            maps: Vec::new(),
            idempotency: HashMap::new(),
        });
    }

    /// Queues a fault rule; rules are consulted in order, the first matching one fires, and
    /// each fires `times` times before it is removed.
    pub fn inject(&self, rule: FaultRule) {
        if rule.times > 0 {
            self.app.lock().faults.push(rule);
        }
    }

    /// Snapshot of the maps stored in a storage, in creation order. Panics on an unknown
    /// storage.
    pub fn maps(&self, storage_id: &str) -> Vec<StoredMap> {
        self.with_storage(storage_id, |s| s.maps.clone())
    }

    /// Every request received so far, including those answered by a fault.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.app.lock().requests.clone()
    }

    /// Sets a storage active or inactive (`403 InactiveStorage`). Panics on an unknown
    /// storage.
    pub fn set_active(&self, storage_id: &str, active: bool) {
        self.with_storage(storage_id, |s| s.active = active);
    }

    /// Replaces a map's body directly, as another client's edit would, updating its time and
    /// ETag (no quota check). Panics on an unknown storage or map.
    pub fn edit_behind_the_back(&self, storage_id: &str, map_id: &str, body: Vec<u8>) {
        self.with_storage(storage_id, |s| {
            let map = s
                .maps
                .iter_mut()
                .find(|m| m.id == map_id)
                .unwrap_or_else(|| panic!("no map {map_id} in storage {storage_id}"));
            map.body = body;
            map.updated = now();
            map.refresh_etag();
        });
    }

    fn with_storage<T>(&self, storage_id: &str, f: impl FnOnce(&mut Storage) -> T) -> T {
        let mut state = self.app.lock();
        let storage = state
            .storages
            .iter_mut()
            .find(|s| s.spec.id == storage_id)
            .unwrap_or_else(|| panic!("no storage {storage_id}"));
        f(storage)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// What a storage is made of when it is added.
#[derive(Clone, Debug)]
pub struct StorageSpec {
    /// Storage id (a lowercase hyphenated UUID).
    pub id: String,
    /// Edit Key expected in `Authorization: Bearer …`.
    pub edit_key: String,
    /// Storage name shown by `GET /v1/my/{s}`.
    pub name: String,
    /// Region: `us`, `eu`, `au` or `custom`.
    pub region: String,
    /// Quota in bytes of stored bodies.
    pub quota_limit: u64,
    /// Read key reported by `GET /v1/my/{s}` and accepted as `?key=` on map reads.
    pub read_key: String,
}

impl StorageSpec {
    /// A storage named "Test storage" in region "custom" with a 100 MiB quota and a fresh
    /// `rk_…` read key.
    pub fn new(id: &str, edit_key: &str) -> StorageSpec {
        StorageSpec {
            id: id.to_owned(),
            edit_key: edit_key.to_owned(),
            name: "Test storage".to_owned(),
            region: "custom".to_owned(),
            quota_limit: DEFAULT_QUOTA,
            read_key: format!("rk_{}", uuid::Uuid::new_v4().simple()),
        }
    }
}

/// A map as stored by the server.
#[derive(Clone, Debug)]
pub struct StoredMap {
    /// Map id (a lowercase hyphenated v4 UUID).
    pub id: String,
    /// Map name (from `X-Map-Name` or PATCH).
    pub name: String,
    /// Stored body bytes (decoded).
    pub body: Vec<u8>,
    /// Content type: [`JSON_TYPE`] or [`ENVELOPE_TYPE`].
    pub content_type: String,
    /// Whether the map has a password.
    pub protected: bool,
    /// The map password, if protected.
    pub password: Option<String>,
    /// Current ETag, quotes included.
    pub etag: String,
    /// Creation time, RFC 3339 UTC.
    pub created: String,
    /// Last change time, RFC 3339 UTC.
    pub updated: String,
}

impl StoredMap {
    fn refresh_etag(&mut self) {
        self.protected = self.password.is_some();
        self.etag = etag(&self.body, &self.name, self.protected);
    }

    fn info(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "size": self.body.len(),
            "created": self.created,
            "updated": self.updated,
            "etag": self.etag,
            "protected": self.protected,
            "encrypted": self.content_type == ENVELOPE_TYPE,
        })
    }
}

/// One request as received.
#[derive(Clone, Debug)]
pub struct LoggedRequest {
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Path and query, e.g. `/v1/my/…/maps`.
    pub path_and_query: String,
    /// Headers in order received (names lowercase, values lossily decoded).
    pub headers: Vec<(String, String)>,
    /// Body as received, before gzip decoding (at most 32 MiB are kept).
    pub body: Vec<u8>,
}

impl LoggedRequest {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A fault to inject into matching requests.
#[derive(Clone, Debug)]
pub struct FaultRule {
    /// Method the request must have, if any (case-insensitive).
    pub method: Option<String>,
    /// Text the request's path and query must contain, if any.
    pub path_contains: Option<String>,
    /// How many more times the rule fires before it is removed.
    pub times: usize,
    /// What happens.
    pub fault: Fault,
}

impl FaultRule {
    /// A rule for any method and path, firing once.
    pub fn new(fault: Fault) -> Self {
        FaultRule { method: None, path_contains: None, times: 1, fault }
    }

    /// Restricts the rule to a method and to paths containing `path_contains`.
    pub fn on(self, method: &str, path_contains: &str) -> Self {
        FaultRule { method: Some(method.to_owned()), path_contains: Some(path_contains.to_owned()), ..self }
    }

    /// Makes the rule fire `n` times.
    pub fn times(self, n: usize) -> Self {
        FaultRule { times: n, ..self }
    }

    fn matches(&self, method: &str, path_and_query: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path_contains.as_deref().is_none_or(|p| path_and_query.contains(p))
    }
}

/// The kinds of injected faults.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Waits this long before handling (the request is then handled normally).
    Delay(Duration),
    /// Answers with this status before handling (nothing changes). JSON error body; code
    /// "InternalError" for 500, "ServiceUnavailable" for 503 etc.
    Status(u16),
    /// 429 TooManyRequests with `Retry-After: secs`, before handling.
    TooManyRequests {
        /// Value of the `Retry-After` header, in seconds.
        retry_after_secs: u64,
    },
    /// The request is handled (the change lands) and then the connection is closed without
    /// any response bytes.
    ResetAfterHandling,
    /// The connection is closed without a response before handling (nothing changes).
    ResetBeforeHandling,
    /// The request is handled, the status line and headers are sent with the full
    /// Content-Length, then the body is cut after half and the connection closed.
    TruncatedBody,
}

// ---------------------------------------------------------------------------------------
// State

#[derive(Clone, Default)]
struct App(Arc<Mutex<ServerState>>);

impl App {
    fn lock(&self) -> MutexGuard<'_, ServerState> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Default)]
struct ServerState {
    storages: Vec<Storage>,
    faults: Vec<FaultRule>,
    requests: Vec<LoggedRequest>,
}

impl ServerState {
    /// Removes one firing of the first rule matching the request and returns its fault.
    fn take_fault(&mut self, method: &str, path_and_query: &str) -> Option<Fault> {
        let index = self.faults.iter().position(|r| r.matches(method, path_and_query))?;
        let rule = &mut self.faults[index];
        let fault = rule.fault.clone();
        rule.times = rule.times.saturating_sub(1);
        if rule.times == 0 {
            self.faults.remove(index);
        }
        Some(fault)
    }
}

struct Storage {
    spec: StorageSpec,
    active: bool,
    encryption: Option<Encryption>,
    maps: Vec<StoredMap>,
    idempotency: HashMap<String, Remembered>,
}

impl Storage {
    fn used(&self) -> u64 {
        self.maps.iter().map(|m| m.body.len() as u64).sum()
    }

    fn info(&self) -> Value {
        json!({
            "id": self.spec.id,
            "name": self.spec.name,
            "region": self.spec.region,
            "readKey": self.spec.read_key,
            "quota": { "limit": self.spec.quota_limit, "used": self.used() },
            "encryption": self.encryption.as_ref().map(|e| e.object.clone()),
        })
    }

    fn map_index(&self, map_id: &str) -> Result<usize, ApiError> {
        self.maps
            .iter()
            .position(|m| m.id == map_id)
            .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "MapNotFound", format!("no map {map_id}")))
    }

    fn check_quota(&self, freed: usize, added: usize) -> Result<(), ApiError> {
        let after = self.used() - freed as u64 + added as u64;
        if after > self.spec.quota_limit {
            return Err(ApiError::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "QuotaExceeded",
                format!("{after} bytes would exceed the quota of {} bytes", self.spec.quota_limit),
            ));
        }
        Ok(())
    }
}

/// The storage's encryption setup: the canonical object and its key check.
struct Encryption {
    object: Value,
    key_check: String,
}

/// The first successful answer to an `Idempotency-Key`.
struct Remembered {
    fingerprint: [u8; 32],
    at: Instant,
    info: Value,
    etag: String,
    location: String,
}

// ---------------------------------------------------------------------------------------
// Errors

/// A JSON error answer `{"error": code, "message": text}`.
struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError { status, code: code.to_owned(), message: message.into() }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    fn too_large() -> Self {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "FileSizeExceeded",
            format!("the decoded body exceeds {MAX_BODY} bytes"),
        )
    }

    /// The answer of an injected `Fault::Status`.
    fn injected(code: u16) -> Self {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let name = match status {
            StatusCode::INTERNAL_SERVER_ERROR => "InternalError".to_owned(),
            _ => status.canonical_reason().map_or_else(|| "Error".to_owned(), |r| r.replace([' ', '-'], "")),
        };
        ApiError { status, message: format!("injected fault: status {}", status.as_u16()), code: name }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.code, "message": self.message }))).into_response()
    }
}

fn bad_path(rejection: PathRejection) -> ApiError {
    ApiError::bad_request(format!("bad path: {rejection}"))
}

// ---------------------------------------------------------------------------------------
// Connections that fault injection can kill

/// A TCP listener whose connections carry a kill switch.
struct KillableListener(tokio::net::TcpListener);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    return (KillableStream { stream, kill: Arc::default() }, addr);
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A TCP stream that fails every operation once its kill switch is set, after arming
/// `SO_LINGER` 0 so that closing it sends a RST and no pending response bytes.
struct KillableStream {
    stream: tokio::net::TcpStream,
    kill: Arc<AtomicBool>,
}

impl KillableStream {
    fn alive(&self) -> io::Result<()> {
        if self.kill.load(Ordering::SeqCst) {
            let _ = self.stream.set_zero_linger();
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "connection killed by fault injection",
            ));
        }
        Ok(())
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.stream).poll_shutdown(cx)
    }
}

/// Per-connection information handed to the middleware: the connection's kill switch.
#[derive(Clone)]
struct ConnInfo(Arc<AtomicBool>);

impl ConnInfo {
    fn kill(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for ConnInfo {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        ConnInfo(stream.io().kill.clone())
    }
}

// ---------------------------------------------------------------------------------------
// Routing, logging and faults

fn router(app: App) -> Router {
    Router::new()
        .route("/v1/my/{storage}", get(storage_info))
        .route("/v1/my/{storage}/encryption", put(setup_encryption))
        .route("/v1/my/{storage}/maps", get(list_maps).post(create_map))
        .route(
            "/v1/my/{storage}/map/{map}",
            get(get_map).put(replace_map).patch(patch_map).delete(delete_map),
        )
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "NotFound", "no such endpoint") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", "method not allowed here")
        })
        .layer(middleware::from_fn_with_state(app.clone(), front))
        .with_state(app)
}

/// The raw request body, read by the middleware.
struct RawBody {
    /// The first [`RAW_KEEP`] bytes.
    bytes: Vec<u8>,
    /// How many bytes were received in all.
    total: u64,
    /// Whether the body was read to its end.
    complete: bool,
}

impl RawBody {
    fn truncated(&self) -> bool {
        self.total > self.bytes.len() as u64
    }
}

async fn read_body(body: Body) -> RawBody {
    let mut stream = body.into_data_stream();
    let mut raw = RawBody { bytes: Vec::new(), total: 0, complete: true };
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            raw.complete = false;
            break;
        };
        raw.total += chunk.len() as u64;
        let room = RAW_KEEP - raw.bytes.len();
        raw.bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if raw.total > RAW_DRAIN {
            raw.complete = false;
            break;
        }
    }
    raw
}

/// Reads and logs every request, then applies the first matching fault rule.
async fn front(
    State(app): State<App>,
    ConnectInfo(conn): ConnectInfo<ConnInfo>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let raw = read_body(body).await;
    let path_and_query =
        parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |pq| pq.to_string());
    let fault = {
        let mut state = app.lock();
        state.requests.push(LoggedRequest {
            method: parts.method.to_string(),
            path_and_query: path_and_query.clone(),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect(),
            body: raw.bytes.clone(),
        });
        state.take_fault(parts.method.as_str(), &path_and_query)
    };
    if !raw.complete && !raw.truncated() {
        return ApiError::bad_request("the request body could not be read").into_response();
    }
    parts.extensions.insert(Arc::new(raw));
    let request = Request::from_parts(parts, Body::empty());
    match fault {
        None => next.run(request).await,
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            next.run(request).await
        }
        Some(Fault::Status(code)) => ApiError::injected(code).into_response(),
        Some(Fault::TooManyRequests { retry_after_secs }) => {
            let error = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                format!("injected fault: retry after {retry_after_secs} s"),
            );
            ([(header::RETRY_AFTER, retry_after_secs.to_string())], error).into_response()
        }
        Some(Fault::ResetBeforeHandling) => {
            conn.kill();
            StatusCode::NO_CONTENT.into_response()
        }
        Some(Fault::ResetAfterHandling) => {
            let response = next.run(request).await;
            conn.kill();
            response
        }
        Some(Fault::TruncatedBody) => truncate(next.run(request).await).await,
    }
}

/// Rewrites a response to announce its full length but send only the first half of its
/// body, then fail (which makes hyper close the connection).
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let half = bytes.slice(..bytes.len() / 2);
    let cut = futures_util::stream::once(async {
        tokio::time::sleep(TRUNCATE_PAUSE).await;
        Err::<Bytes, io::Error>(io::Error::other("body truncated by fault injection"))
    });
    let stream = futures_util::stream::iter([Ok(half)]).chain(cut);
    Response::from_parts(parts, Body::from_stream(stream))
}

// ---------------------------------------------------------------------------------------
// Handlers

async fn storage_info(
    State(app): State<App>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path(storage_id) = path.map_err(bad_path)?;
    let mut state = app.lock();
    let storage = open(&mut state, &storage_id, &headers, None)?;
    Ok(Json(storage.info()).into_response())
}

async fn setup_encryption(
    State(app): State<App>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    Extension(raw): Extension<Arc<RawBody>>,
) -> Result<Response, ApiError> {
    let Path(storage_id) = path.map_err(bad_path)?;
    let mut state = app.lock();
    let storage = open(&mut state, &storage_id, &headers, None)?;
    let body = decode_body(&raw, &headers)?.ok_or_else(ApiError::too_large)?;
    let encryption = parse_setup(&body).map_err(ApiError::bad_request)?;
    if storage.encryption.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "EncryptionAlreadySet",
            "encryption is already set up for this storage",
        ));
    }
    let object = encryption.object.clone();
    storage.encryption = Some(encryption);
    Ok((StatusCode::CREATED, Json(object)).into_response())
}

async fn list_maps(
    State(app): State<App>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path(storage_id) = path.map_err(bad_path)?;
    let mut state = app.lock();
    let storage = open(&mut state, &storage_id, &headers, None)?;
    let maps: Vec<Value> = storage.maps.iter().map(StoredMap::info).collect();
    Ok(Json(json!({ "maps": maps })).into_response())
}

async fn create_map(
    State(app): State<App>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    Extension(raw): Extension<Arc<RawBody>>,
) -> Result<Response, ApiError> {
    let Path(storage_id) = path.map_err(bad_path)?;
    let mut state = app.lock();
    let storage = open(&mut state, &storage_id, &headers, None)?;
    let name = map_name_header(&headers)?;
    let idempotency_key = idempotency_key(&headers)?;
    let body = decode_body(&raw, &headers)?;
    let (body, content_type) = check_content(storage, &headers, body)?;

    let fingerprint = fingerprint(&name, &body);
    if let Some(key) = &idempotency_key {
        storage.idempotency.retain(|_, r| r.at.elapsed() < IDEMPOTENCY_TTL);
        if let Some(first) = storage.idempotency.get(key) {
            if first.fingerprint == fingerprint {
                return Ok(created(&first.info, &first.etag, &first.location));
            }
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "IdempotencyKeyReused",
                "this Idempotency-Key was used with a different request",
            ));
        }
    }
    storage.check_quota(0, body.len())?;

    let time = now();
    let mut map = StoredMap {
        id: uuid::Uuid::new_v4().to_string(),
        name,
        body,
        content_type: content_type.to_owned(),
        protected: false,
        password: None,
        etag: String::new(),
        created: time.clone(),
        updated: time,
    };
    map.refresh_etag();
    let info = map.info();
    let location = format!("/v1/my/{storage_id}/map/{}", map.id);
    let response = created(&info, &map.etag, &location);
    if let Some(key) = idempotency_key {
        let remembered =
            Remembered { fingerprint, at: Instant::now(), info, etag: map.etag.clone(), location };
        storage.idempotency.insert(key, remembered);
    }
    storage.maps.push(map);
    Ok(response)
}

async fn get_map(
    State(app): State<App>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let Path((storage_id, map_id)) = path.map_err(bad_path)?;
    let read_key = query_param(&uri, "key");
    let mut state = app.lock();
    let storage = open(&mut state, &storage_id, &headers, read_key.as_deref())?;
    let map = &storage.maps[storage.map_index(&map_id)?];
    let response_headers =
        [(header::CONTENT_TYPE, map.content_type.clone()), (header::ETAG, map.etag.clone())];
    Ok((response_headers, map.body.clone()).into_response())
}

async fn replace_map(
    State(app): State<App>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    Extension(raw): Extension<Arc<RawBody>>,
) -> Result<Response, ApiError> {
    let Path((storage_id, map_id)) = path.map_err(bad_path)?;
    let mut state = app.lock();
    let storage = open(&mut state, &storage_id, &headers, None)?;
    let index = storage.map_index(&map_id)?;
    check_preconditions(&storage.maps[index], &headers)?;
    let body = decode_body(&raw, &headers)?;
    let (body, content_type) = check_content(storage, &headers, body)?;
    storage.check_quota(storage.maps[index].body.len(), body.len())?;

    let map = &mut storage.maps[index];
    if map.body != body || map.content_type != content_type {
        map.body = body;
        map.content_type = content_type.to_owned();
        map.updated = now();
        map.refresh_etag();
    }
    Ok(map_response(map))
}

async fn patch_map(
    State(app): State<App>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
    Extension(raw): Extension<Arc<RawBody>>,
) -> Result<Response, ApiError> {
    let Path((storage_id, map_id)) = path.map_err(bad_path)?;
    let mut state = app.lock();
    let storage = open(&mut state, &storage_id, &headers, None)?;
    let index = storage.map_index(&map_id)?;
    check_preconditions(&storage.maps[index], &headers)?;
    let body = decode_body(&raw, &headers)?.ok_or_else(ApiError::too_large)?;
    let patch = parse_patch(&body).map_err(ApiError::bad_request)?;

    let map = &mut storage.maps[index];
    let mut changed = false;
    if let Some(name) = patch.name.filter(|n| *n != map.name) {
        map.name = name;
        changed = true;
    }
    if let Some(password) = patch.password.filter(|p| *p != map.password) {
        map.password = password;
        changed = true;
    }
    if changed {
        map.updated = now();
        map.refresh_etag();
    }
    Ok(map_response(map))
}

async fn delete_map(
    State(app): State<App>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path((storage_id, map_id)) = path.map_err(bad_path)?;
    let mut state = app.lock();
    let storage = open(&mut state, &storage_id, &headers, None)?;
    let index = storage.map_index(&map_id)?;
    check_preconditions(&storage.maps[index], &headers)?;
    storage.maps.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn created(info: &Value, etag: &str, location: &str) -> Response {
    let headers = [(header::ETAG, etag.to_owned()), (header::LOCATION, location.to_owned())];
    (StatusCode::CREATED, headers, Json(info.clone())).into_response()
}

fn map_response(map: &StoredMap) -> Response {
    ([(header::ETAG, map.etag.clone())], Json(map.info())).into_response()
}

// ---------------------------------------------------------------------------------------
// Checks, in the contract's order

/// Steps 1–3: storage, Edit Key (or, for map reads, the read key), active.
fn open<'a>(
    state: &'a mut ServerState,
    storage_id: &str,
    headers: &HeaderMap,
    read_key: Option<&str>,
) -> Result<&'a mut Storage, ApiError> {
    let storage = state.storages.iter_mut().find(|s| s.spec.id == storage_id).ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, "StorageNotFound", format!("no storage {storage_id}"))
    })?;
    let authorization = headers.get(header::AUTHORIZATION);
    let bearer = authorization.and_then(|v| v.to_str().ok()).and_then(|v| {
        let (scheme, token) = v.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    });
    let by_edit_key = bearer == Some(storage.spec.edit_key.as_str());
    let by_read_key = authorization.is_none() && read_key == Some(storage.spec.read_key.as_str());
    if !by_edit_key && !by_read_key {
        let message = if authorization.is_none() { "missing Edit Key" } else { "wrong Edit Key" };
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "InvalidEditKey", message));
    }
    if !storage.active {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "InactiveStorage", "this storage is disabled"));
    }
    Ok(storage)
}

/// Steps 5–7: `If-Match` present and current, map password when protected.
fn check_preconditions(map: &StoredMap, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(if_match) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "PreconditionRequired",
            "If-Match is required",
        ));
    };
    if if_match.as_bytes() != map.etag.as_bytes() {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "EtagMismatch",
            format!("the map's current ETag is {}", map.etag),
        ));
    }
    if let Some(password) = &map.password {
        let given = headers.get("x-map-password").map(HeaderValue::as_bytes);
        if given != Some(password.as_bytes()) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "InvalidMapPassword",
                "missing or wrong map password",
            ));
        }
    }
    Ok(())
}

/// Decodes the request body: `Ok(None)` when it is over [`MAX_BODY`] decoded bytes,
/// `400` when its encoding is unknown or broken.
fn decode_body(raw: &RawBody, headers: &HeaderMap) -> Result<Option<Vec<u8>>, ApiError> {
    let encoding = match headers.get(header::CONTENT_ENCODING) {
        None => String::new(),
        Some(value) => value
            .to_str()
            .map_err(|_| ApiError::bad_request("unreadable Content-Encoding"))?
            .trim()
            .to_ascii_lowercase(),
    };
    match encoding.as_str() {
        "" | "identity" => Ok((!raw.truncated() && raw.bytes.len() <= MAX_BODY).then(|| raw.bytes.clone())),
        "gzip" | "x-gzip" => {
            if raw.truncated() {
                return Ok(None);
            }
            let mut decoded = Vec::new();
            flate2::read::MultiGzDecoder::new(raw.bytes.as_slice())
                .take(MAX_BODY as u64 + 1)
                .read_to_end(&mut decoded)
                .map_err(|e| ApiError::bad_request(format!("bad gzip body: {e}")))?;
            Ok((decoded.len() <= MAX_BODY).then_some(decoded))
        }
        other => Err(ApiError::bad_request(format!("unsupported Content-Encoding {other:?}"))),
    }
}

/// Steps 9–12 for a map body: content type, size, key check, JSVG or envelope. Returns the
/// body and its content type.
fn check_content(
    storage: &Storage,
    headers: &HeaderMap,
    body: Option<Vec<u8>>,
) -> Result<(Vec<u8>, &'static str), ApiError> {
    let expected = if storage.encryption.is_some() { ENVELOPE_TYPE } else { JSON_TYPE };
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if media_type.as_deref() != Some(expected) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "InvalidFileType",
            format!("this storage takes Content-Type {expected}"),
        ));
    }
    let body = body.ok_or_else(ApiError::too_large)?;
    if let Some(encryption) = &storage.encryption {
        let given = headers.get("x-key-check").map(HeaderValue::as_bytes);
        if given != Some(encryption.key_check.as_bytes()) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "InvalidEncryptionKey",
                "missing or wrong X-Key-Check",
            ));
        }
    }
    let valid = if storage.encryption.is_some() { check_envelope(&body) } else { check_jsvg(&body) };
    valid.map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "InvalidJsvg", e))?;
    Ok((body, expected))
}

/// The percent-decoded `X-Map-Name`, 1–120 characters.
fn map_name_header(headers: &HeaderMap) -> Result<String, ApiError> {
    let raw = headers.get("x-map-name").ok_or_else(|| ApiError::bad_request("X-Map-Name is required"))?;
    let name = percent_encoding::percent_decode(raw.as_bytes())
        .decode_utf8()
        .map_err(|_| ApiError::bad_request("X-Map-Name is not percent-encoded UTF-8"))?;
    check_name(&name)?;
    Ok(name.into_owned())
}

fn check_name(name: &str) -> Result<(), ApiError> {
    let count = name.chars().count();
    if !(1..=120).contains(&count) {
        return Err(ApiError::bad_request(format!("a map name has 1 to 120 characters, not {count}")));
    }
    Ok(())
}

/// The optional `Idempotency-Key`: 1–255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else { return Ok(None) };
    match value.to_str() {
        Ok(key) if !key.is_empty() && key.len() <= 255 => Ok(Some(key.to_owned())),
        _ => Err(ApiError::bad_request("bad Idempotency-Key")),
    }
}

fn query_param(uri: &Uri, name: &str) -> Option<String> {
    uri.query()?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned())
    })
}

/// Whether a plain body is a JSVG object: string `name`, string `map` that starts with
/// `<svg` after whitespace and an optional XML declaration.
fn check_jsvg(body: &[u8]) -> Result<(), String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let object = value.as_object().ok_or("the body is not a JSON object")?;
    object.get("name").and_then(Value::as_str).ok_or("`name` must be a string")?;
    let map = object.get("map").and_then(Value::as_str).ok_or("`map` must be a string")?;
    const XML_SPACE: [char; 4] = [' ', '\t', '\r', '\n'];
    let mut rest = map.trim_start_matches(XML_SPACE);
    if let Some(after) = rest.strip_prefix("<?xml")
        && (after.starts_with(XML_SPACE) || after.starts_with("?>"))
    {
        let end = after.find("?>").ok_or("unterminated XML declaration in `map`")?;
        rest = after[end + 2..].trim_start_matches(XML_SPACE);
    }
    if !rest.starts_with("<svg") {
        return Err("`map` does not start with <svg".to_owned());
    }
    Ok(())
}

/// Whether a body is a well-formed envelope (the server cannot check more).
fn check_envelope(body: &[u8]) -> Result<(), String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("the envelope is not JSON: {e}"))?;
    let object = value.as_object().ok_or("the envelope is not a JSON object")?;
    if object.get("v").and_then(Value::as_u64) != Some(1) {
        return Err("envelope `v` must be 1".to_owned());
    }
    if object.get("alg").and_then(Value::as_str) != Some("A256GCM") {
        return Err("envelope `alg` must be A256GCM".to_owned());
    }
    let kdf = object.get("kdf").and_then(Value::as_object).ok_or("envelope `kdf` must be an object")?;
    let kdf_ok = kdf.get("alg").is_some_and(Value::is_string)
        && kdf.get("salt").is_some_and(Value::is_string)
        && ["m", "t", "p"].iter().all(|k| kdf.get(*k).is_some_and(Value::is_u64));
    if !kdf_ok {
        return Err("envelope `kdf` needs string alg and salt and integer m, t, p".to_owned());
    }
    object.get("aad").and_then(Value::as_str).ok_or("envelope `aad` must be a string")?;
    let base64_field = |name: &str| {
        let text =
            object.get(name).and_then(Value::as_str).ok_or(format!("envelope `{name}` must be a string"))?;
        BASE64.decode(text).map_err(|e| format!("envelope `{name}` is not base64: {e}"))
    };
    if base64_field("nonce")?.len() != 12 {
        return Err("envelope `nonce` must be 12 bytes".to_owned());
    }
    if base64_field("ct")?.len() < 16 {
        return Err("envelope `ct` must be at least 16 bytes".to_owned());
    }
    Ok(())
}

/// Parses an encryption setup body into its canonical stored form.
fn parse_setup(body: &[u8]) -> Result<Encryption, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("malformed JSON: {e}"))?;
    let object = value.as_object().ok_or("the setup body must be a JSON object")?;
    if let Some(key) = object.keys().find(|k| !["kdf", "keyCheck"].contains(&k.as_str())) {
        return Err(format!("unknown field {key:?}"));
    }
    let kdf = object.get("kdf").and_then(Value::as_object).ok_or("`kdf` must be an object")?;
    if let Some(key) = kdf.keys().find(|k| !["alg", "salt", "m", "t", "p"].contains(&k.as_str())) {
        return Err(format!("unknown kdf field {key:?}"));
    }
    if kdf.get("alg").and_then(Value::as_str) != Some("argon2id") {
        return Err("`kdf.alg` must be argon2id".to_owned());
    }
    let salt = kdf.get("salt").and_then(Value::as_str).ok_or("`kdf.salt` must be a string")?;
    if BASE64.decode(salt).map_err(|e| format!("`kdf.salt` is not base64: {e}"))?.len() != 16 {
        return Err("`kdf.salt` must be 16 bytes".to_owned());
    }
    let mut costs = [0u64; 3];
    for (cost, name) in costs.iter_mut().zip(["m", "t", "p"]) {
        *cost = kdf
            .get(name)
            .and_then(Value::as_u64)
            .filter(|n| (1..=u64::from(u32::MAX)).contains(n))
            .ok_or(format!("`kdf.{name}` must be a positive integer"))?;
    }
    let key_check = object.get("keyCheck").and_then(Value::as_str).ok_or("`keyCheck` must be a string")?;
    if key_check.len() != 64 || !key_check.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err("`keyCheck` must be 64 lowercase hex characters".to_owned());
    }
    let [m, t, p] = costs;
    Ok(Encryption {
        object: json!({
            "kdf": { "alg": "argon2id", "salt": salt, "m": m, "t": t, "p": p },
            "keyCheck": key_check,
        }),
        key_check: key_check.to_owned(),
    })
}

/// A PATCH body: `name` to rename, `password` to protect (string) or unprotect (null).
struct Patch {
    name: Option<String>,
    password: Option<Option<String>>,
}

fn parse_patch(body: &[u8]) -> Result<Patch, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("malformed JSON: {e}"))?;
    let object = value.as_object().ok_or("the PATCH body must be a JSON object")?;
    let mut patch = Patch { name: None, password: None };
    for (key, value) in object {
        match (key.as_str(), value) {
            ("name", Value::String(name)) => {
                check_name(name).map_err(|e| e.message)?;
                patch.name = Some(name.clone());
            }
            ("password", Value::Null) => patch.password = Some(None),
            ("password", Value::String(password)) if !password.is_empty() => {
                patch.password = Some(Some(password.clone()));
            }
            ("name" | "password", _) => return Err(format!("bad type or value for {key:?}")),
            _ => return Err(format!("unknown field {key:?}")),
        }
    }
    Ok(patch)
}

// ---------------------------------------------------------------------------------------
// Small helpers

/// The contract's ETag: quoted first 32 hex characters of SHA-256(body ‖ "\n" ‖ name ‖ "\n"
/// ‖ "1"/"0").
pub fn etag(body: &[u8], name: &str, protected: bool) -> String {
    let mut hasher = Sha256::new();
    hasher.update(body);
    hasher.update(b"\n");
    hasher.update(name.as_bytes());
    hasher.update(b"\n");
    hasher.update(if protected { b"1" } else { b"0" });
    let digest = hasher.finalize();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn fingerprint(name: &str, body: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    hasher.finalize().into()
}

fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}
