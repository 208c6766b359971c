//! Shared helpers for the integration tests: fixtures, rendering, pixel comparison, the
//! synmap binary and a watchdog against hangs.
#![allow(dead_code)]

#[cfg(feature = "gui")]
pub mod editor;
pub mod processes;
#[cfg(feature = "gui")]
pub mod snapshots;

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

/// What one run of the synmap binary did: its output and its peak resident memory.
pub struct Measured {
    /// Exit status, standard output and standard error.
    pub output: Output,
    /// Peak resident memory in KiB (the child's `VmHWM`, as GNU time reports it).
    pub peak_kib: u64,
}

/// Runs synmap with `args` under GNU time (Debian's package `time`, which `scripts/test`
/// installs) and the watchdog, and returns its output and peak memory.
pub fn run_measured(args: &[&std::ffi::OsStr], limit: Duration) -> Measured {
    let time = Path::new("/usr/bin/time");
    assert!(time.exists(), "GNU time is missing: run 'apt-get install time' (scripts/test does)");
    let report = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = Command::new(time);
    cmd.arg("-f").arg("%M").arg("-o").arg(report.path()).arg(env!("CARGO_BIN_EXE_synmap"));
    cmd.args(args).stdin(Stdio::null());
    let output = run_with_watchdog(cmd, limit);
    let text = std::fs::read_to_string(report.path()).unwrap_or_default();
    // GNU time writes "Command exited with non-zero status N" before the figure.
    let peak_kib = text.lines().filter_map(|l| l.trim().parse().ok()).next_back().unwrap_or_else(|| {
        panic!("GNU time gave no peak memory for {args:?} (status {:?}): {text:?}", output.status.code())
    });
    Measured { output, peak_kib }
}

/// The memory bound the README promises: 64 MiB, plus 20 times the input's size, plus 4
/// bytes per pixel rendered, in KiB.
pub fn memory_bound_kib(input_bytes: u64, pixels: u64) -> u64 {
    64 * 1024 + (20 * input_bytes + 4 * pixels) / 1024
}

/// Checks what every command promises on any input: no panic or abort, exit status 0 or 1
/// (1 with exactly one line on standard error), and memory within the bound.
pub fn assert_well_behaved(what: &str, m: &Measured, input_bytes: u64, pixels: u64) {
    let stderr = String::from_utf8_lossy(&m.output.stderr);
    let code = m.output.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{what}: exit status {code:?} (killed or aborted?), stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{what}: {stderr}");
    if code == Some(1) && stderr.starts_with("synmap: ") {
        assert_eq!(stderr.lines().count(), 1, "{what}: the error is not one line: {stderr:?}");
    }
    let bound = memory_bound_kib(input_bytes, pixels);
    assert!(m.peak_kib <= bound, "{what}: peak memory {} KiB over the bound {bound} KiB", m.peak_kib);
}

/// What no export may contain, whatever the input: anything that runs script or reaches
/// outside the map. Checked on the parsed document, not on its text.
pub fn assert_export_inert(what: &str, svg: &str) {
    let doc =
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{what}: export is not well-formed: {e}"));
    let mut ids = std::collections::HashSet::new();
    for n in doc.descendants() {
        assert!(!n.is_pi(), "{what}: a processing instruction survived");
        if !n.is_element() {
            continue;
        }
        let name = n.tag_name().name();
        assert!(
            !matches!(
                name,
                "script" | "foreignObject" | "set" | "animate" | "iframe" | "use" | "a" | "style" | "feImage"
            ),
            "{what}: <{name}> survived"
        );
        for a in n.attributes() {
            let (k, v) = (a.name(), a.value());
            assert!(!k.to_ascii_lowercase().starts_with("on"), "{what}: event attribute {k} survived");
            assert!(!v.contains('\\'), "{what}: a CSS escape survived in {k}={v:?}");
            // Words for people (shown as text by the visual, never followed) may say anything.
            if matches!(k, "data-okviz-svg-author" | "data-okviz-svg-attribution" | "data-okviz-strong") {
                continue;
            }
            // Drill and link URLs may name any https: host; anything else is removed.
            if matches!(k, "data-okviz-drill-url" | "data-okviz-link-url") {
                assert!(synmap::svg::sanitize::is_https_url(v), "{what}: {k}={v:?}");
                continue;
            }
            let lower = v.to_ascii_lowercase();
            for bad in
                ["evil.example", "javascript", "vbscript", "image-set", "expression(", "@import", "data:text"]
            {
                assert!(!lower.contains(bad), "{what}: {bad} survived in {k}={v:?}");
            }
            if let Some(rest) = lower.strip_prefix("url(") {
                assert!(rest.starts_with('#'), "{what}: a url() outside the map survived in {k}={v:?}");
            }
            if lower.contains("url(") {
                assert!(lower.split("url(").skip(1).all(|r| r.starts_with('#')), "{what}: {k}={v:?}");
            }
            if k == "href" {
                assert!(v.starts_with('#') || v.starts_with("data:image/"), "{what}: href={v:?}");
            }
            if k == "id" {
                assert!(ids.insert(v.to_owned()), "{what}: the id {v:?} is written twice");
                assert!(synmap::ids::is_valid(v), "{what}: invalid id {v:?} written");
            }
        }
    }
}
