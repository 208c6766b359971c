//! `synmap publish` end to end: the real binary against the reference My Storage server on
//! loopback, with settings in a temporary directory and secrets in the real Secret Service.
//! Also proves that no secret reaches the output, the logs or the settings file.

mod mystorage_server;
mod support;

use std::path::Path;
use std::process::{Command, Output};

use mystorage_server::{Server, StorageSpec};

const EDIT_KEY: &str = "ek_cli_5e1d9a7b33f0";
const PASSPHRASE: &str = "pässphrase for the cli test";

struct Env {
    server: Server,
    storage: String,
    config: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let server = Server::start();
        let storage = uuid::Uuid::new_v4().to_string();
        server.add_storage(StorageSpec::new(&storage, EDIT_KEY));
        Env { server, storage, config: tempfile::tempdir().unwrap() }
    }

    /// `synmap publish <args>` with the test's settings directory and secrets in env vars.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = support::synmap();
        cmd.arg("publish")
            .args(args)
            .env("SYNMAP_CONFIG_DIR", self.config.path())
            .env("TEST_EDIT_KEY", EDIT_KEY)
            .env("TEST_PASSPHRASE", PASSPHRASE)
            .env("RUST_LOG", "trace");
        cmd
    }

    /// Runs `synmap publish <args>`.
    fn run(&self, args: &[&str]) -> Output {
        support::run_with_watchdog(self.command(args), std::time::Duration::from_secs(60))
    }

    /// Runs `synmap publish <args>` with no D-Bus session, so no keyring can be reached.
    fn run_without_keyring(&self, args: &[&str]) -> Output {
        let mut cmd = self.command(args);
        cmd.env_remove("DBUS_SESSION_BUS_ADDRESS");
        support::run_with_watchdog(cmd, std::time::Duration::from_secs(60))
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "synmap publish {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn configure(&self) {
        let base = self.server.base_url();
        self.ok(&[
            "mystorage",
            "configure",
            "--base-url",
            &base,
            "--storage",
            &self.storage,
            "--edit-key-env",
            "TEST_EDIT_KEY",
        ]);
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

/// What synmap itself says on standard error: its lines without the logger's (`RUST_LOG`).
fn messages(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr).lines().filter(|l| !l.starts_with('[')).map(str::to_string).collect()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn configure_upload_list_download_rename_replace_delete() {
    let env = Env::new();
    env.configure();
    let sample = support::sample();
    let sample = sample.to_str().unwrap();
    let out = env.ok(&["mystorage", "upload", sample, "--name", "=Office floor"]);
    let id = out.split_whitespace().nth(2).unwrap().to_string();
    assert!(out.contains(&format!("/v1/my/{}/map/{id}?key=rk_", env.storage)), "{out}");
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["mystorage", "list", "--json"])).unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    let etag = list[0]["etag"].as_str().unwrap().to_string();

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("urls.csv");
    env.ok(&["mystorage", "urls", "-o", csv.to_str().unwrap()]);
    let csv = std::fs::read_to_string(csv).unwrap();
    assert!(csv.starts_with("Name,URL\n'=Office floor,http://127.0.0.1:"), "{csv}");

    let jsvg = dir.path().join("down.jsvg");
    let out = env.ok(&["mystorage", "download", &id, "-o", jsvg.to_str().unwrap()]);
    assert!(out.contains("\"=Office floor\""), "{out}");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&jsvg).unwrap()).unwrap();
    assert!(doc["map"].as_str().unwrap().contains("Room"));
    let svg = dir.path().join("down.svg");
    env.ok(&["mystorage", "download", &id, "-o", svg.to_str().unwrap()]);
    assert!(synmap::svg::import_file(&svg).unwrap().map.iter().count() > 30);

    env.ok(&["mystorage", "rename", &id, "Floor 1"]);
    // The ETag changed with the rename: a replace with the old one is a conflict (exit 4).
    let out = env.run(&["mystorage", "replace", &id, sample, "--if-match", &etag]);
    assert_eq!(code(&out), 4, "{}", text(&out));
    assert!(text(&out).contains("changed elsewhere") && text(&out).contains("(--force overwrites it)"));
    env.ok(&["mystorage", "replace", &id, sample, "--force"]);
    assert_eq!(env.server.maps(&env.storage)[0].name, "Floor 1");
    // Published optimised unless asked otherwise, as exported.
    let stored_svg = |env: &Env| {
        let body = env.server.maps(&env.storage)[0].body.clone();
        let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
        doc["map"].as_str().unwrap().to_string()
    };
    let imported = synmap::svg::import_file(std::path::Path::new(sample)).unwrap();
    let svg_of = |optimise| {
        let opts = synmap::svg::ExportOptions { optimise, ..synmap::svg::ExportOptions::default() };
        synmap::svg::export_svg(&imported.map, &opts).svg
    };
    assert_eq!(stored_svg(&env), svg_of(true));
    env.ok(&["mystorage", "replace", &id, sample, "--force", "--no-optimise"]);
    assert_eq!(stored_svg(&env), svg_of(false));
    let out = env.run(&["mystorage", "delete", &id]);
    assert_eq!(code(&out), 2, "deleting without a terminal or --yes must not happen");
    env.ok(&["mystorage", "delete", &id, "--yes"]);
    assert!(env.server.maps(&env.storage).is_empty());
}

#[test]
fn secrets_appear_nowhere_but_the_keyring() {
    let env = Env::new();
    env.configure();
    let mut all = String::new();
    let out = env.run(&["mystorage", "setup-encryption", "--passphrase-env", "TEST_PASSPHRASE"]);
    assert!(out.status.success(), "{}", text(&out));
    all += &text(&out);
    assert!(text(&out).contains("synmap's own envelope format"));
    let sample = support::sample();
    let out = env.run(&["--network-log", "mystorage", "upload", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    all += &text(&out);
    assert!(text(&out).contains("network: "), "the network log is printed");
    // A wrong passphrase from the environment fails cleanly and says why.
    let out = support::run_with_watchdog(
        {
            let mut c = support::synmap();
            c.args(["publish", "mystorage", "upload", sample.to_str().unwrap(), "--passphrase-env", "WRONG"])
                .env("SYNMAP_CONFIG_DIR", env.config.path())
                .env("WRONG", "not the passphrase at all")
                .env("RUST_LOG", "trace");
            c
        },
        std::time::Duration::from_secs(60),
    );
    assert_eq!(code(&out), 3, "{}", text(&out));
    assert!(text(&out).contains("wrong passphrase"), "{}", text(&out));
    all += &text(&out);

    let settings = std::fs::read_to_string(env.config.path().join("settings.toml")).unwrap();
    for secret in [EDIT_KEY, PASSPHRASE] {
        assert!(!all.contains(secret), "{secret} printed");
        assert!(!settings.contains(secret), "{secret} in settings.toml");
        for r in env.server.requests() {
            assert!(!String::from_utf8_lossy(&r.body).contains(PASSPHRASE));
        }
    }
    assert!(settings.contains("kdf"), "the key parameters are pinned: {settings}");
    // The stored map is an envelope.
    let stored = env.server.maps(&env.storage);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].content_type, "application/vnd.synmap.envelope+json");
    env.ok(&["mystorage", "forget"]);
}

#[test]
fn remembered_credentials_are_used_and_forgotten() {
    let env = Env::new();
    env.configure();
    assert!(env.ok(&["mystorage", "info"]).contains("Test storage"), "the Edit Key comes from the keyring");
    env.ok(&["mystorage", "forget"]);
    let out = env.run(&["mystorage", "info"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("Edit Key is needed"), "{}", text(&out));
}

#[test]
fn offline_mode_sends_nothing() {
    let env = Env::new();
    env.configure();
    let before = env.server.requests().len();
    env.ok(&["offline", "on"]);
    let out = env.run(&["mystorage", "list"]);
    assert_eq!(code(&out), 3);
    assert!(text(&out).contains("offline mode is on"), "{}", text(&out));
    assert_eq!(env.server.requests().len(), before);
    env.ok(&["offline", "off"]);
    env.ok(&["mystorage", "list"]);
    env.ok(&["mystorage", "forget"]);
}

#[test]
fn offline_mode_is_checked_before_the_keyring() {
    let env = Env::new();
    let base = env.server.base_url();
    let storage = ["--storage", env.storage.as_str(), "--edit-key-env", "TEST_EDIT_KEY", "--no-remember"];
    env.ok(&[&["mystorage", "configure", "--base-url", &base][..], &storage].concat());
    let before = env.server.requests().len();
    let sample = support::sample();
    let sample = sample.to_str().unwrap();
    let csv = env.config.path().join("urls.csv");
    let csv = csv.to_str().unwrap();
    let commands: [&[&str]; 5] = [
        &["mystorage", "list"],
        &["mystorage", "info"],
        &["mystorage", "upload", sample],
        &["mystorage", "urls", "-o", csv],
        &["azure", "upload", sample, "--target", "nowhere"],
    ];
    let modes: [&[&str]; 2] = [&["--offline"], &[]];
    for offline in modes {
        if offline.is_empty() {
            env.ok(&["offline", "on"]);
        }
        for command in commands {
            // No Edit Key in the environment, no keyring: only offline mode can answer.
            let out = env.run_without_keyring(&[offline, command].concat());
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(code(&out), 3, "{command:?} {offline:?}: {stderr}");
            assert_eq!(messages(&out).len(), 1, "{stderr}");
            assert!(stderr.contains("offline mode is on"), "{stderr}");
            // Not even the keyring's own log lines: it was never asked.
            assert!(!stderr.contains("keyring"), "{stderr}");
        }
    }
    assert_eq!(env.server.requests().len(), before, "nothing was sent");
    assert!(!Path::new(csv).exists());
}

#[cfg(unix)]
#[test]
fn a_read_only_output_is_a_conflict_and_stays_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let base = env.server.base_url();
    let storage = ["--storage", env.storage.as_str(), "--edit-key-env", "TEST_EDIT_KEY", "--no-remember"];
    env.ok(&[&["mystorage", "configure", "--base-url", &base][..], &storage].concat());
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("urls.csv");
    std::fs::write(&csv, "kept").unwrap();
    std::fs::set_permissions(&csv, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = env
        .run_without_keyring(&[&["mystorage", "urls", "-o", csv.to_str().unwrap()][..], &storage].concat());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 4, "{stderr}");
    assert_eq!(messages(&out).len(), 1, "{stderr}");
    assert!(stderr.contains("urls.csv") && stderr.contains("read-only"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "kept");
    assert_eq!(std::fs::metadata(&csv).unwrap().permissions().mode() & 0o777, 0o444);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left");
    // The settings written by `configure` are readable by their owner only.
    let settings = std::fs::metadata(env.config.path().join("settings.toml")).unwrap();
    assert_eq!(settings.permissions().mode() & 0o777, 0o600);
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_sending() {
    let env = Env::new();
    let out = env.run(&[
        "mystorage",
        "configure",
        "--base-url",
        "http://synoptic.example.com",
        "--storage",
        &env.storage,
        "--edit-key-env",
        "TEST_EDIT_KEY",
    ]);
    assert_eq!(code(&out), 3);
    assert!(text(&out).contains("only https://"), "{}", text(&out));
    assert!(!Path::new(&env.config.path().join("settings.toml")).exists());
}

#[test]
fn without_a_keyring_the_secret_is_used_for_this_run_only() {
    let env = Env::new();
    let base = env.server.base_url();
    let mut cmd = support::synmap();
    cmd.args(["publish", "mystorage", "configure", "--base-url", &base, "--storage", &env.storage])
        .args(["--edit-key-env", "TEST_EDIT_KEY"])
        .env("SYNMAP_CONFIG_DIR", env.config.path())
        .env("TEST_EDIT_KEY", EDIT_KEY)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    let out = support::run_with_watchdog(cmd, std::time::Duration::from_secs(60));
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("no OS keyring is available") && t.contains("for this session only"), "{t}");
    assert!(!t.contains(EDIT_KEY));
}

#[test]
fn replace_shows_the_diff_and_refuses_to_make_bound_ids_vanish_unless_accepted() {
    let env = Env::new();
    env.configure();
    let sample = support::sample();
    let out = env.ok(&["mystorage", "upload", sample.to_str().unwrap(), "--name", "Floor"]);
    let id = out.split_whitespace().nth(2).unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.svg");
    let original = std::fs::read_to_string(&sample).unwrap();
    let kept: Vec<&str> = original.lines().filter(|l| !l.contains("id=\"Office_x20_101\"")).collect();
    std::fs::write(&newer, kept.join("\n")).unwrap();
    let newer = newer.to_str().unwrap();
    let stored_before = env.server.maps(&env.storage)[0].body.clone();
    let out = env.run(&["mystorage", "replace", &id, newer, "--force"]);
    assert_eq!(code(&out), 4, "{}", text(&out));
    let said = messages(&out).join("\n");
    assert!(
        said.contains("Office_x20_101") && said.contains("(--accept-removed replaces it anyway)"),
        "{said}"
    );
    assert_eq!(env.server.maps(&env.storage)[0].body, stored_before, "nothing was replaced");
    let out = env.ok(&["mystorage", "replace", &id, newer, "--force", "--accept-removed"]);
    assert!(out.contains("- Office_x20_101\n") && out.contains("0 added, 1 removed, 0 renamed"), "{out}");
    assert_ne!(env.server.maps(&env.storage)[0].body, stored_before, "replaced once accepted");
}
