//! Category values from text: CSV, TSV, one value per line, or JSON (an array of strings or
//! numbers, or of objects whose `column` key holds the value).

use super::{CategoriesError, CategoryTable, Format, Source, grid};
use crate::binding::Categories;

/// Parses `text` in the given text format.
pub(super) fn parse(
    text: &str,
    format: Format,
    source: &Source<'_>,
) -> Result<CategoryTable, CategoriesError> {
    match format {
        Format::Json => json(text, source),
        Format::Csv | Format::Tsv => {
            grid::table(&delimited(text, if format == Format::Tsv { b'\t' } else { b',' })?, source)
        }
        // A plain list has no header: every line is a value (a column by number still works
        // on a list that turns out to hold several columns).
        Format::List if source.column.is_none() && source.measure.is_none() => Ok(CategoryTable {
            categories: Categories::new(text.lines().map(str::trim).filter(|l| !l.is_empty())),
            measures: None,
            hierarchy: None,
        }),
        Format::List | Format::Workbook => grid::table(&delimited(text, b',')?, source),
    }
}

/// The rows of a CSV or TSV, cells trimmed.
fn delimited(text: &str, delimiter: u8) -> Result<Vec<Vec<String>>, CategoriesError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        rows.push(record?.iter().map(|c| c.trim().to_owned()).collect());
    }
    Ok(rows)
}

/// An array of strings or numbers, or of objects with the value under `source.column` (default:
/// each object's first key) and the measure under `source.measure`.
fn json(text: &str, source: &Source<'_>) -> Result<CategoryTable, CategoriesError> {
    let bad = |why: &str| CategoriesError::Json(why.to_owned());
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| CategoriesError::Json(e.to_string()))?;
    let items = value.as_array().ok_or_else(|| bad("it is not an array"))?;
    let cell = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.trim().to_owned(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        _ => String::new(),
    };
    let first_key = items.iter().find_map(|i| i.as_object()?.keys().next().cloned());
    let key = source.column.map(str::to_owned).or(first_key);
    let mut rows = vec![vec!["value".to_owned(), "measure".to_owned()]];
    for item in items {
        let row = match item {
            serde_json::Value::Object(o) => {
                let key = key.as_deref().unwrap_or_default();
                let found = o.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| cell(v));
                let measure = source
                    .measure
                    .and_then(|m| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(m)))
                    .map(|(_, v)| cell(v));
                vec![found.unwrap_or_default(), measure.unwrap_or_default()]
            }
            other => vec![cell(other), String::new()],
        };
        rows.push(row);
    }
    if let Some(name) = source.column
        && !items
            .iter()
            .any(|i| i.as_object().is_some_and(|o| o.keys().any(|k| k.eq_ignore_ascii_case(name))))
    {
        return Err(CategoriesError::NoColumn(name.to_owned()));
    }
    let columns =
        Source { column: Some("value"), measure: source.measure.map(|_| "measure"), ..Source::default() };
    grid::table(&rows, &columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_objects_by_key_with_measures() {
        let text = r#"[{"Room": "R-1", "Sales": 12}, {"Room": "R-2", "Sales": null}, {"Other": 1}]"#;
        let t = json(text, &Source { column: Some("room"), measure: Some("sales"), ..Source::default() })
            .unwrap();
        assert_eq!(t.categories.values(), ["R-1", "R-2"]);
        assert_eq!(t.measures.unwrap(), vec![Some(12.0), None]);
        let first_key = json(text, &Source::default()).unwrap();
        assert_eq!(first_key.categories.values(), ["R-1", "R-2"]);
        assert!(matches!(
            json(text, &Source { column: Some("Zone"), ..Source::default() }),
            Err(CategoriesError::NoColumn(_))
        ));
        assert!(matches!(json("{\"a\": 1}", &Source::default()), Err(CategoriesError::Json(_))));
    }

    #[test]
    fn csv_and_tsv() {
        let csv = parse("Room,Sales\nRoom 101,12.5\n304,\n", Format::Csv, &Source::default()).unwrap();
        assert_eq!(csv.categories.len(), 2);
        assert_eq!(csv.measures.unwrap(), vec![Some(12.5), None]);
        let tsv = parse(
            "a\tRoom\tb\n1\tx\t2\n3\ty\t4\n",
            Format::Tsv,
            &Source { column: Some("room"), measure: Some("b"), ..Source::default() },
        )
        .unwrap();
        assert_eq!(tsv.categories.values(), ["x", "y"]);
        assert_eq!(tsv.measures.unwrap(), vec![Some(2.0), Some(4.0)]);
    }
}
