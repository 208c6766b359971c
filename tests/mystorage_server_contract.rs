//! Tests of the reference My Storage server itself, over real HTTP on loopback: statuses
//! and error codes in the contract's check order, ETags, idempotency, gzip bodies, limits,
//! encryption setup and every kind of injected fault.

mod mystorage_server;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use flate2::Compression;
use flate2::write::GzEncoder;
use mystorage_server::{Fault, FaultRule, MAX_BODY, Server, StorageSpec};
use reqwest::Method;
use reqwest::blocking::{Client, RequestBuilder};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const S: &str = "7d1f3a52-6c1e-4b8e-9a43-0c2f5e8b9d10";
const OTHER: &str = "0b8e6f0c-2a57-4d3e-8f11-5c6a7b8c9d0e";
const EK: &str = "ek_0123456789abcdef";
const KEY_CHECK: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/// A response read to its end.
struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("status {}: body is not JSON ({e}): {:?}", self.status, self.text()))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_owned())
    }

    /// Asserts the status and, for errors, the JSON error code and a message.
    fn expect(self, status: u16, code: Option<&str>) -> Reply {
        assert_eq!(self.status, status, "body: {}", self.text());
        if let Some(code) = code {
            let body = self.json();
            assert_eq!(body["error"], code, "body: {body}");
            assert!(body["message"].is_string(), "body: {body}");
        }
        self
    }

    fn etag(&self) -> String {
        self.header("etag").expect("ETag header")
    }
}

/// A server with storage `S` (Edit Key `EK`) and a client for it.
struct Env {
    server: Server,
    http: Client,
}

impl Env {
    fn new() -> Env {
        Env::with(StorageSpec::new(S, EK))
    }

    fn with(spec: StorageSpec) -> Env {
        let server = Server::start();
        server.add_storage(spec);
        Env { server, http: client() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    /// A request to `path` carrying the Edit Key.
    fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, self.url(path)).bearer_auth(EK)
    }

    fn map_path(&self, map_id: &str) -> String {
        format!("/v1/my/{S}/map/{map_id}")
    }

    /// Posts a plain JSVG map body with a name.
    fn post(&self, name: &str, body: Vec<u8>) -> Reply {
        send(
            self.req(Method::POST, &format!("/v1/my/{S}/maps"))
                .header("Content-Type", "application/json")
                .header("X-Map-Name", encode(name))
                .body(body),
        )
    }

    /// Creates a map and returns its id and ETag.
    fn create(&self, name: &str) -> (String, String) {
        let reply = self.post(name, jsvg(name)).expect(201, None);
        (reply.json()["id"].as_str().unwrap().to_owned(), reply.etag())
    }

    fn patch(&self, map_id: &str, etag: &str, body: Value) -> Reply {
        send(self.req(Method::PATCH, &self.map_path(map_id)).header("If-Match", etag).body(body.to_string()))
    }
}

fn client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

fn send(request: RequestBuilder) -> Reply {
    let response = request.send().expect("HTTP response");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().expect("response body").to_vec();
    Reply { status, headers, body }
}

fn encode(name: &str) -> String {
    percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn jsvg(name: &str) -> Vec<u8> {
    json!({ "name": name, "map": "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect id=\"a\"/></svg>" })
        .to_string()
        .into_bytes()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The contract's ETag formula, computed independently of the server.
fn expected_etag(body: &[u8], name: &str, protected: bool) -> String {
    let mut input = body.to_vec();
    input.extend_from_slice(format!("\n{name}\n{}", if protected { 1 } else { 0 }).as_bytes());
    let hex: String = Sha256::digest(&input).iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{}\"", &hex[..32])
}

fn setup_body() -> Value {
    json!({
        "kdf": { "alg": "argon2id", "salt": BASE64.encode([7u8; 16]), "m": 65536, "t": 3, "p": 1 },
        "keyCheck": KEY_CHECK,
    })
}

fn envelope(nonce_len: usize, ct_len: usize) -> Vec<u8> {
    let salt = BASE64.encode([7u8; 16]);
    json!({
        "v": 1, "alg": "A256GCM",
        "kdf": { "alg": "argon2id", "salt": salt, "m": 65536, "t": 3, "p": 1 },
        "aad": format!("synmap/v1/{S}/{salt}/65536/3/1"),
        "nonce": BASE64.encode(vec![1u8; nonce_len]),
        "ct": BASE64.encode(vec![2u8; ct_len]),
    })
    .to_string()
    .into_bytes()
}

fn post_envelope(env: &Env, key_check: Option<&str>, content_type: &str, body: Vec<u8>) -> Reply {
    let mut request = env
        .req(Method::POST, &format!("/v1/my/{S}/maps"))
        .header("Content-Type", content_type)
        .header("X-Map-Name", "secret")
        .body(body);
    if let Some(key_check) = key_check {
        request = request.header("X-Key-Check", key_check);
    }
    send(request)
}

#[test]
fn storage_info_and_the_first_checks() {
    let env = Env::new();
    let info = send(env.req(Method::GET, &format!("/v1/my/{S}"))).expect(200, None).json();
    assert_eq!(info["id"], S);
    assert_eq!(info["name"], "Test storage");
    assert_eq!(info["region"], "custom");
    assert!(info["readKey"].as_str().unwrap().starts_with("rk_"));
    assert_eq!(info["quota"], json!({ "limit": 100 * 1024 * 1024, "used": 0 }));
    assert_eq!(info["encryption"], Value::Null);

    // 1 before 2: an unknown storage is reported whatever the key.
    let unknown = format!("/v1/my/{OTHER}");
    send(env.http.get(env.url(&unknown))).expect(404, Some("StorageNotFound"));
    send(env.req(Method::GET, &unknown)).expect(404, Some("StorageNotFound"));
    // 2: missing or wrong Edit Key.
    send(env.http.get(env.url(&format!("/v1/my/{S}")))).expect(401, Some("InvalidEditKey"));
    send(env.http.get(env.url(&format!("/v1/my/{S}"))).bearer_auth("ek_wrong"))
        .expect(401, Some("InvalidEditKey"));
    // 3 after 2.
    env.server.set_active(S, false);
    send(env.http.get(env.url(&format!("/v1/my/{S}"))).bearer_auth("ek_wrong"))
        .expect(401, Some("InvalidEditKey"));
    send(env.req(Method::GET, &format!("/v1/my/{S}"))).expect(403, Some("InactiveStorage"));
    send(env.req(Method::GET, &format!("/v1/my/{S}/maps"))).expect(403, Some("InactiveStorage"));
    env.server.set_active(S, true);
    send(env.req(Method::GET, &format!("/v1/my/{S}/maps"))).expect(200, None);

    // Unknown routes and methods still answer JSON errors.
    send(env.req(Method::GET, "/v2/nothing")).expect(404, Some("NotFound"));
    send(env.req(Method::DELETE, &format!("/v1/my/{S}/maps"))).expect(405, Some("MethodNotAllowed"));
}

#[test]
fn create_read_list_and_etag_formula() {
    let env = Env::new();
    let name = "Étage 1 — Nord";
    let body = jsvg(name);
    let reply = env.post(name, body.clone()).expect(201, None);
    let info = reply.json();
    let id = info["id"].as_str().unwrap().to_owned();
    let parsed = uuid::Uuid::parse_str(&id).unwrap();
    assert_eq!(parsed.get_version_num(), 4);
    assert_eq!(id, parsed.hyphenated().to_string(), "lowercase hyphenated");
    let etag = expected_etag(&body, name, false);
    assert_eq!(reply.etag(), etag);
    assert_eq!(reply.header("location").unwrap(), format!("/v1/my/{S}/map/{id}"));
    assert_eq!(info["name"], name);
    assert_eq!(info["size"], body.len());
    assert_eq!(info["etag"], etag);
    assert_eq!(info["protected"], false);
    assert_eq!(info["encrypted"], false);
    for time in ["created", "updated"] {
        humantime::parse_rfc3339(info[time].as_str().unwrap()).unwrap();
        assert!(info[time].as_str().unwrap().ends_with('Z'));
    }

    let read = send(env.req(Method::GET, &env.map_path(&id))).expect(200, None);
    assert_eq!(read.body, body);
    assert_eq!(read.header("content-type").unwrap(), "application/json");
    assert_eq!(read.etag(), etag);

    let second = env.create("second").0;
    let list = send(env.req(Method::GET, &format!("/v1/my/{S}/maps"))).expect(200, None).json();
    let listed: Vec<&str> =
        list["maps"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(listed, [id.as_str(), second.as_str()]);
    assert_eq!(list["maps"][0], info);

    let stored = env.server.maps(S);
    assert_eq!(stored.len(), 2);
    assert_eq!(
        (stored[0].name.as_str(), &stored[0].body, stored[0].etag.as_str()),
        (name, &body, etag.as_str())
    );
    assert_eq!(stored[0].content_type, "application/json");
    let used =
        send(env.req(Method::GET, &format!("/v1/my/{S}"))).expect(200, None).json()["quota"]["used"].clone();
    assert_eq!(used, stored.iter().map(|m| m.body.len()).sum::<usize>());

    send(env.req(Method::GET, &env.map_path(OTHER))).expect(404, Some("MapNotFound"));
}

#[test]
fn map_names_are_percent_encoded_and_bounded() {
    let env = Env::new();
    let path = format!("/v1/my/{S}/maps");
    let post_raw = |header: Option<&str>| {
        let mut request =
            env.req(Method::POST, &path).header("Content-Type", "application/json").body(jsvg("x"));
        if let Some(value) = header {
            request = request.header("X-Map-Name", value);
        }
        send(request)
    };
    post_raw(None).expect(400, Some("BadRequest"));
    post_raw(Some("")).expect(400, Some("BadRequest"));
    post_raw(Some("%FF%FE")).expect(400, Some("BadRequest"));
    env.post(&"é".repeat(121), jsvg("x")).expect(400, Some("BadRequest"));
    let longest = "é".repeat(120);
    assert_eq!(env.post(&longest, jsvg("x")).expect(201, None).json()["name"], longest);
    assert_eq!(post_raw(Some("a%20b%2Fc")).expect(201, None).json()["name"], "a b/c");
    // 8 before 9: a bad name wins over a bad content type.
    send(env.req(Method::POST, &path).header("Content-Type", "text/plain").body("x"))
        .expect(400, Some("BadRequest"));
}

#[test]
fn plain_storage_content_checks() {
    let env = Env::new();
    let post_typed = |content_type: &str, body: Vec<u8>| {
        send(
            env.req(Method::POST, &format!("/v1/my/{S}/maps"))
                .header("Content-Type", content_type)
                .header("X-Map-Name", "m")
                .body(body),
        )
    };
    post_typed("application/vnd.synmap.envelope+json", envelope(12, 32)).expect(415, Some("InvalidFileType"));
    post_typed("image/svg+xml", b"<svg/>".to_vec()).expect(415, Some("InvalidFileType"));
    send(env.req(Method::POST, &format!("/v1/my/{S}/maps")).header("X-Map-Name", "m").body(jsvg("m")))
        .expect(415, Some("InvalidFileType"));
    post_typed("application/json; charset=utf-8", jsvg("m")).expect(201, None);

    let bad = [
        "not json".to_owned(),
        "[]".to_owned(),
        json!({ "map": "<svg/>" }).to_string(),
        json!({ "name": 3, "map": "<svg/>" }).to_string(),
        json!({ "name": "m", "map": 3 }).to_string(),
        json!({ "name": "m", "map": "<html/>" }).to_string(),
        json!({ "name": "m", "map": "<!-- c --><svg/>" }).to_string(),
        json!({ "name": "m", "map": "<?xml version=\"1.0\"?> <html/>" }).to_string(),
    ];
    for body in bad {
        post_typed("application/json", body.clone().into_bytes()).expect(422, Some("InvalidJsvg"));
    }
    let good =
        ["\n  <svg/>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg/>", "<?xml version='1.0'?><svg/>"];
    for map in good {
        post_typed(
            "application/json",
            json!({ "name": "m", "map": map, "extra": 1 }).to_string().into_bytes(),
        )
        .expect(201, None);
    }
}

#[test]
fn replace_patch_delete_and_their_preconditions() {
    let env = Env::new();
    let (id, etag) = env.create("plan");
    let path = env.map_path(&id);
    let put = |if_match: Option<&str>, content_type: &str, body: Vec<u8>| {
        let mut request = env.req(Method::PUT, &path).header("Content-Type", content_type).body(body);
        if let Some(if_match) = if_match {
            request = request.header("If-Match", if_match);
        }
        send(request)
    };

    // 4 before 5; 5 before 9; 6 before 9; 9 before 10.
    send(env.req(Method::PUT, &env.map_path(OTHER)).body("x")).expect(404, Some("MapNotFound"));
    put(None, "text/plain", b"x".to_vec()).expect(428, Some("PreconditionRequired"));
    put(Some("\"0000\""), "text/plain", b"x".to_vec()).expect(412, Some("EtagMismatch"));
    put(Some(etag.trim_matches('"')), "application/json", jsvg("plan")).expect(412, Some("EtagMismatch"));
    put(Some(&etag), "text/plain", vec![b' '; MAX_BODY + 1]).expect(415, Some("InvalidFileType"));

    let new_body = jsvg("plan v2");
    let reply = put(Some(&etag), "application/json", new_body.clone()).expect(200, None);
    let etag2 = expected_etag(&new_body, "plan", false);
    assert_eq!(reply.etag(), etag2);
    assert_eq!(reply.json()["etag"], etag2);
    assert_eq!(reply.json()["size"], new_body.len());
    assert_eq!(env.server.maps(S)[0].body, new_body);
    // The same content again changes nothing.
    assert_eq!(put(Some(&etag2), "application/json", new_body.clone()).expect(200, None).etag(), etag2);

    // PATCH: bodies are checked strictly.
    env.patch(&id, &etag, json!({ "name": "x" })).expect(412, Some("EtagMismatch"));
    send(env.req(Method::PATCH, &path).body("{}")).expect(428, Some("PreconditionRequired"));
    for bad in [
        json!({ "title": "x" }),
        json!({ "name": 1 }),
        json!({ "password": 1 }),
        json!({ "name": "" }),
        json!([]),
    ] {
        env.patch(&id, &etag2, bad).expect(400, Some("BadRequest"));
    }
    send(env.req(Method::PATCH, &path).header("If-Match", &etag2).body("{nope"))
        .expect(400, Some("BadRequest"));
    assert_eq!(env.patch(&id, &etag2, json!({})).expect(200, None).etag(), etag2);
    let renamed = env.patch(&id, &etag2, json!({ "name": "Plan B" })).expect(200, None);
    let etag3 = expected_etag(&new_body, "Plan B", false);
    assert_eq!((renamed.etag(), renamed.json()["name"].clone()), (etag3.clone(), json!("Plan B")));

    // Protection: the ETag counts it, and DELETE then needs the password (7 after 6).
    let protected = env.patch(&id, &etag3, json!({ "password": "s3cret" })).expect(200, None);
    let etag4 = expected_etag(&new_body, "Plan B", true);
    assert_eq!(protected.etag(), etag4);
    assert_eq!(protected.json()["protected"], true);
    assert_eq!(env.server.maps(S)[0].password.as_deref(), Some("s3cret"));
    send(env.req(Method::DELETE, &path).header("If-Match", &etag3)).expect(412, Some("EtagMismatch"));
    send(env.req(Method::DELETE, &path).header("If-Match", &etag4)).expect(403, Some("InvalidMapPassword"));
    send(env.req(Method::DELETE, &path).header("If-Match", &etag4).header("X-Map-Password", "nope"))
        .expect(403, Some("InvalidMapPassword"));
    send(env.req(Method::PUT, &path).header("If-Match", &etag4).body("x"))
        .expect(403, Some("InvalidMapPassword"));
    env.patch(&id, &etag4, json!({ "password": null })).expect(403, Some("InvalidMapPassword"));
    // Changing only the password keeps the ETag.
    let same = send(
        env.req(Method::PATCH, &path)
            .header("If-Match", &etag4)
            .header("X-Map-Password", "s3cret")
            .body(json!({ "password": "other" }).to_string()),
    )
    .expect(200, None);
    assert_eq!(same.etag(), etag4);

    send(env.req(Method::DELETE, &path).header("If-Match", &etag4).header("X-Map-Password", "other"))
        .expect(204, None);
    assert!(env.server.maps(S).is_empty());
    // A retried DELETE sees MapNotFound.
    send(env.req(Method::DELETE, &path).header("If-Match", &etag4).header("X-Map-Password", "other"))
        .expect(404, Some("MapNotFound"));
}

#[test]
fn unprotecting_and_edits_behind_the_back() {
    let env = Env::new();
    let (id, etag) = env.create("m");
    let etag = env.patch(&id, &etag, json!({ "password": "pw" })).expect(200, None).etag();
    let reply = send(
        env.req(Method::PATCH, &env.map_path(&id))
            .header("If-Match", &etag)
            .header("X-Map-Password", "pw")
            .body(json!({ "password": null, "name": "n" }).to_string()),
    )
    .expect(200, None);
    assert_eq!(reply.json()["protected"], false);
    let etag = reply.etag();
    assert_eq!(etag, expected_etag(&jsvg("m"), "n", false));

    let theirs = jsvg("theirs");
    env.server.edit_behind_the_back(S, &id, theirs.clone());
    let stored = &env.server.maps(S)[0];
    assert_eq!(stored.etag, expected_etag(&theirs, "n", false));
    send(env.req(Method::PUT, &env.map_path(&id)).header("If-Match", &etag).body(jsvg("mine")))
        .expect(412, Some("EtagMismatch"));
    let read = send(env.req(Method::GET, &env.map_path(&id))).expect(200, None);
    assert_eq!((read.etag(), read.body), (stored.etag.clone(), theirs));
}

#[test]
fn read_key_reads_a_map_without_the_edit_key() {
    let env = Env::new();
    let (id, _) = env.create("m");
    let read_key =
        send(env.req(Method::GET, &format!("/v1/my/{S}"))).json()["readKey"].as_str().unwrap().to_owned();
    let url = env.url(&format!("{}?key={read_key}&name=m", env.map_path(&id)));
    assert_eq!(send(env.http.get(&url)).expect(200, None).body, jsvg("m"));
    send(env.http.get(env.url(&format!("{}?key=rk_wrong", env.map_path(&id)))))
        .expect(401, Some("InvalidEditKey"));
    // The read key reads maps only.
    send(env.http.get(env.url(&format!("/v1/my/{S}/maps?key={read_key}"))))
        .expect(401, Some("InvalidEditKey"));
}

#[test]
fn gzip_bodies_are_decoded_and_logged_as_received() {
    let env = Env::new();
    let body = jsvg("zipped");
    let compressed = gzip(&body);
    let reply = send(
        env.req(Method::POST, &format!("/v1/my/{S}/maps"))
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .header("X-Map-Name", "zipped")
            .body(compressed.clone()),
    )
    .expect(201, None);
    assert_eq!(reply.json()["size"], body.len());
    assert_eq!(reply.etag(), expected_etag(&body, "zipped", false));
    assert_eq!(env.server.maps(S)[0].body, body);
    let logged = env.server.requests().into_iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(logged.body, compressed);
    assert_eq!(logged.header("content-encoding"), Some("gzip"));
    assert_eq!(logged.path_and_query, format!("/v1/my/{S}/maps"));

    // Broken gzip or unknown encodings are bad requests.
    let id = reply.json()["id"].as_str().unwrap().to_owned();
    let etag = reply.etag();
    send(
        env.req(Method::PUT, &env.map_path(&id))
            .header("If-Match", &etag)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .body(compressed[..compressed.len() / 2].to_vec()),
    )
    .expect(400, Some("BadRequest"));
    send(
        env.req(Method::PUT, &env.map_path(&id))
            .header("If-Match", &etag)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "br")
            .body(body.clone()),
    )
    .expect(400, Some("BadRequest"));
    // PATCH bodies may be gzipped too.
    let renamed = send(
        env.req(Method::PATCH, &env.map_path(&id))
            .header("If-Match", &etag)
            .header("Content-Encoding", "gzip")
            .body(gzip(json!({ "name": "unzipped" }).to_string().as_bytes())),
    )
    .expect(200, None);
    assert_eq!(renamed.json()["name"], "unzipped");
}

#[test]
fn twenty_mib_limit_counts_the_decoded_body() {
    let env = Env::new();
    let prefix = br#"{"name":"big","map":"<svg>"#;
    let suffix = br#"</svg>"}"#;
    let mut exact = prefix.to_vec();
    exact.resize(MAX_BODY - suffix.len(), b' ');
    exact.extend_from_slice(suffix);
    assert_eq!(exact.len(), 20_971_520);
    let reply = env.post("big", exact.clone()).expect(201, None);
    assert_eq!(reply.json()["size"], MAX_BODY);

    let mut over = exact.clone();
    over.insert(prefix.len(), b' ');
    env.post("big", over.clone()).expect(413, Some("FileSizeExceeded"));
    // 1 before 10: an unknown storage is reported first.
    send(
        env.req(Method::POST, &format!("/v1/my/{OTHER}/maps"))
            .header("Content-Type", "application/json")
            .header("X-Map-Name", "big")
            .body(over.clone()),
    )
    .expect(404, Some("StorageNotFound"));

    // A small gzip body that decodes past the limit (a "bomb") is refused, as is the
    // compressed form of the over-limit body.
    for bomb in [gzip(&vec![b' '; 64 * 1024 * 1024]), gzip(&over)] {
        assert!(bomb.len() < MAX_BODY);
        send(
            env.req(Method::POST, &format!("/v1/my/{S}/maps"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .header("X-Map-Name", "bomb")
                .body(bomb),
        )
        .expect(413, Some("FileSizeExceeded"));
    }
    assert_eq!(env.server.maps(S).len(), 1);
}

#[test]
fn quota_counts_stored_bodies_and_replacements() {
    let mut spec = StorageSpec::new(S, EK);
    spec.quota_limit = 1000;
    let env = Env::with(spec);
    let sized = |len: usize| {
        let mut body = jsvg("q");
        let pad = len - body.len();
        body.splice(1..1, std::iter::repeat_n(b' ', pad));
        assert_eq!(body.len(), len);
        body
    };
    let first = env.post("a", sized(600)).expect(201, None);
    env.post("b", sized(401)).expect(507, Some("QuotaExceeded"));
    env.post("b", sized(400)).expect(201, None);
    let info = send(env.req(Method::GET, &format!("/v1/my/{S}"))).json();
    assert_eq!(info["quota"], json!({ "limit": 1000, "used": 1000 }));

    let id = first.json()["id"].as_str().unwrap().to_owned();
    let put = |etag: &str, len: usize| {
        send(
            env.req(Method::PUT, &env.map_path(&id))
                .header("If-Match", etag)
                .header("Content-Type", "application/json")
                .body(sized(len)),
        )
    };
    put(&first.etag(), 601).expect(507, Some("QuotaExceeded"));
    let smaller = put(&first.etag(), 500).expect(200, None);
    put(&smaller.etag(), 600).expect(200, None);
    assert_eq!(send(env.req(Method::GET, &format!("/v1/my/{S}"))).json()["quota"]["used"], 1000);
}

#[test]
fn idempotent_creates_replay_the_first_answer() {
    let env = Env::new();
    let post = |key: &str, name: &str, body: Vec<u8>| {
        send(
            env.req(Method::POST, &format!("/v1/my/{S}/maps"))
                .header("Content-Type", "application/json")
                .header("X-Map-Name", name)
                .header("Idempotency-Key", key)
                .body(body),
        )
    };
    let key = "5b0c1f55-94a4-4a55-a7a8-0fd7c3d1b0a1";
    let first = post(key, "m", jsvg("m")).expect(201, None);
    let again = post(key, "m", jsvg("m")).expect(201, None);
    assert_eq!(again.body, first.body);
    assert_eq!(again.etag(), first.etag());
    assert_eq!(again.header("location"), first.header("location"));
    // The same decoded body gzipped is the same request.
    let zipped = send(
        env.req(Method::POST, &format!("/v1/my/{S}/maps"))
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .header("X-Map-Name", "m")
            .header("Idempotency-Key", key)
            .body(gzip(&jsvg("m"))),
    )
    .expect(201, None);
    assert_eq!(zipped.body, first.body);
    assert_eq!(env.server.maps(S).len(), 1);

    post(key, "m", jsvg("other")).expect(422, Some("IdempotencyKeyReused"));
    post(key, "renamed", jsvg("m")).expect(422, Some("IdempotencyKeyReused"));

    // Failures are not remembered.
    let key2 = "9d5e0f3a-1111-4c2b-8e0f-222233334444";
    post(key2, "n", b"not jsvg".to_vec()).expect(422, Some("InvalidJsvg"));
    env.server.inject(FaultRule::new(Fault::Status(503)).on("POST", "/maps"));
    post(key2, "n", jsvg("n")).expect(503, Some("ServiceUnavailable"));
    let created = post(key2, "n", jsvg("n")).expect(201, None);
    assert_ne!(created.json()["id"], first.json()["id"]);
    assert_eq!(env.server.maps(S).len(), 2);

    // Keys are per storage.
    env.server.add_storage(StorageSpec::new(OTHER, EK));
    let elsewhere = send(
        env.req(Method::POST, &format!("/v1/my/{OTHER}/maps"))
            .header("Content-Type", "application/json")
            .header("X-Map-Name", "m")
            .header("Idempotency-Key", key)
            .body(jsvg("m")),
    )
    .expect(201, None);
    assert_ne!(elsewhere.json()["id"], first.json()["id"]);
}

#[test]
fn a_reused_key_is_reported_before_the_quota() {
    let mut spec = StorageSpec::new(S, EK);
    spec.quota_limit = 300;
    let env = Env::with(spec);
    let post = |body: Vec<u8>| {
        send(
            env.req(Method::POST, &format!("/v1/my/{S}/maps"))
                .header("Content-Type", "application/json")
                .header("X-Map-Name", "m")
                .header("Idempotency-Key", "k-1")
                .body(body),
        )
    };
    post(jsvg("m")).expect(201, None);
    let mut big = jsvg("m");
    big.splice(1..1, std::iter::repeat_n(b' ', 400));
    post(big).expect(422, Some("IdempotencyKeyReused"));
}

#[test]
fn encryption_setup_and_encrypted_storage() {
    let env = Env::new();
    let (plain_id, plain_etag) = env.create("plain before setup");
    let setup = |body: String| send(env.req(Method::PUT, &format!("/v1/my/{S}/encryption")).body(body));
    let mut bad_bodies = vec!["{".to_owned(), "[]".to_owned()];
    for (pointer, value) in [
        ("/kdf/alg", json!("argon2i")),
        ("/kdf/salt", json!(BASE64.encode([1u8; 15]))),
        ("/kdf/salt", json!("not base64!")),
        ("/kdf/m", json!(0)),
        ("/kdf/t", json!("3")),
        ("/kdf/p", json!(-1)),
        ("/kdf/extra", json!(1)),
        ("/keyCheck", json!(KEY_CHECK.to_uppercase())),
        ("/keyCheck", json!(&KEY_CHECK[1..])),
        ("/other", json!(true)),
    ] {
        let mut body = setup_body();
        let (parent, field) = pointer.rsplit_once('/').unwrap();
        body.pointer_mut(parent).unwrap()[field] = value;
        bad_bodies.push(body.to_string());
    }
    for body in &bad_bodies {
        setup(body.clone()).expect(400, Some("BadRequest"));
    }
    let stored = setup(setup_body().to_string()).expect(201, None).json();
    assert_eq!(stored, setup_body());
    assert_eq!(send(env.req(Method::GET, &format!("/v1/my/{S}"))).json()["encryption"], setup_body());
    setup(setup_body().to_string()).expect(409, Some("EncryptionAlreadySet"));
    // 8 before 14.
    setup(bad_bodies[2].clone()).expect(400, Some("BadRequest"));

    let envelope_type = "application/vnd.synmap.envelope+json";
    post_envelope(&env, Some(KEY_CHECK), "application/json", jsvg("m")).expect(415, Some("InvalidFileType"));
    // 9 before 11, 11 before 12.
    post_envelope(&env, None, "application/json", jsvg("m")).expect(415, Some("InvalidFileType"));
    post_envelope(&env, None, envelope_type, envelope(12, 32)).expect(403, Some("InvalidEncryptionKey"));
    let wrong = KEY_CHECK.replace('0', "1");
    post_envelope(&env, Some(&wrong), envelope_type, b"{}".to_vec())
        .expect(403, Some("InvalidEncryptionKey"));
    for body in [
        envelope(11, 32),
        envelope(12, 15),
        b"{}".to_vec(),
        serde_json::to_vec(&{
            let mut e: Value = serde_json::from_slice(&envelope(12, 32)).unwrap();
            e["v"] = json!(2);
            e
        })
        .unwrap(),
        serde_json::to_vec(&{
            let mut e: Value = serde_json::from_slice(&envelope(12, 32)).unwrap();
            e["kdf"]["m"] = json!("big");
            e
        })
        .unwrap(),
    ] {
        post_envelope(&env, Some(KEY_CHECK), envelope_type, body).expect(422, Some("InvalidJsvg"));
    }
    let body = envelope(12, 16);
    let created = post_envelope(&env, Some(KEY_CHECK), envelope_type, body.clone()).expect(201, None);
    assert_eq!(created.json()["encrypted"], true);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let read = send(env.req(Method::GET, &env.map_path(&id))).expect(200, None);
    assert_eq!(read.header("content-type").unwrap(), envelope_type);
    assert_eq!(read.body, body);

    // PUT needs the key check too, also to replace a map stored before the setup.
    let put = |key_check: Option<&str>| {
        let mut request = env
            .req(Method::PUT, &env.map_path(&plain_id))
            .header("If-Match", &plain_etag)
            .header("Content-Type", envelope_type)
            .body(envelope(12, 48));
        if let Some(key_check) = key_check {
            request = request.header("X-Key-Check", key_check);
        }
        send(request)
    };
    put(None).expect(403, Some("InvalidEncryptionKey"));
    assert_eq!(put(Some(KEY_CHECK)).expect(200, None).json()["encrypted"], true);
}

#[test]
fn status_faults_answer_before_handling() {
    let env = Env::new();
    env.server.inject(FaultRule::new(Fault::Status(500)).on("POST", "/maps"));
    env.post("m", jsvg("m")).expect(500, Some("InternalError"));
    assert!(env.server.maps(S).is_empty());

    env.server.inject(FaultRule::new(Fault::Status(503)).times(2));
    let list = format!("/v1/my/{S}/maps");
    send(env.req(Method::GET, &list)).expect(503, Some("ServiceUnavailable"));
    send(env.req(Method::GET, &list)).expect(503, Some("ServiceUnavailable"));
    send(env.req(Method::GET, &list)).expect(200, None);

    env.server.inject(FaultRule::new(Fault::TooManyRequests { retry_after_secs: 7 }).on("GET", "/maps"));
    // A rule for another method or path does not fire.
    send(env.req(Method::GET, &format!("/v1/my/{S}"))).expect(200, None);
    let limited = send(env.req(Method::GET, &list)).expect(429, Some("TooManyRequests"));
    assert_eq!(limited.header("retry-after").as_deref(), Some("7"));
    send(env.req(Method::GET, &list)).expect(200, None);

    // Rules fire in order; faulted requests are logged.
    env.server.inject(FaultRule::new(Fault::Status(502)));
    env.server.inject(FaultRule::new(Fault::Status(504)));
    send(env.req(Method::GET, &list)).expect(502, Some("BadGateway"));
    send(env.req(Method::GET, &list)).expect(504, Some("GatewayTimeout"));
    assert_eq!(env.server.requests().len(), 9);
}

#[test]
fn delay_fault_then_handles_normally() {
    let env = Env::new();
    env.server.inject(FaultRule::new(Fault::Delay(Duration::from_millis(300))).on("POST", "/maps"));
    let start = Instant::now();
    env.post("slow", jsvg("slow")).expect(201, None);
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(env.server.maps(S).len(), 1);
}

#[test]
fn reset_before_handling_drops_the_connection_and_the_change() {
    let env = Env::new();
    env.server.inject(FaultRule::new(Fault::ResetBeforeHandling).on("POST", "/maps"));
    let result = env
        .req(Method::POST, &format!("/v1/my/{S}/maps"))
        .header("Content-Type", "application/json")
        .header("X-Map-Name", "lost")
        .body(jsvg("lost"))
        .send();
    let error = result.expect_err("the connection must fail");
    assert!(error.status().is_none(), "{error:?}");
    assert!(env.server.maps(S).is_empty());
    let logged = env.server.requests();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].body, jsvg("lost"));
    // The next request on a new connection works.
    env.post("kept", jsvg("kept")).expect(201, None);
}

#[test]
fn reset_after_handling_keeps_the_change() {
    let env = Env::new();
    env.server.inject(FaultRule::new(Fault::ResetAfterHandling).on("POST", "/maps"));
    let result = env
        .req(Method::POST, &format!("/v1/my/{S}/maps"))
        .header("Content-Type", "application/json")
        .header("X-Map-Name", "landed")
        .body(jsvg("landed"))
        .send();
    let error = result.expect_err("the connection must fail");
    assert!(error.status().is_none(), "{error:?}");
    let maps = env.server.maps(S);
    assert_eq!(maps.len(), 1);
    assert_eq!(maps[0].name, "landed");

    // On the wire: not a single response byte.
    env.server.inject(FaultRule::new(Fault::ResetAfterHandling));
    let (id, etag) = (maps[0].id.clone(), maps[0].etag.clone());
    let request = format!(
        "DELETE /v1/my/{S}/map/{id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {EK}\r\nIf-Match: {etag}\r\n\r\n"
    );
    let (received, reset) = raw_exchange(&env.server, &request);
    assert!(received.is_empty(), "got {:?}", String::from_utf8_lossy(&received));
    assert!(reset, "the connection is reset (RST), not closed");
    assert!(env.server.maps(S).is_empty());
}

#[test]
fn truncated_body_announces_the_full_length_and_sends_half() {
    let env = Env::new();
    let (id, _) = env.create("cut");
    env.server.inject(FaultRule::new(Fault::TruncatedBody).on("GET", "/map/"));
    let response = env.req(Method::GET, &env.map_path(&id)).send().expect("status and headers arrive");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.bytes().is_err(), "the body must be cut");

    env.server.inject(FaultRule::new(Fault::TruncatedBody));
    let request =
        format!("GET /v1/my/{S}/map/{id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {EK}\r\n\r\n");
    let (received, _) = raw_exchange(&env.server, &request);
    let split = received.windows(4).position(|w| w == b"\r\n\r\n").expect("complete headers") + 4;
    let head = String::from_utf8_lossy(&received[..split]).to_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    let full = jsvg("cut").len();
    assert!(head.contains(&format!("content-length: {full}\r\n")), "{head}");
    assert_eq!(&received[split..], &jsvg("cut")[..full / 2]);
}

/// Sends raw bytes on a fresh connection and returns everything received until the server
/// closes it, and whether it ended with a reset.
fn raw_exchange(server: &Server, request: &str) -> (Vec<u8>, bool) {
    let address = server.base_url().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return (received, false),
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return (received, true),
            Err(e) => panic!("unexpected read error: {e}"),
        }
    }
}

#[test]
fn dropping_the_server_stops_it() {
    let server = Server::start();
    let address = server.base_url().trim_start_matches("http://").to_owned();
    TcpStream::connect(&address).unwrap();
    drop(server);
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(&address).is_ok() {
        assert!(Instant::now() < deadline, "still listening");
        std::thread::sleep(Duration::from_millis(20));
    }
}
