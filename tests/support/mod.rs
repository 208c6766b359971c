//! Shared helpers for the integration tests: fixtures, rendering, pixel comparison, the
//! synmap binary and a watchdog against hangs.
#![allow(dead_code)]

pub mod editor;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use synmap::svg::{Imported, import_bytes};

/// Path of a file in `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Path of the bundled sample map.
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/office-floor.svg")
}

/// Imports a fixture, panicking with the error.
pub fn import(name: &str) -> Imported {
    import_bytes(&std::fs::read(fixture(name)).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Renders SVG text with the same safe options synmap uses, `width` pixels wide, on white.
pub fn render(svg: &str, width: u32) -> tiny_skia::Pixmap {
    let opt = synmap::render::fonts::safe_options();
    let tree = usvg::Tree::from_str(svg, &opt).expect("renderable SVG");
    let size = tree.size();
    let scale = width as f32 / size.width();
    let height = (size.height() * scale).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).unwrap();
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap
}

/// Fraction of pixels whose colour differs by more than `tolerance` in any channel.
pub fn differing_fraction(a: &tiny_skia::Pixmap, b: &tiny_skia::Pixmap, tolerance: u8) -> f64 {
    assert_eq!((a.width(), a.height()), (b.width(), b.height()), "image sizes differ");
    let differing = a
        .data()
        .chunks_exact(4)
        .zip(b.data().chunks_exact(4))
        .filter(|(p, q)| p.iter().zip(q.iter()).any(|(x, y)| x.abs_diff(*y) > tolerance))
        .count();
    differing as f64 / f64::from(a.width() * a.height())
}

/// The RGB colour of a pixel.
pub fn pixel(p: &tiny_skia::Pixmap, x: u32, y: u32) -> [u8; 3] {
    let c = p.pixel(x, y).expect("pixel inside the image").demultiply();
    [c.red(), c.green(), c.blue()]
}

/// The synmap binary.
pub fn synmap() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_synmap"));
    c.stdin(Stdio::null());
    c
}

/// Runs a command with a generous watchdog: a hang fails the test instead of stalling CI.
pub fn run_with_watchdog(mut cmd: Command, limit: Duration) -> Output {
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn synmap");
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.expect("wait for synmap"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            panic!("synmap did not finish within {limit:?}");
        }
    }
}

/// Runs a closure on a thread with a watchdog.
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(16 * 1024 * 1024)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    rx.recv_timeout(limit).unwrap_or_else(|_| panic!("did not finish within {limit:?}"))
}
