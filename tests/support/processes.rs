//! Real processes for the tests that run the binary as a user would: the tools they need, a
//! virtual X server, and children that are killed however the test ends.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills a child process when dropped, even if the test panics.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Fails with the set-up step when `tool` is not installed.
pub fn require(tool: &str, package: &str) {
    let found = Command::new("sh").arg("-c").arg(format!("command -v {tool}")).stdout(Stdio::null()).status();
    assert!(
        found.is_ok_and(|s| s.success()),
        "{tool} is missing: run scripts/test, which installs it (apt-get install {package})"
    );
}

/// Polls `probe` every 200 ms for up to `seconds`.
pub fn eventually(seconds: u64, mut probe: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(seconds) {
        if probe() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

/// Starts Xvfb (1280×800) on a display no other X server (a person's own, say) is using;
/// returns the display and the server, stopped when dropped.
pub fn xvfb() -> (String, Killed) {
    require("Xvfb", "xvfb");
    let display = (0..900)
        .map(|i| format!(":{}", 50 + (std::process::id() + i) % 900))
        .find(|d| !Path::new(&format!("/tmp/.X11-unix/X{}", &d[1..])).exists())
        .expect("a free X display number");
    let server = Killed(
        Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb"),
    );
    let socket = format!("/tmp/.X11-unix/X{}", &display[1..]);
    assert!(eventually(20, || Path::new(&socket).exists()), "Xvfb did not start on {display}");
    (display, server)
}
