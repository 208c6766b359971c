//! Runs the reference My Storage server (the one the integration tests use) on loopback
//! with one storage, for trying the editor against it by hand.
//!
//! ```text
//! cargo run --example mystorage-server -- [--port N] [--storage UUID] [--edit-key KEY]
//!                                         [--quota BYTES] [--name NAME]
//! ```
//!
//! It prints the base URL, the storage id and the Edit Key (a local test server, so
//! printing the key is intended) and serves until interrupted with Ctrl-C.

#[path = "../tests/mystorage_server/mod.rs"]
mod mystorage_server;

use std::io::Write as _;
use std::process::ExitCode;

use mystorage_server::{Server, StorageSpec};

const USAGE: &str = "usage: mystorage-server [--port N] [--storage UUID] [--edit-key KEY] \
                     [--quota BYTES] [--name NAME]";

/// Command-line options.
struct Options {
    port: u16,
    storage: String,
    edit_key: String,
    quota: u64,
    name: Option<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        port: 0,
        storage: uuid::Uuid::new_v4().to_string(),
        edit_key: format!("ek_{}", uuid::Uuid::new_v4().simple()),
        quota: mystorage_server::DEFAULT_QUOTA,
        name: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        if !["--port", "--storage", "--edit-key", "--quota", "--name"].contains(&flag.as_str()) {
            return Err(format!("unknown option {flag}"));
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--port" => options.port = value.parse().map_err(|_| format!("bad port {value:?}"))?,
            "--storage" => {
                let id = uuid::Uuid::parse_str(&value).map_err(|_| format!("bad storage UUID {value:?}"))?;
                options.storage = id.hyphenated().to_string();
            }
            "--edit-key" if value.is_empty() => return Err("the Edit Key cannot be empty".to_owned()),
            "--edit-key" => options.edit_key = value,
            "--quota" => options.quota = value.parse().map_err(|_| format!("bad quota {value:?}"))?,
            "--name" => options.name = Some(value),
            _ => unreachable!("options are checked above"),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            if message.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("mystorage-server: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let server = Server::start_on(options.port);
    let mut spec = StorageSpec::new(&options.storage, &options.edit_key);
    spec.quota_limit = options.quota;
    if let Some(name) = options.name {
        spec.name = name;
    }
    let read_key = spec.read_key.clone();
    server.add_storage(spec);

    println!("base URL:   {}", server.base_url());
    println!("storage id: {}", options.storage);
    println!("edit key:   {}", options.edit_key);
    println!("read key:   {read_key}");
    println!("quota:      {} bytes", options.quota);
    println!("serving until Ctrl-C");
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
