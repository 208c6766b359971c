//! Tests of the Azurite test harness itself (tests/azurite): the emulator starts and stops,
//! containers, CORS rules and SAS URLs made by the harness behave as the Azure Blob publishing
//! path expects (upload through a SAS URL, anonymous read with CORS, refusals).
//!
//! Needs Azurite: `scripts/azurite` installs it (scripts/test runs it and sets SYNMAP_AZURITE).

mod azurite;

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

use azurite::{API_VERSION, Azurite};
use reqwest::blocking::{Client, Response};

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect id="a" width="5" height="5"/></svg>"##;
const CACHE_CONTROL: &str = "public, max-age=300";
const POWER_BI: &str = "https://app.powerbi.com";

/// A plain HTTP client, as a publishing client would use.
fn client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder().no_proxy().timeout(Duration::from_secs(30)).build().unwrap()
}

/// Uploads `body` as a block blob through a container SAS URL, the way synmap publishes a map.
fn put_through_sas(sas_url: &str, blob: &str, body: &str) -> Response {
    let (container_url, sas) = sas_url.split_once('?').expect("SAS URL has a query");
    client()
        .put(format!("{container_url}/{blob}?{sas}"))
        .header("x-ms-blob-type", "BlockBlob")
        .header("x-ms-version", API_VERSION)
        .header("x-ms-blob-content-type", "image/svg+xml")
        .header("content-type", "image/svg+xml")
        .header("x-ms-blob-cache-control", CACHE_CONTROL)
        .body(body.to_string())
        .send()
        .unwrap()
}

/// The value of a header in `get_blob_anonymous`'s header list.
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// Whether something accepts connections on the loopback port.
fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from((Ipv4Addr::LOCALHOST, port)), Duration::from_millis(500))
        .is_ok()
}

#[test]
fn sas_upload_is_publicly_readable_with_cors() {
    let azurite = Azurite::start();
    assert_eq!(azurite.account_url(), format!("http://127.0.0.1:{}/devstoreaccount1", azurite.port()));
    azurite.create_public_container("maps");
    azurite.set_cors("*");

    let sas_url = azurite.container_sas_url("maps", "racwl");
    assert!(sas_url.starts_with(&format!("{}/maps?", azurite.account_url())), "{sas_url}");
    assert!(sas_url.contains("sr=c") && sas_url.contains("sv=2021-08-06") && sas_url.contains("sig="));

    let response = put_through_sas(&sas_url, "floor.svg", SVG);
    assert_eq!(response.status().as_u16(), 201, "{}", response.text().unwrap());

    let (status, headers, body) = azurite.get_blob_anonymous("maps", "floor.svg");
    assert_eq!(status, 200);
    assert_eq!(body, SVG.as_bytes());
    assert_eq!(header(&headers, "content-type"), Some("image/svg+xml"));
    assert_eq!(header(&headers, "cache-control"), Some(CACHE_CONTROL));

    // The hosting check's request: a GET with the Power BI origin gets the CORS answer.
    let get = client().get(azurite.blob_url("maps", "floor.svg")).header("origin", POWER_BI).send().unwrap();
    assert_eq!(get.status().as_u16(), 200);
    assert_eq!(get.headers()["access-control-allow-origin"], "*");
    assert_eq!(get.text().unwrap(), SVG);

    // A browser's preflight.
    let options = client()
        .request(reqwest::Method::OPTIONS, azurite.blob_url("maps", "floor.svg"))
        .header("origin", POWER_BI)
        .header("access-control-request-method", "GET")
        .send()
        .unwrap();
    assert_eq!(options.status().as_u16(), 200);
    assert_eq!(options.headers()["access-control-allow-origin"], POWER_BI);
    assert_eq!(options.headers()["access-control-max-age"], "3600");
}

#[test]
fn cors_for_one_origin_answers_only_that_origin() {
    let azurite = Azurite::start();
    azurite.create_public_container("maps");
    azurite.set_cors(POWER_BI);
    let sas_url = azurite.container_sas_url("maps", "racwl");
    assert_eq!(put_through_sas(&sas_url, "a/b c.svg", SVG).status().as_u16(), 201);

    let url = azurite.blob_url("maps", "a/b c.svg");
    let allowed = client().get(&url).header("origin", POWER_BI).send().unwrap();
    assert_eq!(allowed.status().as_u16(), 200);
    assert_eq!(allowed.headers()["access-control-allow-origin"], POWER_BI);

    let other = client().get(&url).header("origin", "https://example.com").send().unwrap();
    assert_eq!(other.status().as_u16(), 200);
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[test]
fn without_cors_rules_there_is_no_cors_answer() {
    let azurite = Azurite::start();
    azurite.create_public_container("maps");
    let sas_url = azurite.container_sas_url("maps", "racwl");
    assert_eq!(put_through_sas(&sas_url, "floor.svg", SVG).status().as_u16(), 201);
    let get = client().get(azurite.blob_url("maps", "floor.svg")).header("origin", POWER_BI).send().unwrap();
    assert_eq!(get.status().as_u16(), 200);
    assert!(get.headers().get("access-control-allow-origin").is_none());
}

#[test]
fn private_container_blob_is_not_anonymously_readable() {
    let azurite = Azurite::start();
    azurite.create_private_container("private");
    let sas_url = azurite.container_sas_url("private", "racwl");
    assert_eq!(put_through_sas(&sas_url, "floor.svg", SVG).status().as_u16(), 201);

    let (status, _, body) = azurite.get_blob_anonymous("private", "floor.svg");
    assert!(matches!(status, 403 | 404), "anonymous read of a private blob answered {status}");
    assert_ne!(body, SVG.as_bytes());

    // The SAS (with read permission) still reads it.
    let (container_url, sas) = sas_url.split_once('?').unwrap();
    let signed = client().get(format!("{container_url}/floor.svg?{sas}")).send().unwrap();
    assert_eq!(signed.status().as_u16(), 200);
    assert_eq!(signed.text().unwrap(), SVG);
}

#[test]
fn sas_with_wrong_signature_is_refused() {
    let azurite = Azurite::start();
    azurite.create_public_container("maps");
    let sas_url = azurite.container_sas_url("maps", "racwl");
    let (base, sig) = sas_url.split_once("&sig=").unwrap();
    // Another valid-looking base64 signature of the same length.
    let flipped: String = sig.chars().map(|c| if c == 'A' { 'B' } else { 'A' }).collect();
    let forged = format!("{base}&sig={flipped}");
    let response = put_through_sas(&forged, "floor.svg", SVG);
    assert_eq!(response.status().as_u16(), 403);
    let (status, _, _) = azurite.get_blob_anonymous("maps", "floor.svg");
    assert_eq!(status, 404, "the refused upload must not have created the blob");
}

#[test]
fn read_only_sas_cannot_upload() {
    let azurite = Azurite::start();
    azurite.create_public_container("maps");
    let response = put_through_sas(&azurite.container_sas_url("maps", "rl"), "floor.svg", SVG);
    assert_eq!(response.status().as_u16(), 403);
}

#[test]
fn drop_kills_the_emulator_even_when_the_test_panics() {
    let azurite = Azurite::start();
    let port = azurite.port();
    assert!(port_open(port));
    drop(azurite);
    assert!(!port_open(port), "Azurite still listens on {port} after drop");

    let (tx, rx) = std::sync::mpsc::channel();
    let panicked = std::thread::spawn(move || {
        let azurite = Azurite::start();
        tx.send(azurite.port()).unwrap();
        panic!("a failing test");
    })
    .join();
    assert!(panicked.is_err());
    let port = rx.recv().unwrap();
    assert!(!port_open(port), "Azurite still listens on {port} after a panicking test");
}

#[test]
#[should_panic(expected = "Azurite is not installed: run scripts/azurite (scripts/test does this)")]
fn missing_executable_names_the_setup_step() {
    Azurite::start_from(std::path::Path::new("/nonexistent/azurite-blob"));
}

#[test]
fn http_dates_are_imf_fixdates() {
    let at = |secs| azurite::http_date(std::time::UNIX_EPOCH + Duration::from_secs(secs));
    assert_eq!(at(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(at(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(at(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    assert_eq!(at(4_102_444_799), "Thu, 31 Dec 2099 23:59:59 GMT");
}
