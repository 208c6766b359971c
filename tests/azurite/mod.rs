//! A test harness for Azure's storage emulator Azurite: starts `azurite-blob` on a free loopback
//! port with its data in a temporary directory, and talks to it the way an account owner would
//! (Shared Key authorised container creation and CORS rules, service SAS URLs, anonymous reads).
//!
//! The emulator is installed by `scripts/azurite` (which `scripts/test` runs and whose output it
//! exports as `SYNMAP_AZURITE`). Every started emulator is killed when its [`Azurite`] value is
//! dropped, also when a test panics; should the test process itself die without unwinding, the
//! emulator notices that its standard input closed and exits on its own.
#![allow(dead_code)]

use std::fs::File;
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::blocking::{Client, Response};
use sha2::Sha256;

/// Name of the emulator's well-known development account.
pub const ACCOUNT_NAME: &str = "devstoreaccount1";

/// Base64 key of the emulator's well-known development account (public, documented by Microsoft).
pub const ACCOUNT_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// The storage service version the harness signs and sends (`x-ms-version`, SAS `sv`); the same
/// version synmap's Azure publishing uses.
pub const API_VERSION: &str = "2021-08-06";

/// How long [`Azurite::start`] waits for the emulator to answer.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// How many free ports [`Azurite::start`] tries when another process takes the chosen one first.
const START_ATTEMPTS: u32 = 4;

/// The message of the panic when the emulator is not installed; names the setup step.
const NOT_INSTALLED: &str = "Azurite is not installed: run scripts/azurite (scripts/test does this)";

/// Preloaded into the emulator's node process: exits when the test process goes away, which
/// closes the write end of the emulator's standard input (a crash or `process::exit` in a test
/// would otherwise leave a stray node process that [`Drop`] never got to kill).
const STDIN_WATCHDOG_JS: &str = "\
// synmap test harness: exit when the test process that started this emulator goes away.\n\
const quit = () => process.exit(0);\n\
process.stdin.on('end', quit);\n\
process.stdin.on('close', quit);\n\
process.stdin.on('error', quit);\n\
process.stdin.resume();\n";

/// Characters percent-encoded in URL path segments (everything but RFC 3986 unreserved).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A running Azurite blob emulator on a free loopback port, killed on drop, with its data in a temp dir.
pub struct Azurite {
    /// The emulator's process (node running `azurite-blob`).
    child: Child,
    /// The write end of the emulator's standard input; closing it makes the emulator exit.
    stdin: Option<ChildStdin>,
    /// The loopback port the emulator's blob service listens on.
    port: u16,
    /// HTTP client for the harness's own requests (no proxy, bounded timeouts).
    client: Client,
    /// Holds the emulator's data (`data/`), its log and the watchdog script; removed on drop
    /// after the process is gone (fields drop after [`Drop::drop`] ran).
    dir: tempfile::TempDir,
}

impl Azurite {
    /// Starts `$SYNMAP_AZURITE` (or, if unset, target/tools/azurite/node_modules/.bin/azurite-blob
    /// relative to CARGO_MANIFEST_DIR) with `--blobHost 127.0.0.1 --blobPort <free port>
    /// --skipApiVersionCheck --silent --disableTelemetry --location <tempdir>`, and waits (at most
    /// 30 s) until it answers HTTP. If the executable is missing, panics with a message naming the setup step:
    /// "Azurite is not installed: run scripts/azurite (scripts/test does this)".
    pub fn start() -> Azurite {
        Azurite::start_from(&executable())
    }

    /// Like [`Azurite::start`], with an explicit path of the `azurite-blob` executable.
    pub fn start_from(exe: &Path) -> Azurite {
        if !exe.is_file() {
            panic!("{NOT_INSTALLED}; {} does not exist", exe.display());
        }
        let mut last_log = String::new();
        for _ in 0..START_ATTEMPTS {
            let mut azurite = Azurite::spawn(exe);
            match azurite.wait_until_ready() {
                Ok(()) => return azurite,
                // Another process took the port between choosing and binding it: try another.
                Err(log) if log.contains("EADDRINUSE") => last_log = log,
                Err(log) => panic!("Azurite ({}) did not start:\n{log}", exe.display()),
            }
        }
        panic!("Azurite ({}) found no free port in {START_ATTEMPTS} attempts:\n{last_log}", exe.display())
    }

    /// Spawns the emulator on a port that was free a moment ago, without waiting for it.
    fn spawn(exe: &Path) -> Azurite {
        let dir = tempfile::Builder::new().prefix("synmap-azurite-").tempdir().expect("temp dir for Azurite");
        let data = dir.path().join("data");
        std::fs::create_dir(&data).expect("Azurite data dir");
        let log = File::create(dir.path().join("azurite.log")).expect("Azurite log file");
        let port = free_port();

        let mut cmd = if is_node_script(exe) {
            let watchdog = dir.path().join("stdin-watchdog.js");
            std::fs::write(&watchdog, STDIN_WATCHDOG_JS).expect("write the Azurite watchdog");
            let mut cmd = Command::new("node");
            cmd.arg("--require").arg(watchdog).arg(exe);
            cmd
        } else {
            Command::new(exe)
        };
        cmd.args(["--blobHost", "127.0.0.1", "--blobPort", &port.to_string()])
            .args(["--skipApiVersionCheck", "--silent", "--disableTelemetry", "--location"])
            .arg(&data)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::from(log.try_clone().expect("Azurite log file")))
            .stderr(Stdio::from(log));
        let mut child =
            cmd.spawn().unwrap_or_else(|e| panic!("{NOT_INSTALLED}; starting {}: {e}", exe.display()));
        let stdin = child.stdin.take();

        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = Client::builder()
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build()
            .expect("HTTP client");
        Azurite { child, stdin, port, client, dir }
    }

    /// Waits until the emulator answers an HTTP request; on failure returns its log.
    fn wait_until_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + START_TIMEOUT;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("Azurite exited early ({status}). Its output:\n{}", self.log()));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                // Any HTTP answer (even an authorisation error) means the blob service is up.
                let probe = self.client.get(format!("{}?comp=list", self.account_url())).send();
                if probe.is_ok() {
                    return Ok(());
                }
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "Azurite did not answer on 127.0.0.1:{} within {START_TIMEOUT:?}. Its output:\n{}",
                    self.port,
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The emulator's output so far (empty with `--silent` unless it failed).
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut file) = File::open(self.dir.path().join("azurite.log")) {
            let _ = file.read_to_string(&mut text);
        }
        text
    }

    /// The loopback port the emulator listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// "http://127.0.0.1:<port>/devstoreaccount1"
    pub fn account_url(&self) -> String {
        format!("http://127.0.0.1:{}/{ACCOUNT_NAME}", self.port)
    }

    /// Creates a container with anonymous blob read access (x-ms-blob-public-access: blob), Shared Key authorised.
    pub fn create_public_container(&self, name: &str) {
        self.create_container(name, Some("blob"));
    }

    /// Creates a private container (no public access).
    pub fn create_private_container(&self, name: &str) {
        self.create_container(name, None);
    }

    /// Creates a container (Create Container), with the given `x-ms-blob-public-access` level.
    fn create_container(&self, name: &str, public_access: Option<&str>) {
        let path = format!("/{ACCOUNT_NAME}/{}?restype=container", encode_segment(name));
        let mut headers = Vec::new();
        if let Some(level) = public_access {
            headers.push(("x-ms-blob-public-access", level));
        }
        let response = self.shared_key_request(Method::PUT, &path, &headers, Vec::new());
        expect_status(response, 201, &format!("create container {name}"));
    }

    /// Sets the account's Blob service CORS rules (Set Blob Service Properties, Shared Key): allow
    /// `origin` ("*" for any), methods GET,HEAD,OPTIONS, all headers, exposed headers *, max age 3600.
    pub fn set_cors(&self, origin: &str) {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><StorageServiceProperties><Cors><CorsRule>\
             <AllowedOrigins>{}</AllowedOrigins><AllowedMethods>GET,HEAD,OPTIONS</AllowedMethods>\
             <AllowedHeaders>*</AllowedHeaders><ExposedHeaders>*</ExposedHeaders>\
             <MaxAgeInSeconds>3600</MaxAgeInSeconds></CorsRule></Cors></StorageServiceProperties>",
            xml_escape(origin)
        );
        let path = format!("/{ACCOUNT_NAME}/?restype=service&comp=properties");
        let headers = [("content-type", "application/xml")];
        let response = self.shared_key_request(Method::PUT, &path, &headers, body.into_bytes());
        expect_status(response, 202, "set Blob service CORS rules");
    }

    /// A container SAS URL (service SAS signed with the development key, `sr=c`, the given
    /// permissions in Azure's canonical order such as "racwl", valid for an hour, `sv=2021-08-06`)
    /// in path style: http://127.0.0.1:<port>/devstoreaccount1/<container>?<sas>
    pub fn container_sas_url(&self, container: &str, permissions: &str) -> String {
        let expiry =
            humantime::format_rfc3339_seconds(SystemTime::now() + Duration::from_secs(3600)).to_string();
        let sas = container_sas(container, permissions, &expiry);
        format!("{}/{}?{sas}", self.account_url(), encode_segment(container))
    }

    /// Downloads a blob anonymously (no auth): returns (status, headers as lowercase-name pairs, body).
    pub fn get_blob_anonymous(&self, container: &str, blob: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let response = self.client.get(self.blob_url(container, blob)).send().expect("anonymous blob GET");
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (name.as_str().to_ascii_lowercase(), String::from_utf8_lossy(value.as_bytes()).into())
            })
            .collect();
        let body = response.bytes().expect("anonymous blob body").to_vec();
        (status, headers, body)
    }

    /// The public (unsigned) URL of a blob: `<account url>/<container>/<blob>`, each path segment
    /// percent-encoded and `/` in blob names kept.
    pub fn blob_url(&self, container: &str, blob: &str) -> String {
        let blob: Vec<String> = blob.split('/').map(encode_segment).collect();
        format!("{}/{}/{}", self.account_url(), encode_segment(container), blob.join("/"))
    }

    /// Sends a request to `path_and_query` (starting with `/devstoreaccount1`), authorised with
    /// Shared Key. `headers` are sent as given (lowercase names) and signed.
    fn shared_key_request(
        &self,
        method: Method,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Response {
        let url =
            reqwest::Url::parse(&format!("http://127.0.0.1:{}{path_and_query}", self.port)).expect("URL");
        let mut all: Vec<(String, String)> =
            headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.to_string())).collect();
        all.push(("x-ms-date".into(), http_date(SystemTime::now())));
        all.push(("x-ms-version".into(), API_VERSION.into()));
        let content_length = body.len().to_string();
        let authorization = shared_key_authorization(
            method.as_str(),
            &url,
            &all,
            if body.is_empty() { "" } else { &content_length },
        );
        let mut request = self.client.request(method, url).header("authorization", authorization).body(body);
        for (name, value) in &all {
            request = request.header(name.as_str(), value.as_str());
        }
        request.send().expect("Shared Key request to Azurite")
    }
}

impl Drop for Azurite {
    /// Kills the emulator and reaps it; the temp dir is removed afterwards.
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `azurite-blob` executable: `$SYNMAP_AZURITE`, or the one `scripts/azurite` installs.
fn executable() -> PathBuf {
    match std::env::var_os("SYNMAP_AZURITE") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tools/azurite/node_modules/.bin/azurite-blob")
        }
    }
}

/// Whether `exe` is a JavaScript file run by node (npm's `.bin` entries are such scripts), so
/// the harness can start it with `node --require <stdin watchdog>`.
fn is_node_script(exe: &Path) -> bool {
    let mut head = [0u8; 128];
    let n = File::open(exe).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    let first_line = head[..n].split(|&b| b == b'\n').next().unwrap_or_default();
    (first_line.starts_with(b"#!") && first_line.windows(4).any(|w| w == b"node"))
        || exe.extension().is_some_and(|e| e == "js")
}

/// A loopback port that was free when asked (the OS picks it).
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free loopback port");
    listener.local_addr().expect("local address").port()
}

/// Panics with the response's error body unless it has the expected status.
fn expect_status(response: Response, expected: u16, what: &str) {
    let status = response.status().as_u16();
    if status != expected {
        let body = response.text().unwrap_or_default();
        panic!("{what}: expected HTTP {expected}, got {status}:\n{body}");
    }
}

/// Base64 HMAC-SHA256 of `text` under the development account key.
fn sign(text: &str) -> String {
    let key = BASE64.decode(ACCOUNT_KEY).expect("development key is base64");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes any key length");
    mac.update(text.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// The `Authorization: SharedKey` header value for a request (Blob service, version 2009-09-19
/// and later string-to-sign). `headers` are the request's lowercase-named headers;
/// `content_length` is empty for an empty body.
fn shared_key_authorization(
    method: &str,
    url: &reqwest::Url,
    headers: &[(String, String)],
    content_length: &str,
) -> String {
    let header = |name: &str| {
        headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_default().to_string()
    };
    let mut ms_headers: Vec<(&str, &str)> =
        headers.iter().filter(|(n, _)| n.starts_with("x-ms-")).map(|(n, v)| (n.as_str(), v.trim())).collect();
    ms_headers.sort();
    let canonical_headers: String = ms_headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();

    // Path-style emulator URLs already carry the account in the path, so the account appears
    // twice: /devstoreaccount1/devstoreaccount1/<container>.
    let mut resource = format!("/{ACCOUNT_NAME}{}", url.path());
    let mut params: Vec<(String, String)> =
        url.query_pairs().map(|(k, v)| (k.to_ascii_lowercase(), v.into_owned())).collect();
    params.sort();
    let mut names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    names.dedup();
    for name in names {
        let values: Vec<&str> = params.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect();
        resource.push_str(&format!("\n{name}:{}", values.join(",")));
    }

    let string_to_sign = [
        method.to_string(),
        header("content-encoding"),
        header("content-language"),
        content_length.to_string(),
        header("content-md5"),
        header("content-type"),
        header("date"),
        header("if-modified-since"),
        header("if-match"),
        header("if-none-match"),
        header("if-unmodified-since"),
        header("range"),
    ]
    .join("\n")
        + "\n"
        + &canonical_headers
        + &resource;
    format!("SharedKey {ACCOUNT_NAME}:{}", sign(&string_to_sign))
}

/// A service SAS query string for a container (`sr=c`, version [`API_VERSION`], no start time,
/// any protocol), signed with the development key (string-to-sign of version 2020-12-06 and later).
fn container_sas(container: &str, permissions: &str, expiry: &str) -> String {
    let canonical_resource = format!("/blob/{ACCOUNT_NAME}/{container}");
    let string_to_sign = [
        permissions,         // sp
        "",                  // st
        expiry,              // se
        &canonical_resource, // canonicalized resource
        "",                  // si
        "",                  // sip
        "",                  // spr
        API_VERSION,         // sv
        "c",                 // sr
        "",                  // signed snapshot time
        "",                  // ses
        "",                  // rscc
        "",                  // rscd
        "",                  // rsce
        "",                  // rscl
        "",                  // rsct
    ]
    .join("\n");
    let signature = sign(&string_to_sign);
    let q = |v: &str| utf8_percent_encode(v, NON_ALPHANUMERIC).to_string();
    format!("sv={API_VERSION}&sr=c&sp={}&se={}&sig={}", q(permissions), q(expiry), q(&signature))
}

/// Percent-encodes one URL path segment.
fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

/// Escapes text for an XML element.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// An HTTP date (RFC 7231 IMF-fixdate) such as `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(time: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let secs = time.duration_since(UNIX_EPOCH).expect("time after 1970").as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
