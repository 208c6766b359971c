//! Hostile maps: nothing unsafe survives export, nothing is fetched or read, and the report
//! says what was removed.

mod support;

use support::import;
use synmap::svg::{ExportOptions, export_svg};

#[test]
fn hostile_content_is_removed_and_safe_areas_survive() {
    let imp = import("hostile.svg");
    let out = export_svg(&imp.map, &ExportOptions::default());
    let svg = &out.svg;
    for bad in [
        "javascript:",
        "alert(",
        "example.com",
        "file:",
        "../",
        "other.svg",
        "@import",
        "<script",
        "<foreignObject",
        "<set",
        "<animate",
        "<iframe",
        " on",
    ] {
        assert!(!svg.contains(bad), "{bad:?} survived:\n{svg}");
    }
    for id in ["Safe_x20_1", "Safe_x20_2", "Safe_x20_3"] {
        assert!(svg.contains(&format!("id=\"{id}\"")), "{id} lost");
    }
    assert!(svg.contains("<title>Safe 1</title>"));
    assert!(svg.contains("fill=\"#cfe2f3\""), "{svg}");
    let codes: Vec<&str> = imp.findings.iter().map(|f| f.code).collect();
    assert!(codes.contains(&"unsafe-content") && codes.contains(&"external-reference"), "{codes:?}");
    // Whatever reached outside the map is removed as unsafe.
    let removed: Vec<String> = out.unsafe_removed.iter().map(|(what, _)| what.to_owned()).collect();
    assert!(removed.iter().any(|r| r.contains("data-okviz-drill-url")), "{removed:?}");
    assert!(removed.iter().any(|r| r.contains("data-okviz-link-url")), "{removed:?}");
    assert!(
        removed.iter().any(|r| r.contains("style property fill")),
        "remote url() fill reported: {removed:?}"
    );
}

#[test]
fn external_references_are_never_opened() {
    // A map that points at a real local file next to it: import and render must not read it.
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.png");
    std::fs::write(&secret, b"not really a png").unwrap();
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><image href="{}" width="10" height="10"/><image href="secret.png" width="10" height="10"/><rect id="a" width="5" height="5"/></svg>"#,
        secret.display()
    );
    let imp = synmap::svg::import::import_svg(&svg).unwrap();
    let out = export_svg(&imp.map, &ExportOptions::default()).svg;
    assert!(!out.contains("secret"));
    assert!(imp.findings.iter().any(|f| f.code == "external-reference"));
    // The preview renderer resolves nothing outside the map either.
    let opt = synmap::render::fonts::safe_options();
    let tree = usvg::Tree::from_str(&svg, &opt).unwrap();
    fn images(g: &usvg::Group) -> usize {
        g.children()
            .iter()
            .map(|n| match n {
                usvg::Node::Image(_) => 1,
                usvg::Node::Group(g) => images(g),
                _ => 0,
            })
            .sum()
    }
    assert_eq!(images(tree.root()), 0);
}

#[test]
fn nested_svg_images_and_data_urls_other_than_rasters_are_removed() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><image href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4=" width="5" height="5"/><rect id="a" width="5" height="5" style="fill:url(javascript:alert(1))"/></svg>"#;
    let imp = synmap::svg::import::import_svg(svg).unwrap();
    let out = export_svg(&imp.map, &ExportOptions::default()).svg;
    assert!(!out.contains("svg+xml") && !out.contains("javascript"), "{out}");
}
