//! Whole-process measurements that criterion cannot make: `synmap render` against
//! `rsvg-convert` on the same 10k-area plans, square and tall (wall time including writing the
//! PNG, median of 5, run side by side), peak memory of import + check + export of the 50k-area plan, and the
//! editor's start-up: process start to the first frame showing the 50k-area (11.6 MB) plan,
//! under Xvfb; `synmap import` of a 10,000-room DXF and of a 50 MB GeoJSON (wall time and peak
//! memory).
//!
//! Run with `cargo bench --bench process`. Needs `rsvg-convert` (Debian `librsvg2-bin`) and
//! `Xvfb` (Debian `xvfb`).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use synmap::generate::{PlanSpec, floor_plan, floor_plan_in_columns};

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let plan10k = dir.path().join("plan-10k.svg");
    let plan50k = dir.path().join("plan-50k.svg");
    let tall10k = dir.path().join("tall-10k.svg");
    std::fs::write(&plan10k, floor_plan(PlanSpec { areas: 10_000, seed: 1 })).unwrap();
    std::fs::write(&tall10k, floor_plan_in_columns(PlanSpec { areas: 10_000, seed: 1 }, Some(1))).unwrap();
    std::fs::write(&plan50k, floor_plan(PlanSpec { areas: 50_000, seed: 1 })).unwrap();
    let synmap = env!("CARGO_BIN_EXE_synmap");
    render_comparison(synmap, "10k plan", &plan10k, dir.path());
    render_comparison(synmap, "tall 10k plan (one column of floors)", &tall10k, dir.path());
    peak_memory(synmap, &plan50k);
    imports(synmap, dir.path());
    first_frame(synmap, &plan50k, dir.path());
}

/// Process start to the log line the editor writes on the first frame that shows the map.
fn first_frame(synmap: &str, plan: &Path, dir: &Path) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let display = format!(":{}", 50 + std::process::id() % 900);
    let mut xvfb = Command::new("Xvfb")
        .args([display.as_str(), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("Xvfb is missing ({e}): install Debian's xvfb (scripts/bench does)"));
    let socket = format!("/tmp/.X11-unix/X{}", &display[1..]);
    while !Path::new(&socket).exists() {
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut times = Vec::new();
    for _ in 0..5 {
        // A cold start each time: Xvfb and the previous instance have settled.
        std::thread::sleep(Duration::from_secs(1));
        let start = Instant::now();
        let mut app = Command::new(synmap)
            .arg(plan)
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("RUST_LOG", "synmap::startup=info")
            .env("HOME", dir)
            .env("XDG_CONFIG_HOME", dir.join("config"))
            .env("XDG_DATA_HOME", dir.join("data"))
            .stderr(Stdio::piped())
            .spawn()
            .expect("start synmap");
        let lines = BufReader::new(app.stderr.take().expect("piped"));
        for line in lines.lines() {
            if line.expect("stderr").contains("first frame showing the map") {
                times.push(start.elapsed());
                break;
            }
        }
        let _ = app.kill();
        let _ = app.wait();
    }
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    let size = std::fs::metadata(plan).unwrap().len();
    println!(
        "editor start-up to the first frame showing the 50k plan ({:.1} MB), median of 5: {:.0} ms",
        size as f64 / 1e6,
        median(times).as_secs_f64() * 1e3
    );
}

fn wall(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let status = cmd.status().expect("run command");
    let took = start.elapsed();
    assert!(status.success(), "{cmd:?} failed");
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn render_comparison(synmap: &str, name: &str, plan: &Path, dir: &Path) {
    if Command::new("rsvg-convert").arg("--version").output().is_err() {
        panic!("rsvg-convert is missing: install Debian's librsvg2-bin (the README's test command does)");
    }
    let ours = dir.join("synmap.png");
    let theirs = dir.join("rsvg.png");
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        a.push(wall(
            Command::new(synmap).arg("render").arg(plan).arg("-o").arg(&ours).args(["--width", "2048"]),
        ));
        b.push(wall(Command::new("rsvg-convert").args(["-w", "2048", "-o"]).arg(&theirs).arg(plan)));
    }
    let (ma, mb) = (median(a), median(b));
    println!(
        "render {name} at 2048 px wide: synmap {:.0} ms, rsvg-convert {:.0} ms, ratio {:.2}",
        ma.as_secs_f64() * 1e3,
        mb.as_secs_f64() * 1e3,
        ma.as_secs_f64() / mb.as_secs_f64()
    );
}

fn peak_memory(synmap: &str, plan: &Path) {
    let size = std::fs::metadata(plan).unwrap().len();
    for cmd in ["check", "export"] {
        let mut c = Command::new("bash");
        c.arg("-c").arg("\"$0\" \"$1\" \"$2\" $3 >/dev/null & pid=$!; peak=0; while kill -0 $pid 2>/dev/null; do v=$(awk '/VmHWM/{print $2}' /proc/$pid/status 2>/dev/null); [ -n \"$v\" ] && [ \"$v\" -gt \"$peak\" ] && peak=$v; sleep 0.005; done; echo $peak");
        let out_file = tempfile::NamedTempFile::new().unwrap();
        let out_arg = format!("-o {}", out_file.path().display());
        c.arg(synmap).arg(cmd).arg(plan).arg(if cmd == "export" { out_arg.as_str() } else { "" });
        let out = c.output().expect("run bash");
        let kib: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0);
        println!(
            "peak memory of `synmap {cmd}` on the 50k plan ({:.1} MB): {:.1} MB, {:.1}× the file size",
            size as f64 / 1e6,
            kib as f64 * 1024.0 / 1e6,
            kib as f64 * 1024.0 / size as f64
        );
    }
}

/// `synmap import` of a 10,000-room DXF plan and a 50 MB GeoJSON: wall time (median of 5) and
/// peak memory against the file's size.
fn imports(synmap: &str, dir: &Path) {
    let dxf = dir.join("plan-10k.dxf");
    let geo = dir.join("regions-50mb.geojson");
    std::fs::write(&dxf, synmap::generate::dxf::dxf_plan(10_000)).unwrap();
    std::fs::write(&geo, synmap::generate::geojson::geojson_regions(50_000_000)).unwrap();
    for input in [&dxf, &geo] {
        let size = std::fs::metadata(input).unwrap().len();
        let out = dir.join("imported.svg");
        let mut times = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            let status = Command::new(synmap).arg("import").arg(input).arg("-o").arg(&out).status().unwrap();
            assert!(status.success(), "synmap import {}", input.display());
            times.push(start.elapsed());
        }
        times.sort();
        let mut c = Command::new("bash");
        c.arg("-c").arg("\"$0\" import \"$1\" -o \"$2\" 2>/dev/null & pid=$!; peak=0; while kill -0 $pid 2>/dev/null; do v=$(awk '/VmHWM/{print $2}' /proc/$pid/status 2>/dev/null); [ -n \"$v\" ] && [ \"$v\" -gt \"$peak\" ] && peak=$v; sleep 0.005; done; echo $peak");
        c.arg(synmap).arg(input).arg(&out);
        let kib: u64 = String::from_utf8_lossy(&c.output().unwrap().stdout).trim().parse().unwrap_or(0);
        println!(
            "synmap import {} ({:.1} MB): median {:.2} s, peak memory {:.1} MB, {:.1}× the file size",
            input.file_name().unwrap().to_string_lossy(),
            size as f64 / 1e6,
            times[2].as_secs_f64(),
            kib as f64 * 1024.0 / 1e6,
            kib as f64 * 1024.0 / size as f64
        );
    }
}
