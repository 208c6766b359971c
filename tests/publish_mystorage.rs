//! The My Storage client against the reference server over real HTTP on loopback: every
//! operation, encryption, the checks made before sending, and faults (resets, truncated
//! answers, 5xx, 429) that must neither lose nor corrupt a map nor create one twice; and the
//! publishing workflow both front ends run on top of it.

mod mystorage_server;
mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use mystorage_server::{Fault, FaultRule, Server, StorageSpec};
use synmap::storage::config::StorageConfig;
use synmap::storage::content::{KeyCache, prepare, unwrap};
use synmap::storage::contract::MapInfo;
use synmap::storage::crypto::{self, CryptoError, EncryptionInfo, KdfParams, MasterKey};
use synmap::storage::mystorage::{MyStorage, PasswordChange};
use synmap::storage::netlog::NetLog;
use synmap::storage::publish::{FrontEnd, Publisher};
use synmap::storage::transport::{Transfer, Transport, TransportError, TransportOptions};
use synmap::storage::{PublishError, Secret};
use synmap::svg::ExportOptions;
use synmap::svg::jsvg::{JsvgHeader, export_jsvg};

const EDIT_KEY: &str = "ek_test_3b6f0c2a9d";

fn options() -> TransportOptions {
    TransportOptions {
        backoff: Duration::from_millis(20),
        timeout: Duration::from_secs(10),
        ..Default::default()
    }
}

struct Fixture {
    server: Server,
    storage: String,
    client: MyStorage,
    log: NetLog,
}

fn fixture_with(spec: impl FnOnce(StorageSpec) -> StorageSpec, opts: TransportOptions) -> Fixture {
    let server = Server::start();
    let storage = uuid::Uuid::new_v4().to_string();
    server.add_storage(spec(StorageSpec::new(&storage, EDIT_KEY)));
    let log = NetLog::default();
    let transport = Transport::new(opts, log.clone());
    let client = MyStorage::new(transport, &server.base_url(), &storage, Secret::new(EDIT_KEY)).unwrap();
    Fixture { server, storage, client, log }
}

fn fixture() -> Fixture {
    fixture_with(|s| s, options())
}

/// The sample map as JSVG named `name`.
fn sample_jsvg(name: &str) -> Vec<u8> {
    let imported = synmap::svg::import_file(&support::sample()).unwrap();
    let (jsvg, _) = export_jsvg(&imported.map, &ExportOptions::default(), None, &JsvgHeader::new(name));
    serde_json::to_vec(&jsvg).unwrap()
}

fn upload(f: &Fixture, name: &str) -> (MapInfo, Vec<u8>) {
    let jsvg = sample_jsvg(name);
    let info = f.client.info().unwrap();
    let content = prepare(&jsvg, &info, None, None).unwrap();
    (f.client.create(name, &content, &Transfer::default()).unwrap(), jsvg)
}

fn posts(server: &Server) -> usize {
    server.requests().iter().filter(|r| r.method == "POST").count()
}

#[test]
fn upload_list_download_rename_protect_delete() {
    let f = fixture();
    let (created, jsvg) = upload(&f, "Office floor");
    assert_eq!(created.name, "Office floor");
    let stored = f.server.maps(&f.storage);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].body, jsvg);
    assert_eq!(stored[0].content_type, "application/json");
    // The body went gzip-compressed and was stored decoded.
    let post = f.server.requests().into_iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(post.header("content-encoding"), Some("gzip"));
    assert!(post.body.len() < jsvg.len() / 2);
    assert_eq!(post.header("x-map-name"), Some("Office%20floor"));

    let list = f.client.list().unwrap();
    assert_eq!(list, vec![created.clone()]);
    let down = f.client.download(&created.id, &Transfer::default()).unwrap();
    assert_eq!(unwrap(&down.body, &down.content_type, &f.storage, None).unwrap().jsvg, jsvg);
    assert_eq!(down.etag, created.etag);

    let renamed = f.client.patch(&created, Some("Floor 2 — east"), &PasswordChange::Keep, None).unwrap();
    assert_eq!(renamed.name, "Floor 2 — east");
    assert_ne!(renamed.etag, created.etag);
    let protected =
        f.client.patch(&renamed, None, &PasswordChange::Set(Secret::new("map-pw")), None).unwrap();
    assert!(protected.protected);
    // A protected map needs its password for changes.
    let err = f.client.patch(&protected, Some("x"), &PasswordChange::Keep, None).unwrap_err();
    assert!(err.is_code("InvalidMapPassword"), "{err}");
    assert!(err.to_string().contains("password-protected"), "{err}");
    let pw = Secret::new("map-pw");
    let open = f.client.patch(&protected, None, &PasswordChange::Remove, Some(&pw)).unwrap();
    assert!(!open.protected);
    f.client.delete(&open, None).unwrap();
    assert!(f.server.maps(&f.storage).is_empty());

    let info = f.client.info().unwrap();
    let url = f.client.map_url(&info.read_key, &created);
    assert!(url.starts_with(&format!("{}/v1/my/{}/map/{}?key=", f.server.base_url(), f.storage, created.id)));
    assert!(url.ends_with("&name=Office%20floor"), "the name percent-encoded, as the protocol says: {url}");
    // Every request is in the network log, without the Edit Key.
    let entries = f.log.entries();
    assert!(entries.len() >= 8);
    assert!(entries.iter().all(|e| !format!("{e} {e:?}").contains(EDIT_KEY)));
}

#[test]
fn replace_is_conditional_and_never_overwrites_a_change_made_elsewhere() {
    let f = fixture();
    let (created, _) = upload(&f, "Plan");
    let info = f.client.info().unwrap();
    let newer = sample_jsvg("Plan v2");
    let content = prepare(&newer, &info, None, Some(&created)).unwrap();
    let replaced = f.client.replace(&created, &content, None, &Transfer::default()).unwrap();
    assert_eq!(f.server.maps(&f.storage)[0].body, newer);
    assert_eq!(replaced.etag, synmap::storage::mystorage::expected_etag(&newer, "Plan", false));

    // Someone else changes it; a replace based on the old ETag is a conflict and changes nothing.
    f.server.edit_behind_the_back(&f.storage, &created.id, b"{\"name\":\"x\",\"map\":\"<svg/>\"}".to_vec());
    let err = f.client.replace(&replaced, &content, None, &Transfer::default()).unwrap_err();
    assert!(matches!(err, PublishError::Conflict { .. }), "{err}");
    assert_eq!(synmap::cli::publish::exit_status(&err), 4);
    assert_eq!(f.server.maps(&f.storage)[0].body, b"{\"name\":\"x\",\"map\":\"<svg/>\"}");
}

#[test]
fn a_create_whose_answer_is_lost_is_retried_without_a_duplicate() {
    for fault in [Fault::ResetAfterHandling, Fault::TruncatedBody, Fault::Status(503)] {
        let f = fixture();
        f.server.inject(FaultRule::new(fault.clone()).on("POST", "/maps"));
        let (created, jsvg) = upload(&f, "Once");
        let maps = f.server.maps(&f.storage);
        assert_eq!(maps.len(), 1, "{fault:?} made {} maps", maps.len());
        assert_eq!(maps[0].id, created.id, "{fault:?}");
        assert_eq!(maps[0].body, jsvg, "{fault:?}");
        assert_eq!(posts(&f.server), 2, "{fault:?}");
        // Both attempts carried the same idempotency key.
        let keys: Vec<String> = f
            .server
            .requests()
            .iter()
            .filter(|r| r.method == "POST")
            .map(|r| r.header("idempotency-key").unwrap().to_string())
            .collect();
        assert_eq!(keys[0], keys[1]);
    }
}

#[test]
fn lost_answers_to_replace_rename_and_delete_are_settled_by_the_etag() {
    let f = fixture();
    let (created, _) = upload(&f, "Plan");
    let info = f.client.info().unwrap();
    let newer = sample_jsvg("newer");
    let content = prepare(&newer, &info, None, Some(&created)).unwrap();
    f.server.inject(FaultRule::new(Fault::ResetAfterHandling).on("PUT", "/map/"));
    let replaced = f.client.replace(&created, &content, None, &Transfer::default()).unwrap();
    assert_eq!(f.server.maps(&f.storage)[0].body, newer);
    assert_eq!(replaced.etag, f.server.maps(&f.storage)[0].etag);

    f.server.inject(FaultRule::new(Fault::ResetAfterHandling).on("PATCH", "/map/"));
    let renamed = f.client.patch(&replaced, Some("Renamed"), &PasswordChange::Keep, None).unwrap();
    assert_eq!(renamed.name, "Renamed");
    assert_eq!(f.server.maps(&f.storage)[0].name, "Renamed");

    f.server.inject(FaultRule::new(Fault::ResetAfterHandling).on("DELETE", "/map/"));
    f.client.delete(&renamed, None).unwrap();
    assert!(f.server.maps(&f.storage).is_empty());
}

#[test]
fn downloads_survive_truncated_answers_and_rate_limits() {
    let f = fixture();
    let (created, jsvg) = upload(&f, "Plan");
    f.server.inject(FaultRule::new(Fault::TruncatedBody).on("GET", "/map/"));
    f.server.inject(FaultRule::new(Fault::TooManyRequests { retry_after_secs: 1 }).on("GET", "/map/"));
    let seen = Arc::new(AtomicU64::new(0));
    let s = seen.clone();
    let transfer = Transfer {
        progress: Some(Arc::new(move |done, _| s.store(done, Ordering::SeqCst))),
        ..Default::default()
    };
    let down = f.client.download(&created.id, &transfer).unwrap();
    assert_eq!(down.body, jsvg);
    assert_eq!(seen.load(Ordering::SeqCst), jsvg.len() as u64);
    let gets = f
        .server
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path_and_query.contains("/map/"))
        .count();
    assert_eq!(gets, 3);
    let outcomes: Vec<String> = f.log.entries().iter().map(|e| e.outcome.clone()).collect();
    assert!(outcomes.iter().any(|o| o.starts_with("429")), "{outcomes:?}");
}

#[test]
fn persistent_server_errors_give_up_with_a_clear_message_and_create_nothing() {
    let f = fixture();
    f.server.inject(FaultRule::new(Fault::Status(500)).on("POST", "/maps").times(100));
    let jsvg = sample_jsvg("x");
    let info = f.client.info().unwrap();
    let content = prepare(&jsvg, &info, None, None).unwrap();
    let err = f.client.create("x", &content, &Transfer::default()).unwrap_err();
    assert_eq!(synmap::cli::publish::exit_status(&err), 3);
    assert!(err.to_string().starts_with("HTTP 500"), "{err}");
    assert_eq!(posts(&f.server), 5);
    assert!(f.server.maps(&f.storage).is_empty());
}

#[test]
fn connection_failures_and_timeouts_are_reported() {
    let f = fixture_with(
        |s| s,
        TransportOptions { timeout: Duration::from_millis(500), attempts: 1, ..options() },
    );
    f.server.inject(FaultRule::new(Fault::Delay(Duration::from_secs(3))).on("GET", "/maps"));
    let err = f.client.list().unwrap_err();
    assert!(matches!(err, PublishError::Transport(TransportError::Timeout { .. })), "{err}");

    // Nothing listens on the port of a stopped server.
    let base = f.server.base_url();
    drop(f);
    let t = Transport::new(TransportOptions { attempts: 2, ..options() }, NetLog::default());
    let c = MyStorage::new(t, &base, &uuid::Uuid::new_v4().to_string(), Secret::new(EDIT_KEY)).unwrap();
    let err = c.info().unwrap_err();
    assert!(matches!(err, PublishError::Transport(TransportError::Connect { .. })), "{err}");
    assert!(err.to_string().contains("cannot connect to 127.0.0.1"), "{err}");
}

#[test]
fn contract_errors_have_clear_messages() {
    let f = fixture();
    let t = Transport::new(options(), NetLog::default());
    let wrong = MyStorage::new(t.clone(), &f.server.base_url(), &f.storage, Secret::new("ek_wrong")).unwrap();
    let err = wrong.info().unwrap_err();
    assert!(err.is_code("InvalidEditKey"));
    assert!(err.to_string().contains("Edit Key is missing or wrong"), "{err}");
    assert!(!err.to_string().contains("ek_wrong"));
    let other =
        MyStorage::new(t, &f.server.base_url(), &uuid::Uuid::new_v4().to_string(), Secret::new(EDIT_KEY))
            .unwrap();
    assert!(other.info().unwrap_err().to_string().contains("no storage with this id"));
    f.server.set_active(&f.storage, false);
    assert!(f.client.list().unwrap_err().is_code("InactiveStorage"));
}

#[test]
fn checks_before_sending_refuse_oversized_maps_quota_and_bad_jsvg() {
    let f = fixture_with(|s| StorageSpec { quota_limit: 10_000, ..s }, options());
    let info = f.client.info().unwrap();
    let jsvg = sample_jsvg("big");
    assert!(jsvg.len() > 10_000);
    let err = prepare(&jsvg, &info, None, None).unwrap_err();
    assert!(matches!(err, PublishError::Quota { .. }), "{err}");
    let mut huge = b"{\"name\":\"h\",\"map\":\"<svg>".to_vec();
    huge.resize(21 * 1024 * 1024, b' ');
    huge.extend_from_slice(b"</svg>\"}");
    assert!(matches!(prepare(&huge, &info, None, None), Err(PublishError::TooLarge { .. })));
    assert!(matches!(prepare(b"{\"name\":1}", &info, None, None), Err(PublishError::InvalidJsvg(_))));
    assert_eq!(posts(&f.server), 0);
}

#[test]
fn plain_http_to_another_host_is_refused_before_sending() {
    let t = Transport::new(options(), NetLog::default());
    let err =
        MyStorage::new(t, "http://eu.example.com", &uuid::Uuid::new_v4().to_string(), Secret::new(EDIT_KEY))
            .unwrap_err();
    assert!(matches!(err, PublishError::Transport(TransportError::InsecureUrl(_))), "{err}");
}

fn kdf() -> KdfParams {
    KdfParams::generate().unwrap()
}

#[test]
fn encrypted_storage_round_trip_and_refusals() {
    let f = fixture();
    let kdf = kdf();
    let key = MasterKey::derive("a long enough passphrase", &kdf).unwrap();
    f.client.setup_encryption(&EncryptionInfo { kdf: kdf.clone(), key_check: key.key_check() }).unwrap();
    let again = f.client.setup_encryption(&EncryptionInfo { kdf: kdf.clone(), key_check: key.key_check() });
    assert!(again.unwrap_err().is_code("EncryptionAlreadySet"));

    let info = f.client.info().unwrap();
    let jsvg = sample_jsvg("Secret floor");
    // Plain JSVG cannot be prepared for an encrypted storage without a key.
    assert!(prepare(&jsvg, &info, None, None).is_err());
    let content = prepare(&jsvg, &info, Some(&key), None).unwrap();
    assert_eq!(content.content_type, crypto::ENVELOPE_CONTENT_TYPE);
    let created = f.client.create("Secret floor", &content, &Transfer::default()).unwrap();
    assert!(created.encrypted);
    let stored = &f.server.maps(&f.storage)[0];
    let text = String::from_utf8_lossy(&stored.body);
    assert!(!text.contains("<svg") && !text.contains("Secret floor"), "the server sees plaintext");
    let post = f.server.requests().into_iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(post.header("x-key-check"), Some(key.key_check().as_str()));

    let down = f.client.download(&created.id, &Transfer::default()).unwrap();
    assert_eq!(unwrap(&down.body, &down.content_type, &f.storage, Some(&key)).unwrap().jsvg, jsvg);

    // A wrong passphrase is caught by the key check before anything is sent.
    let wrong = MasterKey::derive("another long passphrase", &kdf).unwrap();
    let before = f.server.requests().len();
    assert!(matches!(
        prepare(&jsvg, &info, Some(&wrong), None),
        Err(PublishError::Crypto(CryptoError::WrongPassphrase))
    ));
    assert_eq!(f.server.requests().len(), before);
    assert!(matches!(
        unwrap(&down.body, &down.content_type, &f.storage, Some(&wrong)),
        Err(PublishError::Crypto(CryptoError::Authentication))
    ));
    // Another storage's envelope does not open here.
    let other = uuid::Uuid::new_v4().to_string();
    assert!(matches!(
        unwrap(&down.body, &down.content_type, &other, Some(&key)),
        Err(PublishError::Crypto(CryptoError::ForeignEnvelope))
    ));
}

#[test]
fn redirects_are_not_followed_with_credentials() {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    // Where the redirect points: it must never be contacted.
    let elsewhere = TcpListener::bind("127.0.0.1:0").unwrap();
    elsewhere.set_nonblocking(true).unwrap();
    let target = format!("http://{}/steal", elsewhere.local_addr().unwrap());
    let redirector = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", redirector.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut conn, _) = redirector.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = conn.read(&mut buf);
        let answer =
            format!("HTTP/1.1 307 Temporary Redirect\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n");
        conn.write_all(answer.as_bytes()).unwrap();
    });
    let t = Transport::new(options(), NetLog::default());
    let c = MyStorage::new(t, &base, &uuid::Uuid::new_v4().to_string(), Secret::new(EDIT_KEY)).unwrap();
    let err = c.info().unwrap_err();
    server.join().unwrap();
    assert!(matches!(err, PublishError::Transport(TransportError::Redirect { status: 307, .. })), "{err}");
    assert!(err.to_string().contains("not followed"));
    assert!(elsewhere.accept().is_err(), "the redirect target was contacted");
}

#[test]
fn a_cancelled_upload_stops_and_creates_nothing() {
    let f = fixture();
    // Large enough to go out in many chunks, even compressed.
    let svg = synmap::generate::floor_plan(synmap::generate::PlanSpec { areas: 20_000, seed: 3 });
    let map = synmap::svg::import_bytes(svg.as_bytes()).unwrap().map;
    let (jsvg, _) = export_jsvg(&map, &ExportOptions::default(), None, &JsvgHeader::new("cancelled"));
    let jsvg = serde_json::to_vec(&jsvg).unwrap();
    let info = f.client.info().unwrap();
    let content = prepare(&jsvg, &info, None, None).unwrap();
    let transfer = Transfer::default();
    let cancel = transfer.cancel.clone();
    let transfer = Transfer {
        progress: Some(Arc::new(move |done, _| {
            if done > 0 {
                cancel.cancel();
            }
        })),
        ..transfer
    };
    let err = f.client.create("cancelled", &content, &transfer).unwrap_err();
    assert!(matches!(err, PublishError::Transport(TransportError::Cancelled)), "{err}");
    assert!(f.server.maps(&f.storage).is_empty());
}

#[test]
fn a_tls_failure_is_named_as_such() {
    let f = fixture();
    // The reference server speaks plain HTTP: a TLS handshake with it fails.
    let https = f.server.base_url().replace("http://", "https://");
    let t = Transport::new(TransportOptions { attempts: 1, ..options() }, NetLog::default());
    let c = MyStorage::new(t, &https, &f.storage, Secret::new(EDIT_KEY)).unwrap();
    let err = c.info().unwrap_err();
    assert!(matches!(err, PublishError::Transport(TransportError::Tls { .. })), "{err}");
    assert!(err.to_string().starts_with("secure connection to 127.0.0.1"), "{err}");
}

// The workflow both front ends run (`storage::publish`).

/// A front end that answers with what the test gives it and counts what it was asked.
#[derive(Default)]
struct Scripted {
    passphrase: Option<&'static str>,
    map_password: Option<&'static str>,
    new_map_password: Option<&'static str>,
    passphrases_asked: usize,
    passwords_asked: usize,
    notices: usize,
}

impl FrontEnd for Scripted {
    fn passphrase(&mut self) -> Result<Secret, PublishError> {
        self.passphrases_asked += 1;
        self.passphrase.map(Secret::new).ok_or_else(|| PublishError::Usage("no passphrase".into()))
    }

    fn map_password(&mut self, _map: &MapInfo) -> Result<Option<Secret>, PublishError> {
        self.passwords_asked += 1;
        Ok(self.map_password.map(Secret::new))
    }

    fn new_map_password(&mut self, _map: &MapInfo) -> Result<Secret, PublishError> {
        self.new_map_password.map(Secret::new).ok_or_else(|| PublishError::Usage("no password".into()))
    }

    fn envelope_notice(&mut self) {
        self.notices += 1;
    }
}

fn publisher_for(f: &Fixture, kdf: Option<KdfParams>, keys: KeyCache) -> Publisher {
    let config = StorageConfig {
        id: f.storage.clone(),
        base_url: f.server.base_url(),
        kdf,
        envelope_warning_shown: false,
    };
    let transport = Transport::new(options(), NetLog::default());
    Publisher::new(transport, config, Secret::new(EDIT_KEY), keys).unwrap()
}

fn sample_map() -> synmap::model::Map {
    synmap::svg::import_file(&support::sample()).unwrap().map
}

#[test]
fn the_workflow_downloads_any_map_the_server_accepts_and_nothing_else() {
    let f = fixture();
    // Another client stored a JSVG with only the two fields the server checks.
    let minimal = br#"{"name":"minimal","map":"<svg/>"}"#.to_vec();
    let info = f.client.info().unwrap();
    let created = f
        .client
        .create("minimal", &prepare(&minimal, &info, None, None).unwrap(), &Transfer::default())
        .unwrap();
    let mut publisher = publisher_for(&f, None, KeyCache::default());
    let mut front = Scripted::default();
    let down = publisher.download(&mut front, &created.id, &Transfer::default()).unwrap();
    assert_eq!(down.jsvg, minimal);
    assert_eq!((down.fields.name.as_str(), down.fields.map.as_str()), ("minimal", "<svg/>"));
    assert_eq!(front.passphrases_asked, 0, "a plain map needs no passphrase");

    // A stored body that is not JSVG is refused the way the server refuses an upload.
    f.server.edit_behind_the_back(&f.storage, &created.id, b"{\"name\":\"x\",\"map\":\"<html>\"}".to_vec());
    let err = publisher.download(&mut front, &created.id, &Transfer::default()).unwrap_err();
    assert!(matches!(err, PublishError::InvalidJsvg(_)), "{err}");
}

#[test]
fn the_workflow_replaces_only_against_the_etag_the_author_saw() {
    let f = fixture();
    let mut publisher = publisher_for(&f, None, KeyCache::default());
    let mut front = Scripted::default();
    let map = sample_map();
    let uploaded = publisher.upload(&mut front, &map, "Plan", &Transfer::default()).unwrap();
    assert!(uploaded.url.contains(&format!("/v1/my/{}/map/{}?key=rk_", f.storage, uploaded.map.id)));

    let puts = |server: &Server| server.requests().iter().filter(|r| r.method == "PUT").count();
    let err = publisher
        .replace(&mut front, &uploaded.map.id, Some("\"stale\""), &map, false, &Transfer::default())
        .unwrap_err();
    let PublishError::Conflict { current } = &err else { panic!("{err}") };
    assert_eq!(current.etag, uploaded.map.etag, "the conflict carries the map as it is now");
    assert!(err.to_string().contains("Reload it and overwrite, or upload yours as a copy"), "{err}");
    assert!(!err.to_string().contains("--force"), "the CLI's words stay in the CLI: {err}");
    assert_eq!(puts(&f.server), 0, "nothing was sent");

    let etag = uploaded.map.etag.clone();
    let (replaced, changes) = publisher
        .replace(&mut front, &uploaded.map.id, Some(&etag), &map, false, &Transfer::default())
        .unwrap();
    assert_eq!(replaced.name, "Plan", "a replace keeps the stored map's name");
    assert!(changes.is_empty(), "the same map: {changes:?}");
    publisher.replace(&mut front, &uploaded.map.id, None, &map, false, &Transfer::default()).unwrap();
    assert_eq!(puts(&f.server), 2);
    assert!(matches!(
        publisher.replace(&mut front, &uuid::Uuid::new_v4().to_string(), None, &map, false, &Transfer::default()),
        Err(e) if e.is_code("MapNotFound")
    ));

    // Passwords are asked for only when a map is protected.
    let current = publisher.find(&uploaded.map.id).unwrap();
    publisher.rename(&mut front, &current, "Plan B").unwrap();
    assert_eq!(front.passwords_asked, 0);
    front.new_map_password = Some("map-pw");
    let protected = publisher.protect(&mut front, &publisher.find(&current.id).unwrap()).unwrap();
    assert!(protected.protected);
    front.map_password = Some("map-pw");
    let open = publisher.unprotect(&mut front, &protected).unwrap();
    assert!(!open.protected);
    assert_eq!(front.passwords_asked, 1);
    publisher.delete(&mut front, &open).unwrap();
    assert!(f.server.maps(&f.storage).is_empty());
}

#[test]
fn the_workflow_encrypts_pins_parameters_and_gives_the_notice_once() {
    let f = fixture();
    let kdf = kdf();
    let passphrase = "a long enough passphrase";
    let key = MasterKey::derive(passphrase, &kdf).unwrap();
    f.client.setup_encryption(&EncryptionInfo { kdf: kdf.clone(), key_check: key.key_check() }).unwrap();
    let map = sample_map();

    // A mistyped passphrase is refused before anything is sent, and does not stick.
    let keys = KeyCache::default();
    let mut publisher = publisher_for(&f, None, keys.clone());
    let mut wrong = Scripted { passphrase: Some("another long passphrase"), ..Scripted::default() };
    let err = publisher.upload(&mut wrong, &map, "Secret", &Transfer::default()).unwrap_err();
    assert!(matches!(err, PublishError::Crypto(CryptoError::WrongPassphrase)), "{err}");
    assert_eq!(posts(&f.server), 0);
    assert_eq!(wrong.notices, 0);

    let mut front = Scripted { passphrase: Some(passphrase), ..Scripted::default() };
    let uploaded = publisher.upload(&mut front, &map, "Secret", &Transfer::default()).unwrap();
    assert!(uploaded.map.encrypted);
    publisher.upload(&mut front, &map, "Secret 2", &Transfer::default()).unwrap();
    assert_eq!(front.notices, 1, "the envelope notice is given once per storage");
    assert_eq!(publisher.config().kdf.as_ref(), Some(&kdf), "the parameters met are pinned");
    assert!(publisher.config().envelope_warning_shown);

    let down = publisher.download(&mut front, &uploaded.map.id, &Transfer::default()).unwrap();
    assert_eq!(down.fields.name, "Secret");

    // Parameters other than the pinned ones are refused.
    let other = KdfParams { t: kdf.t + 1, ..kdf };
    let err = publisher_for(&f, Some(other), keys).info().unwrap_err();
    assert!(matches!(err, PublishError::Crypto(CryptoError::KdfChanged)), "{err}");
}

#[test]
fn a_replace_that_would_make_bound_ids_vanish_is_held_back_until_accepted() {
    let f = fixture();
    let mut publisher = publisher_for(&f, None, KeyCache::default());
    let mut front = Scripted::default();
    let map = sample_map();
    let uploaded = publisher.upload(&mut front, &map, "Plan", &Transfer::default()).unwrap();
    // The new version loses Office 101 and calls Office 102 "Office 1O2".
    let text = std::fs::read_to_string(support::sample())
        .unwrap()
        .lines()
        .filter(|l| !l.contains("id=\"Office_x20_101\""))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("id=\"Office_x20_102\"", "id=\"Office_x20_1O2\"");
    let newer = synmap::svg::import_bytes(text.as_bytes()).unwrap().map;
    let puts = |server: &Server| server.requests().iter().filter(|r| r.method == "PUT").count();
    let err = publisher
        .replace(&mut front, &uploaded.map.id, None, &newer, false, &Transfer::default())
        .unwrap_err();
    let PublishError::IdsWouldVanish(changes) = &err else { panic!("{err}") };
    assert_eq!(changes.removed, ["Office_x20_101"]);
    assert_eq!(changes.renamed.len(), 1);
    assert!(err.to_string().contains("Office_x20_101, Office_x20_102 (now Office_x20_1O2)"), "{err}");
    assert_eq!(puts(&f.server), 0, "nothing was replaced");
    let (_, changes) =
        publisher.replace(&mut front, &uploaded.map.id, None, &newer, true, &Transfer::default()).unwrap();
    assert_eq!(changes.removed, ["Office_x20_101"]);
    assert_eq!(puts(&f.server), 1);
}
