//! The report's values read from every kind of file an author has: workbooks written by a
//! spreadsheet library (XLSX) and an ODF library (ODS) with several sheets, a title row above
//! the header and numbers stored as numbers; JSON; TSV; and through `synmap check`.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use synmap::categories::{CategoriesError, Source, read};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data").join(name)
}

#[test]
fn workbooks_give_the_named_sheet_below_its_title_row_with_numbers_as_written() {
    for file in ["sales.xlsx", "sales.ods"] {
        let rooms = Source { sheet: Some("rooms"), ..Source::default() };
        let t = read(&data(file), &rooms).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(t.categories.values(), ["101", "Office 102", "304", "Kitchen"], "{file}");
        assert!(t.measures.is_none(), "{file}: three columns and no measure named");
        let sales = Source {
            sheet: Some("Rooms"),
            column: Some("room"),
            measure: Some("Sales"),
            ..Source::default()
        };
        let t = read(&data(file), &sales).unwrap();
        assert_eq!(t.measures.unwrap(), vec![Some(1200.5), Some(850.0), None, Some(75.0)], "{file}");
        let zones = Source { sheet: Some("Rooms"), column: Some("Zone"), ..Source::default() };
        assert_eq!(
            read(&data(file), &zones).unwrap().categories.values(),
            ["North", "North", "East", "Center"],
            "{file}"
        );
        // Without a sheet named: the first one with data (the cover is empty).
        let first = read(&data(file), &Source::default()).unwrap();
        assert_eq!(first.categories.values(), ["101", "Office 102", "304", "Kitchen"], "{file}");
        let notes =
            read(&data(file), &Source { sheet: Some("Notes"), column_index: Some(1), ..Source::default() });
        assert_eq!(notes.unwrap().categories.values(), ["Prepared for the synmap tests"], "{file}");
        let missing = read(&data(file), &Source { sheet: Some("Budget"), ..Source::default() });
        assert!(
            matches!(&missing, Err(CategoriesError::NoSheet(name, all)) if name == "Budget" && all.contains("Rooms")),
            "{file}: {missing:?}"
        );
    }
}

#[test]
fn a_workbook_renamed_to_another_extension_is_still_read_and_junk_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("export.dat");
    std::fs::copy(data("sales.xlsx"), &renamed).unwrap();
    let t = read(&renamed, &Source { sheet: Some("Rooms"), ..Source::default() }).unwrap();
    assert_eq!(t.categories.len(), 4);
    let junk = dir.path().join("broken.xlsx");
    std::fs::write(&junk, b"PK\x03\x04 this is not a workbook").unwrap();
    assert!(matches!(read(&junk, &Source::default()), Err(CategoriesError::Workbook(_))));
}

#[test]
fn check_reads_a_sheet_and_a_column_from_the_command_line() {
    let mut cmd = support::synmap();
    cmd.args(["check"]).arg(support::sample()).arg("--categories").arg(data("sales.ods"));
    cmd.args(["--sheet", "Rooms", "--column", "Room", "--json"]);
    let out = support::run_with_watchdog(cmd, Duration::from_secs(120));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unmatched: Vec<&str> = report["report"]["unmatched_values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(unmatched.contains(&"101") && !unmatched.contains(&"Kitchen"), "{unmatched:?}");
    let mut cmd = support::synmap();
    cmd.args(["check"]).arg(support::sample()).arg("--categories").arg(data("sales.xlsx"));
    cmd.args(["--sheet", "Budget"]);
    let out = support::run_with_watchdog(cmd, Duration::from_secs(120));
    assert_eq!(out.status.code(), Some(1), "a sheet that is not there: the file cannot be used");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no sheet named \"Budget\"") && said.lines().count() == 1, "{said}");
}
