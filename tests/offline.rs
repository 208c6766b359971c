//! The offline promise, tested on the real binary: `check`, `export`, `render` and `trace` on
//! maps that refer to `http://`, `file://` and relative resources, a scripted editor session
//! (open, edit, preview, save, export), and every `publish` command with offline mode on, each
//! run under `strace -f` inside a network namespace with no route out (`unshare -n`). No
//! internet socket (AF_INET, AF_INET6) is ever connected or sent to, and no file the map
//! refers to is opened. The window's X11, D-Bus and accessibility sockets are local (AF_UNIX)
//! and expected.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use clap::CommandFactory;
use support::processes::{Killed, eventually, require, xvfb};

const SYNMAP: &str = env!("CARGO_BIN_EXE_synmap");

/// The files a map refers to, each real on disk so that opening one would succeed (and show).
const REFERRED: [&str; 7] =
    ["secret.png", "relative.png", "relative.css", "other.svg", "relative.svg", "secret.svg", "filtered.png"];

/// A folder with a map that refers to remote, absolute and relative resources in every way SVG
/// allows, and the files it refers to.
fn hostile_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    for name in REFERRED {
        std::fs::write(dir.path().join(name), b"referred to by the map: never to be opened").unwrap();
    }
    let map = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 200 100">
  <style>@import url("http://example.com/a.css"); @import url("relative.css");
    .room {{ fill: url(file://{d}/secret.svg#paint) }}</style>
  <defs>
    <filter id="f"><feImage href="filtered.png"/></filter>
    <pattern id="p" width="10" height="10"><image href="https://example.com/tile.png" width="10" height="10"/></pattern>
  </defs>
  <image href="http://example.com/plan.png" x="0" y="0" width="200" height="100"/>
  <image xlink:href="file://{d}/secret.png" x="0" y="0" width="20" height="20"/>
  <image href="relative.png" x="0" y="0" width="20" height="20"/>
  <use href="other.svg#room"/>
  <use xlink:href="http://example.com/defs.svg#room"/>
  <rect id="Room_1" class="room" x="10" y="10" width="40" height="40" fill="url(http://example.com/p.svg#g)"/>
  <rect id="Room_2" x="60" y="10" width="40" height="40" style="fill:url(relative.svg#g)" filter="url(#f)"/>
  <rect id="Room_3" x="110" y="10" width="40" height="40" fill="url(#p)"/>
  <a href="http://example.com/more"><rect id="Room_4" x="160" y="10" width="30" height="40" fill="#ccc"/></a>
  <text x="10" y="90" font-family="url(http://example.com/font.woff)">Ground floor</text>
</svg>"##
    );
    std::fs::write(dir.path().join("map.svg"), map).unwrap();
    dir
}

/// synmap in a new network namespace (no route out), every process of it traced into `log`:
/// the sockets it connects and sends to, and the files it opens.
fn under_strace(log: &Path) -> Command {
    let mut command = Command::new("unshare");
    command
        .args(["-n", "strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg,openat", "-o"])
        .arg(log)
        .arg(SYNMAP);
    command
}

/// What one traced run did.
struct Traced {
    output: Output,
    log: String,
}

/// Runs synmap with `args` under strace in a new network namespace, in `dir`, with its own
/// HOME and configuration.
fn traced(dir: &Path, args: &[&str]) -> Traced {
    let log = dir.join(format!("strace-{}.log", args.join("_").replace('/', "-")));
    let output = under_strace(&log)
        .args(args)
        .current_dir(dir)
        .env("HOME", dir.join("home"))
        .env("XDG_CONFIG_HOME", dir.join("home/config"))
        .env("XDG_DATA_HOME", dir.join("home/data"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("SYNMAP_TEST_SAS", "https://example.blob.core.windows.net/maps?sv=2024-01-01&sig=abc")
        .stdin(Stdio::null())
        .output()
        .expect("unshare and strace run (util-linux, strace)");
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !log.is_empty(),
        "strace wrote nothing for {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Traced { output, log }
}

/// No internet socket was connected or sent to, and no file the map refers to was opened.
fn assert_offline(what: &str, log: &str) {
    let internet: Vec<_> = log.lines().filter(|l| l.contains("AF_INET")).collect();
    assert!(internet.is_empty(), "{what} used an internet socket:\n{}", internet.join("\n"));
    let opened: Vec<_> = log
        .lines()
        .filter(|l| l.contains("openat("))
        .filter(|l| {
            REFERRED
                .iter()
                .any(|name| l.contains(&format!("/{name}\"")) || l.contains(&format!("\"{name}\"")))
        })
        .collect();
    assert!(opened.is_empty(), "{what} opened a file the map refers to:\n{}", opened.join("\n"));
}

fn require_tracing() {
    require("strace", "strace");
    require("unshare", "util-linux");
}

fn succeeded(t: &Traced, what: &str) {
    assert!(
        t.output.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&t.output.stdout),
        String::from_utf8_lossy(&t.output.stderr)
    );
}

#[test]
fn headless_commands_read_only_the_map() {
    require_tracing();
    let dir = hostile_folder();
    let p = dir.path();

    let t = traced(p, &["check", "map.svg"]);
    assert!(
        matches!(t.output.status.code(), Some(0 | 1)),
        "check: {}",
        String::from_utf8_lossy(&t.output.stderr)
    );
    assert!(t.log.contains("map.svg"), "strace saw check open nothing: the test would prove nothing");
    assert_offline("check", &t.log);

    for out in ["out.svg", "out.jsvg"] {
        let t = traced(p, &["export", "map.svg", "-o", out]);
        succeeded(&t, "export");
        assert_offline(&format!("export -o {out}"), &t.log);
    }
    // The exported JSVG is itself a map: checking it stays offline too.
    let t = traced(p, &["check", "out.jsvg"]);
    assert_offline("check out.jsvg", &t.log);

    let t = traced(p, &["render", "map.svg", "-o", "map.png", "--width", "400"]);
    succeeded(&t, "render");
    assert_offline("render", &t.log);
    assert!(p.join("map.png").is_file());
}

#[test]
fn tracing_a_picture_stays_offline() {
    require_tracing();
    let dir = hostile_folder();
    let p = dir.path();
    // A floor plan picture: a generated plan rendered by synmap itself (outside the trace).
    let run = |args: &[&str]| {
        let out = Command::new(SYNMAP).args(args).current_dir(p).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    run(&["generate", "--areas", "12", "-o", "plan.svg"]);
    run(&["render", "plan.svg", "-o", "plan.png", "--width", "900"]);
    let t = traced(p, &["trace", "plan.png", "-o", "traced.svg"]);
    succeeded(&t, "trace");
    assert_offline("trace", &t.log);
    // The traced map refers to nothing either when checked.
    let t = traced(p, &["check", "traced.svg"]);
    assert_offline("check traced.svg", &t.log);
}

/// Every `publish` command, as (arguments after `publish --offline`), with what it needs to
/// parse. The test fails when a command is added to the CLI and not here.
fn publish_commands(p: &Path) -> Vec<Vec<String>> {
    let map = p.join("map.svg").display().to_string();
    let out = p.join("dl.jsvg").display().to_string();
    let urls = p.join("urls.csv").display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["mystorage", "configure", "--base-url", "https://mystorage.example.com"],
        vec!["mystorage", "setup-encryption"],
        vec!["mystorage", "info"],
        vec!["mystorage", "list"],
        vec!["mystorage", "upload", &map],
        vec!["mystorage", "replace", "_1", &map, "--if-match", "\"1\""],
        vec!["mystorage", "rename", "_1", "new name"],
        vec!["mystorage", "protect", "_1"],
        vec!["mystorage", "unprotect", "_1"],
        vec!["mystorage", "delete", "_1", "--yes"],
        vec!["mystorage", "download", "_1", "-o", &out],
        vec!["mystorage", "urls", "-o", &urls],
        vec!["mystorage", "forget"],
        vec!["azure", "configure", "site", "--sas-url-env", "SYNMAP_TEST_SAS", "--no-remember"],
        vec!["azure", "check", "https://example.com/map.svg"],
        vec!["azure", "upload", &map, "--target", "site"],
        vec!["azure", "forget", "site"],
        vec!["offline", "status"],
    ];
    commands.into_iter().map(|c| c.into_iter().map(str::to_owned).collect()).collect()
}

/// The leaf commands under `synmap publish`, as their names.
fn publish_leaves() -> Vec<Vec<String>> {
    fn leaves(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        let subs: Vec<_> = cmd.get_subcommands().filter(|c| c.get_name() != "help").collect();
        if subs.is_empty() {
            out.push(path);
            return;
        }
        for sub in subs {
            let mut p = path.clone();
            p.push(sub.get_name().to_owned());
            leaves(sub, p, out);
        }
    }
    let cli = synmap::cli::Cli::command();
    let publish = cli.find_subcommand("publish").expect("a publish command");
    let mut out = Vec::new();
    leaves(publish, Vec::new(), &mut out);
    out
}

#[test]
fn every_publish_command_sends_nothing_in_offline_mode() {
    require_tracing();
    let dir = hostile_folder();
    let p = dir.path();
    let commands = publish_commands(p);
    for leaf in publish_leaves() {
        assert!(
            commands.iter().any(|c| c.starts_with(&leaf)),
            "publish {} is not in this test: add it to publish_commands",
            leaf.join(" ")
        );
    }
    // Offline mode two ways: for one run (--offline), and kept in the settings.
    let runs = commands.iter().map(|c| (true, c)).chain(commands.iter().map(|c| (false, c)));
    let mut turned_on = false;
    for (flag, command) in runs {
        if !flag && !turned_on {
            let t = traced(p, &["publish", "offline", "on"]);
            succeeded(&t, "publish offline on");
            turned_on = true;
        }
        let mut args = vec!["publish"];
        if flag {
            args.push("--offline");
        }
        args.extend(command.iter().map(String::as_str));
        let t = traced(p, &args);
        let what = args.join(" ");
        let stderr = String::from_utf8_lossy(&t.output.stderr);
        assert!(!stderr.contains("Usage:"), "{what} did not parse: {stderr}");
        assert_offline(&what, &t.log);
        // Every command that talks to a storage is refused before anything else.
        let sends = match command[0].as_str() {
            "mystorage" => command[1] != "forget",
            "azure" => matches!(command[1].as_str(), "upload" | "check"),
            _ => false,
        };
        if sends {
            assert_eq!(t.output.status.code(), Some(3), "{what}: {stderr}");
            assert!(stderr.contains("offline mode is on"), "{what}: {stderr}");
        }
    }
}

/// The editor, opened on the hostile map in a network namespace under strace, and driven with
/// xdotool: select everything, nudge it (an edit), open the preview, save, and export through
/// the export dialog and the file chooser.
#[test]
fn an_editor_session_stays_offline() {
    require_tracing();
    require("xdotool", "xdotool");
    let dir = hostile_folder();
    let p = dir.path();
    let (display, _xvfb) = xvfb();

    let log = p.join("strace-editor.log");
    let mut app = Killed(
        under_strace(&log)
            .arg("map.svg")
            .current_dir(p)
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .env("HOME", p.join("home"))
            .env("XDG_CONFIG_HOME", p.join("home/config"))
            .env("XDG_DATA_HOME", p.join("home/data"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start synmap under strace"),
    );
    let xdotool = |args: &[&str]| {
        Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &display)
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let mut window = String::new();
    assert!(
        eventually(60, || {
            window = xdotool(&["search", "--name", "synmap"])
                .and_then(|w| w.lines().next().map(str::to_owned))
                .unwrap_or_default();
            !window.is_empty()
        }),
        "the editor opened no window"
    );
    let title = || xdotool(&["getwindowname", &window]).unwrap_or_default();
    let key = |keys: &[&str]| {
        let mut args = vec!["key", "--window", window.as_str(), "--delay", "150"];
        args.extend(keys);
        xdotool(&["windowfocus", "--sync", &window]);
        xdotool(&args);
        std::thread::sleep(Duration::from_millis(700));
    };
    std::thread::sleep(Duration::from_secs(3));
    xdotool(&["mousemove", "640", "400"]);
    // An edit: select everything and nudge it.
    key(&["ctrl+a", "Right"]);
    assert!(eventually(10, || title().starts_with('•')), "the nudge changed nothing: {}", title());
    // The preview, then save.
    key(&["ctrl+p"]);
    let before = std::fs::read(p.join("map.svg")).unwrap();
    key(&["ctrl+s"]);
    assert!(
        eventually(15, || std::fs::read(p.join("map.svg")).unwrap() != before),
        "Ctrl+S did not save the map: {}",
        title()
    );
    // Export: the dialog's Export button, then the in-app file chooser's name field (the
    // desktop portal is not reachable) and Enter.
    key(&["ctrl+e"]);
    key(&["Return"]);
    key(&["ctrl+a"]);
    xdotool(&["type", "--window", &window, "--delay", "50", "exported.svg"]);
    key(&["Return"]);
    let exported = p.join("exported.svg");
    assert!(eventually(15, || exported.is_file()), "the export wrote no file");
    assert!(std::fs::read_to_string(&exported).unwrap().contains("Room_1"));

    drop(app.0.kill());
    let _ = app.0.wait();
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("AF_UNIX"), "the window connected to no local socket: strace saw nothing?");
    assert_offline("the editor session", &log);
}
