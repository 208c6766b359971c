//! Killing synmap in the middle of writing never leaves a half-written file: the target is
//! always either the previous file or the complete new one (writes go to a temporary file that
//! is renamed over the target).

mod support;

use std::time::Instant;

#[test]
fn a_kill_during_export_leaves_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.svg");
    std::fs::write(
        &plan,
        synmap::generate::floor_plan(synmap::generate::PlanSpec { areas: 20_000, seed: 5 }),
    )
    .unwrap();
    let out = dir.path().join("ready.svg");
    let old = std::fs::read(support::sample()).unwrap();
    std::fs::write(&out, &old).unwrap();

    // How long a whole export takes here, to spread the kills over it.
    let start = Instant::now();
    let status = support::synmap()
        .arg("export")
        .arg(&plan)
        .arg("-o")
        .arg(dir.path().join("full.svg"))
        .status()
        .unwrap();
    assert!(status.success());
    let full = std::fs::read(dir.path().join("full.svg")).unwrap();
    let took = start.elapsed();

    let mut killed_mid_run = 0;
    for i in 0..16u32 {
        let mut child = support::synmap().arg("export").arg(&plan).arg("-o").arg(&out).spawn().unwrap();
        std::thread::sleep(took.mul_f64(f64::from(i) / 16.0));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).unwrap();
        assert!(now == old || now == full, "kill {i} left a file of {} bytes that is neither", now.len());
        std::fs::write(&out, &old).unwrap();
    }
    assert!(killed_mid_run >= 8, "only {killed_mid_run} kills hit a running export");
}
