//! The list of map URLs as CSV (one `URL` column, with the map's name beside it), safe to open
//! in a spreadsheet: cells that a spreadsheet would run as a formula are neutralised.

/// Neutralises a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) by
/// prefixing an apostrophe, so a spreadsheet shows it as text instead of running it.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_string() }
}

/// CSV with a header `Name,URL` and one row per `(name, url)`.
pub fn urls_csv(rows: &[(String, String)]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["Name", "URL"]).expect("writing to memory");
    for (name, url) in rows {
        w.write_record([neutralise(name), neutralise(url)]).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        let csv = urls_csv(&[
            ("=HYPERLINK(\"x\")".into(), "https://a/b?key=rk&name=x".into()),
            ("-1".into(), "@evil".into()),
            ("Floor, 1".into(), "https://a/c".into()),
        ]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "Name,URL");
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"x\"\")\",https://a/b?key=rk&name=x");
        assert_eq!(lines[2], "'-1,'@evil");
        assert_eq!(lines[3], "\"Floor, 1\",https://a/c");
    }
}
