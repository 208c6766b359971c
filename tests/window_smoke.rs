//! Smoke test of the real window: the synmap binary started under Xvfb with the bundled sample
//! draws the map (screenshot taken with ImageMagick), not a blank window; and keyboard copy and
//! paste go through the X clipboard (driven with xdotool, read with xclip).

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use support::processes::{Killed, eventually, require, xvfb};

/// A screenshot of the whole X screen as (width, height, RGB bytes), from a binary PPM.
fn screenshot(display: &str) -> Option<(usize, usize, Vec<u8>)> {
    let out = Command::new("import")
        .args(["-display", display, "-window", "root", "-depth", "8", "ppm:-"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let data = out.stdout;
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).to_string());
    }
    let (w, h): (usize, usize) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
    let pixels = data[i + 1..].to_vec();
    (fields[0] == "P6" && pixels.len() >= w * h * 3).then_some((w, h, pixels))
}

/// Share of pixels within a small distance of `rgb`.
fn share_of(pixels: &[u8], rgb: [u8; 3]) -> f64 {
    let n = pixels.len() / 3;
    let close = pixels.chunks_exact(3).filter(|p| (0..3).all(|c| p[c].abs_diff(rgb[c]) <= 12)).count();
    close as f64 / n as f64
}

/// Output of a helper program on the display, if it ran.
fn run_on(display: &str, program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).env("DISPLAY", display).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn the_window_shows_the_sample_map_and_uses_the_system_clipboard() {
    require("import", "imagemagick");
    require("xdotool", "xdotool");
    require("xclip", "xclip");
    let (display, _xvfb) = xvfb();
    let home = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/office-floor.svg");
    let _app = Killed(
        Command::new(env!("CARGO_BIN_EXE_synmap"))
            .arg(&sample)
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start synmap"),
    );
    // The canvas draws the rooms in their own fill (#DCE8F5 in the sample).
    let mut last = 0.0;
    let shown = eventually(60, || {
        if let Some((w, h, pixels)) = screenshot(&display) {
            assert_eq!((w, h), (1280, 800));
            last = share_of(&pixels, [0xDC, 0xE8, 0xF5]);
        }
        last > 0.03
    });
    assert!(
        shown,
        "after 60 s the window does not show the map: {:.2} % of the screen in the rooms' colour",
        last * 100.0
    );

    // Select all and copy with the keyboard: the areas reach the X clipboard as SVG.
    let window = run_on(&display, "xdotool", &["search", "--name", "synmap"])
        .and_then(|out| out.lines().next().map(str::to_owned))
        .expect("the synmap window is found by its title");
    let xdotool = |args: &[&str]| run_on(&display, "xdotool", args).expect("xdotool runs");
    xdotool(&["windowfocus", "--sync", &window]);
    xdotool(&["mousemove", "640", "400"]);
    xdotool(&["key", "--window", &window, "ctrl+a", "ctrl+c"]);
    let mut copied = String::new();
    let on_clipboard = eventually(10, || {
        copied = run_on(&display, "xclip", &["-selection", "clipboard", "-o"]).unwrap_or_default();
        copied.contains("<svg")
    });
    assert!(on_clipboard, "Ctrl+C put no SVG on the clipboard: {copied:?}");
    assert!(copied.contains("id=\"Office_x20_101\"") && copied.contains("id=\"Lobby\""), "{copied}");

    // Paste it back: the map gains copies and the title shows unsaved changes.
    let title = || run_on(&display, "xdotool", &["getwindowname", &window]).unwrap_or_default();
    assert!(!title().starts_with('•'), "unchanged before the paste: {}", title());
    xdotool(&["key", "--window", &window, "ctrl+v"]);
    assert!(eventually(10, || title().starts_with('•')), "Ctrl+V changed nothing: {}", title());
}
