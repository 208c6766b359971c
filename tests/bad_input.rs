//! Malformed and hostile input: each gets a clear one-line error and exit status 1, promptly
//! and in bounded memory (the child runs under a 1 GiB address-space limit), never a panic,
//! hang or crash.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use support::run_with_watchdog;

/// Runs `synmap check FILE` under a 1 GiB address-space limit and returns (status, stderr).
fn check_file(path: &Path) -> (Option<i32>, String) {
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg("ulimit -v 1048576; exec \"$0\" check \"$1\"")
        .arg(env!("CARGO_BIN_EXE_synmap"))
        .arg(path);
    let out = run_with_watchdog(cmd, Duration::from_secs(60));
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn expect_error(name: &str, bytes: &[u8], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    expect_error_at(&path, needle);
}

fn expect_error_at(path: &Path, needle: &str) {
    let (code, stderr) = check_file(path);
    assert_eq!(code, Some(1), "{}: exit status, stderr: {stderr}", path.display());
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}: expected one line, got {stderr:?}", path.display());
    assert!(lines[0].starts_with("synmap: "), "{stderr}");
    assert!(lines[0].contains(needle), "{}: {stderr:?} lacks {needle:?}", path.display());
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn not_xml() {
    expect_error("a.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>", "not well-formed XML");
}

#[test]
fn truncated_file() {
    let full = std::fs::read(support::fixture("illustrator.svg")).unwrap();
    expect_error("t.svg", &full[..full.len() / 2], "not well-formed XML");
}

#[test]
fn wrong_encodings() {
    expect_error("u.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\">\xff\xfe\xfa</svg>", "not valid UTF-8");
    expect_error(
        "e.svg",
        b"<?xml version=\"1.0\" encoding=\"EBCDIC-US\"?><svg/>",
        "unsupported character encoding",
    );
}

#[test]
fn entity_expansion_bomb() {
    let mut s = String::from("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a0 \"lol\">");
    for i in 1..10 {
        let prev = format!("&a{};", i - 1).repeat(10);
        s.push_str(&format!("<!ENTITY a{i} \"{prev}\">"));
    }
    s.push_str("]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&a9;</text></svg>");
    expect_error("bomb.svg", s.as_bytes(), "entity references would expand the document");
}

#[test]
fn gzip_bomb() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![b' '; 1 << 20];
    gz.write_all(b"<svg xmlns=\"http://www.w3.org/2000/svg\">").unwrap();
    for _ in 0..200 {
        gz.write_all(&zeros).unwrap();
    }
    let bytes = gz.finish().unwrap();
    assert!(bytes.len() < 2 << 20, "the bomb is small: {}", bytes.len());
    expect_error("bomb.svgz", &bytes, "expands to more than");
}

#[test]
fn a_million_nested_groups() {
    let n = 1_000_000;
    let mut s = String::with_capacity(8 * n + 100);
    s.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">");
    s.push_str(&"<g>".repeat(n));
    s.push_str(&"</g>".repeat(n));
    s.push_str("</svg>");
    expect_error("deep.svg", s.as_bytes(), "nested more than");
}

#[test]
fn a_200_mb_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.svg");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap();
    expect_error_at(&path, "more than the 67108864-byte limit");
}

#[test]
fn absurd_numbers() {
    expect_error(
        "vb.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1e309 10\"/>",
        "viewBox",
    );
    expect_error("vb2.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 -5 10\"/>", "viewBox");
    // A path with absurd coordinates is dropped and reported as an error of the map.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.svg");
    std::fs::write(&path, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><path id=\"a\" d=\"M0 0 L1e300 5 Z\"/></svg>").unwrap();
    let mut cmd = support::synmap();
    cmd.arg("check").arg(&path);
    let out = run_with_watchdog(cmd, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[bad-geometry]"));
}

#[test]
fn files_that_are_not_svg() {
    expect_error("x.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "not");
    expect_error("x.html", b"<html><body>hi</body></html>", "not an SVG map");
    expect_error("x.json", b"{\"hello\": 1}", "not a valid JSVG document");
    expect_error("empty.svg", b"", "the file is empty");
    expect_error("other-ns.svg", b"<svg xmlns=\"urn:not-svg\"/>", "not an SVG map");
}

#[test]
fn missing_file() {
    expect_error_at(Path::new("/nonexistent/dir/map.svg"), "cannot read the file");
}

#[test]
fn hostile_use_expansion_is_bounded() {
    // Each level references the previous one ten times: 10^7 copies if expanded naively.
    let mut s = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><defs><rect id=\"l0\" width=\"1\" height=\"1\"/>",
    );
    for i in 1..8 {
        s.push_str(&format!("<g id=\"l{i}\">"));
        for _ in 0..10 {
            s.push_str(&format!("<use href=\"#l{}\"/>", i - 1));
        }
        s.push_str("</g>");
    }
    s.push_str("</defs><use href=\"#l7\"/></svg>");
    expect_error("uses.svg", s.as_bytes(), "more than");
}

#[test]
fn render_refuses_absurd_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.png");
    let mut cmd = support::synmap();
    cmd.arg("render").arg(support::fixture("web.svg")).arg("-o").arg(&out).args(["--width", "100000"]);
    let o = run_with_watchdog(cmd, Duration::from_secs(60));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("larger than synmap renders"));
    assert!(!out.exists());
}

#[test]
fn thousands_of_stacked_copies_are_checked_in_bounded_time_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stacked.svg");
    let star = "<path id=\"s{}\" d=\"M50 0L61 35L98 35L68 57L79 91L50 70L21 91L32 57L2 35L39 35Z\"/>";
    let body: String = (0..4000).map(|i| star.replace("{}", &i.to_string())).collect();
    std::fs::write(
        &path,
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">{body}</svg>"),
    )
    .unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let m =
        support::run_measured(&[std::ffi::OsStr::new("check"), path.as_os_str()], Duration::from_secs(60));
    support::assert_well_behaved("check of 4,000 stacked stars", &m, size, 0);
    let text = String::from_utf8_lossy(&m.output.stdout);
    assert!(text.contains("so many areas overlap that the check stopped after 200 overlaps"), "{text}");
}

#[test]
fn neighbours_whose_boxes_overlap_in_too_many_pairs_are_compared_in_part_and_said_so() {
    // 5,100 squares, each cut along its diagonal into two triangles: the triangles' boxes are
    // the same, the triangles only touch. More pairs than the check compares, none overlapping.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diagonals.svg");
    let body: String = (0..5100)
        .map(|i| {
            let (x, y) = ((i % 100) * 10, (i / 100) * 10);
            format!(
                "<path id=\"a{i}\" d=\"M{x} {y}h10L{x} {}Z\"/><path id=\"b{i}\" d=\"M{} {y}v10h-10Z\"/>",
                y + 10,
                x + 10
            )
        })
        .collect();
    std::fs::write(
        &path,
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 510\">{body}</svg>"),
    )
    .unwrap();
    let out = support::synmap().arg("check").arg(&path).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("overlapping-areas"), "{text}");
    assert!(
        text.contains("info[overlap-check-partial] overlaps were looked for between the first 5001 pairs of neighbouring areas only (0 found)"),
        "{text}"
    );
}
