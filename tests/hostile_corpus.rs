//! The hostile corpus (`tests/fixtures/hostile`, one attack construct a file, listed in its
//! README) through the real binary: `check`, `export` (SVG and JSVG) and `render` each finish
//! promptly, in bounded memory, with exit status 0 or 1 and one-line errors; every export is
//! well-formed, has unique ids, keeps the two normal areas and holds nothing from the attack;
//! whatever export removes, `check` reports.

mod support;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use support::{Measured, assert_export_inert, assert_well_behaved, run_measured};

const WATCHDOG: Duration = Duration::from_secs(30);
const RENDER_WIDTH: u64 = 512;

fn corpus() -> Vec<PathBuf> {
    let dir = support::fixture("hostile");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension() == Some(OsStr::new("svg")))
        .collect();
    files.sort();
    assert!(files.len() >= 120, "the hostile corpus has only {} files", files.len());
    files
}

fn run(args: &[&OsStr]) -> Measured {
    run_measured(args, WATCHDOG)
}

#[test]
fn every_hostile_file_is_handled_safely() {
    let out = tempfile::tempdir().unwrap();
    let mut worst = (0u64, String::new());
    let mut failures = Vec::new();
    for path in corpus() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let size = std::fs::metadata(&path).unwrap().len();
        let svg_out = out.path().join(format!("{name}.out.svg"));
        let jsvg_out = out.path().join(format!("{name}.out.jsvg"));
        let png_out = out.path().join(format!("{name}.png"));
        let result = std::panic::catch_unwind(|| {
            let check = run(&[OsStr::new("check"), OsStr::new("--json"), path.as_os_str()]);
            assert_well_behaved(&format!("check {name}"), &check, size, 0);
            let export =
                run(&[OsStr::new("export"), path.as_os_str(), OsStr::new("-o"), svg_out.as_os_str()]);
            assert_well_behaved(&format!("export {name}"), &export, size, 0);
            let jsvg = run(&[OsStr::new("export"), path.as_os_str(), OsStr::new("-o"), jsvg_out.as_os_str()]);
            assert_well_behaved(&format!("export jsvg {name}"), &jsvg, size, 0);
            let render = run(&[
                OsStr::new("render"),
                path.as_os_str(),
                OsStr::new("-o"),
                png_out.as_os_str(),
                OsStr::new("--width"),
                OsStr::new("512"),
            ]);
            assert_well_behaved(&format!("render {name}"), &render, size, RENDER_WIDTH * RENDER_WIDTH * 4);
            // Bombs and malformed files are refused outright, with one line saying why.
            if name.starts_with("xml-malformed-")
                || name.starts_with("dos-entity-")
                || name == "dos-use-bomb.svg"
            {
                let stderr = String::from_utf8_lossy(&export.output.stderr);
                assert_eq!(export.output.status.code(), Some(1), "{name} was not refused: {stderr}");
                assert!(stderr.starts_with("synmap: ") && stderr.lines().count() == 1, "{name}: {stderr:?}");
            }
            let peak = [&check, &export, &jsvg, &render].iter().map(|m| m.peak_kib).max().unwrap();
            if export.output.status.success() {
                let svg = std::fs::read_to_string(&svg_out).unwrap();
                assert_export_inert(&name, &svg);
                let jsvg: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&jsvg_out).unwrap()).unwrap();
                assert_export_inert(&format!("{name} (JSVG)"), jsvg["map"].as_str().expect("map"));
                let input = std::fs::read_to_string(&path).unwrap_or_default();
                for keep in ["keep_a", "keep_b"] {
                    if input.contains(&format!("id=\"{keep}\"")) {
                        assert!(svg.contains(&format!("id=\"{keep}\"")), "{name}: the area {keep} was lost");
                    }
                }
                assert_removals_reported(&name, &export, &check);
            }
            peak
        });
        match result {
            Ok(peak) if peak > worst.0 => worst = (peak, name),
            Ok(_) => {}
            Err(e) => failures
                .push(e.downcast_ref::<String>().cloned().unwrap_or_else(|| format!("{name}: failed"))),
        }
    }
    eprintln!("worst peak memory: {} KiB ({})", worst.0, worst.1);
    assert!(failures.is_empty(), "{} of the hostile files failed:\n{}", failures.len(), failures.join("\n"));
}

/// Whatever export says it removed, check reports as a finding (the two share one decision).
fn assert_removals_reported(name: &str, export: &Measured, check: &Measured) {
    let stderr = String::from_utf8_lossy(&export.output.stderr);
    let removed_unsafe = stderr.lines().any(|l| {
        l.starts_with("removed unsafe")
            || (l.starts_with("removed ") && l.contains("the visual does not allow"))
    });
    let codes = finding_codes(name, check);
    if removed_unsafe {
        assert!(
            codes.iter().any(|c| c == "unsafe-content"),
            "{name}: export removed unsafe content ({stderr}) but check says {codes:?}"
        );
    }
    // Other editors' own state (Inkscape's attributes) is removed without a finding.
    if stderr.lines().any(|l| l.starts_with("removed") && !l.starts_with("removed editor state")) {
        assert!(
            codes.iter().any(|c| matches!(
                c.as_str(),
                "unsafe-content" | "unsupported-content" | "external-reference"
            )),
            "{name}: export removed something ({stderr}) but check says {codes:?}"
        );
    }
}

/// The finding codes `check --json` printed.
fn finding_codes(name: &str, check: &Measured) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_slice(&check.output.stdout)
        .unwrap_or_else(|e| panic!("{name}: check --json printed no JSON ({e})"));
    report["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

fn export_text(name: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("out.svg");
    let path = support::fixture("hostile").join(name);
    let m = run(&[OsStr::new("export"), path.as_os_str(), OsStr::new("-o"), target.as_os_str()]);
    assert!(m.output.status.success(), "{name}: {}", String::from_utf8_lossy(&m.output.stderr));
    std::fs::read_to_string(target).unwrap()
}

#[test]
fn a_removed_element_takes_its_text_with_it() {
    let svg = export_text("xss-title-script.svg");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let titles: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .map(|t| t.text().unwrap_or_default().to_owned())
        .collect();
    assert!(titles.contains(&"T".to_owned()), "{titles:?}");
    assert!(!svg.contains("alert"), "{svg}");
}

#[test]
fn areas_keep_their_ids_and_definitions_give_way() {
    let svg = export_text("id-clippath-area-collision.svg");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let area =
        doc.descendants().find(|n| n.attribute("id") == Some("keep1")).expect("an element keeps keep1");
    assert_ne!(area.tag_name().name(), "clipPath", "the clip path took the area's id");
    let clip = doc.descendants().find(|n| n.has_tag_name("clipPath")).expect("the clip path is kept");
    let clip_id = clip.attribute("id").unwrap();
    let users: Vec<_> = doc
        .descendants()
        .filter(|n| {
            let reference = format!("url(#{clip_id})");
            n.attribute("clip-path") == Some(reference.as_str())
                || n.attribute("style").is_some_and(|s| s.contains(&format!("clip-path:{reference}")))
        })
        .collect();
    assert!(!users.is_empty(), "the reference to the clip path did not follow its rename: {svg}");
}

#[test]
fn duplicates_are_renamed_in_linear_time() {
    // 20,000 copies of one id: every copy after the first is renamed, each once.
    let path: &Path = &support::fixture("hostile").join("dos-duplicate-id-20000.svg");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("out.svg");
    let m = run(&[OsStr::new("export"), path.as_os_str(), OsStr::new("-o"), target.as_os_str()]);
    assert!(m.output.status.success());
    let svg = std::fs::read_to_string(target).unwrap();
    assert!(svg.contains("id=\"same\"") && svg.contains("id=\"same_20000\""));
}

#[test]
fn invisible_and_direction_changing_characters_are_reported() {
    for name in ["id-bidi-override.svg", "id-zero-width.svg", "id-zero-width-lookalike.svg"] {
        let path = support::fixture("hostile").join(name);
        let m = run(&[OsStr::new("check"), OsStr::new("--json"), path.as_os_str()]);
        let codes = finding_codes(name, &m);
        assert!(codes.iter().any(|c| c == "deceptive-text"), "{name}: {codes:?}");
    }
}

#[test]
fn outlined_text_past_the_budget_is_left_out_of_a_render_with_a_note() {
    // 100,000 glyphs under a stroke inherited from their group took 17 s to render.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("glyphs.svg");
    let line = "O".repeat(1000);
    let texts: String =
        (0..100).map(|i| format!("<text x=\"0\" y=\"{i}\" font-size=\"1\">{line}</text>")).collect();
    std::fs::write(
        &path,
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect id="keep_a" width="10" height="10"/><g style="stroke:#000;stroke-width:0.1">{texts}</g></svg>"#
        ),
    )
    .unwrap();
    let png = dir.path().join("glyphs.png");
    let m = run(&[OsStr::new("render"), path.as_os_str(), OsStr::new("-o"), png.as_os_str()]);
    assert_well_behaved("render glyphs", &m, std::fs::metadata(&path).unwrap().len(), 2048 * 2100);
    let stderr = String::from_utf8_lossy(&m.output.stderr);
    assert!(m.output.status.success(), "{stderr}");
    assert!(stderr.contains("note: the text is left out: 100000 characters of outlined text"), "{stderr}");
}
