//! The real window as a screen reader meets it: the synmap binary started under Xvfb with the
//! AT-SPI accessibility bus (Debian's at-spi2-core) and walked with pyatspi
//! (`scripts/a11y_probe.py --check`, run by `scripts/a11y_session.sh`): every focusable node has
//! a name, the Areas tree is one Tab stop whose rows say their level, the status bar's live
//! regions are there, and an area is reached with Tab and selected with Down, keyboard alone,
//! the status bar then saying its name and binding status.

use std::path::Path;
use std::process::Command;

#[test]
fn an_area_is_reached_and_selected_with_the_keyboard_and_every_focusable_node_is_named() {
    let pyatspi = Command::new("/usr/bin/python3").args(["-c", "import pyatspi"]).output();
    assert!(
        pyatspi.is_ok_and(|o| o.status.success()),
        "pyatspi is missing: run scripts/test, which installs it (apt-get install python3-pyatspi)"
    );
    assert!(
        Path::new("/usr/libexec/at-spi-bus-launcher").exists(),
        "the AT-SPI bus is missing: run scripts/test, which installs it (apt-get install at-spi2-core)"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(root.join("scripts/a11y_session.sh"))
        .arg("--check")
        .env("SYNMAP_BIN", env!("CARGO_BIN_EXE_synmap"))
        .env("A11Y_DIR", dir.path())
        .output()
        .expect("scripts/a11y_session.sh runs");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    assert!(
        out.status.success(),
        "the accessibility check failed:\n{said}\nsynmap said:\n{}\nXvfb (display {}) said:\n{}",
        read("app.log"),
        read("display").trim(),
        read("xvfb.log")
    );
    assert!(said.contains("reached and selected"), "{said}");
    assert!(said.contains("accessibility check passed"), "{said}");
}
