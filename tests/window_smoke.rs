//! Smoke test of the real window: the synmap binary started under Xvfb with the bundled sample
//! draws the map (screenshot taken with ImageMagick), not a blank window.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills a child process when dropped, even if the test panics.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn require(tool: &str, package: &str) {
    let found = Command::new("sh").arg("-c").arg(format!("command -v {tool}")).stdout(Stdio::null()).status();
    assert!(
        found.is_ok_and(|s| s.success()),
        "{tool} is missing: run scripts/test, which installs it (apt-get install {package})"
    );
}

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

#[test]
fn the_window_shows_the_sample_map() {
    require("Xvfb", "xvfb");
    require("import", "imagemagick");
    let display = format!(":{}", 50 + std::process::id() % 900);
    let _xvfb = Killed(
        Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb"),
    );
    let socket = format!("/tmp/.X11-unix/X{}", &display[1..]);
    let start = Instant::now();
    while !Path::new(&socket).exists() {
        assert!(start.elapsed() < Duration::from_secs(20), "Xvfb did not start on {display}");
        std::thread::sleep(Duration::from_millis(50));
    }
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
    let start = Instant::now();
    let mut last = 0.0;
    while start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(500));
        if let Some((w, h, pixels)) = screenshot(&display) {
            assert_eq!((w, h), (1280, 800));
            last = share_of(&pixels, [0xDC, 0xE8, 0xF5]);
            if last > 0.03 {
                return;
            }
        }
    }
    panic!(
        "after 60 s the window does not show the map: {:.2} % of the screen in the rooms' colour",
        last * 100.0
    );
}
