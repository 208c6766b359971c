//! What export keeps, it keeps in meaning: legitimate styling (gradients, patterns, dash
//! arrays, markers, opacity, fonts, transforms, `currentColor`, clip paths, masks, modest
//! filters) renders the same before and after export, and every kept value, read back from
//! the export, is the same typed value (export of the export changes nothing).

mod support;

use proptest::prelude::*;
use support::{differing_fraction, fixture, render};
use synmap::svg::{ExportOptions, export_svg, import_bytes};

fn export(svg: &str) -> String {
    let imported = import_bytes(svg.as_bytes()).unwrap_or_else(|e| panic!("{e}: {svg}"));
    export_svg(&imported.map, &ExportOptions::default()).svg
}

#[test]
fn legitimate_styling_survives_export_in_meaning() {
    let dir = fixture("legit-styling");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "the legitimate-styling corpus has {} files", names.len());
    for path in names {
        let original = std::fs::read_to_string(&path).unwrap();
        let exported = export(&original);
        let diff = differing_fraction(&render(&original, 400), &render(&exported, 400), 24);
        assert!(
            diff < 0.002,
            "{}: {:.3}% of pixels differ after export:\n{exported}",
            path.display(),
            diff * 100.0
        );
    }
}

/// Values of the kinds a map's styles hold, and some that no grammar accepts.
fn value() -> impl Strategy<Value = String> {
    let number = -1000.0f64..1000.0;
    prop_oneof![
        (0u8..=255, 0u8..=255, 0u8..=255).prop_map(|(r, g, b)| format!("rgb({r},{g},{b})")),
        (0u8..=255, 0u8..=255, 0u8..=255, 0.0f64..1.0)
            .prop_map(|(r, g, b, a)| format!("rgba({r}, {g}, {b}, {a})")),
        "#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}",
        prop::sample::select(vec![
            "red",
            "none",
            "currentColor",
            "inherit",
            "bold",
            "evenodd",
            "round",
            "middle",
            "url(#g)",
            "url(#g) blue",
            "url(#nope)"
        ])
        .prop_map(str::to_owned),
        (number.clone(), prop::sample::select(vec!["", "px", "pt", "mm", "em", "%"]))
            .prop_map(|(n, u)| format!("{n}{u}")),
        prop::collection::vec(0.0f64..50.0, 1..6).prop_map(|v| v
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join(", ")),
        "'[A-Za-z ]{1,12}', (serif|sans-serif|monospace)",
        "[ -~]{0,24}",
    ]
}

fn property() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "fill",
        "stroke",
        "color",
        "stop-color",
        "opacity",
        "fill-opacity",
        "stroke-width",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "stroke-linejoin",
        "fill-rule",
        "font-family",
        "font-size",
        "font-weight",
        "text-anchor",
        "clip-path",
        "mask",
        "filter",
        "marker-end",
        "visibility",
        "display",
        "letter-spacing",
        "paint-order",
        "text-decoration",
        "font",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Importing the export gives the same typed value: writing it again changes nothing, and
    /// a value no grammar accepts is gone from the first export on.
    #[test]
    fn kept_values_read_back_as_the_same_value(prop in property(), v in value(), as_attribute in any::<bool>()) {
        let escaped = v.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
        let styled = if as_attribute { format!("{prop}=\"{escaped}\"") } else { format!("style=\"{prop}:{escaped}\"") };
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs><rect id="a" width="10" height="10" {styled}/></svg>"#
        );
        let Ok(imported) = import_bytes(svg.as_bytes()) else { return Ok(()) };
        let first = export_svg(&imported.map, &ExportOptions::default()).svg;
        let second = export(&first);
        prop_assert_eq!(&first, &second);
        prop_assert!(!first.contains('\\'), "{}", first);
    }
}
