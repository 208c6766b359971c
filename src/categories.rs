//! Reading category values (and optional numeric measures) from a CSV column or a plain list.

use std::path::Path;

use crate::binding::Categories;

/// Why a categories file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CategoriesError {
    /// Reading the file failed.
    #[error("cannot read the categories file: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV is malformed.
    #[error("the categories CSV is malformed: {0}")]
    Csv(#[from] csv::Error),
    /// The named column does not exist.
    #[error("the categories CSV has no column named \"{0}\"")]
    NoColumn(String),
    /// The file is too large to be a list of categories.
    #[error("the categories file is larger than {0} bytes")]
    TooLarge(u64),
}

/// Largest categories file read (64 MiB).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Category values with an optional numeric measure per value (for colour scales).
#[derive(Debug, Clone, Default)]
pub struct CategoryTable {
    /// The values, indexed for matching.
    pub categories: Categories,
    /// One measure per value (same order), when a measure column was read.
    pub measures: Option<Vec<Option<f64>>>,
}

/// Reads a categories file: a CSV with a header row uses `column` (or its first column); a
/// file without commas is one value per line. `measure` names a numeric column; without it,
/// a CSV whose second column is entirely numeric provides the measures.
pub fn read(
    path: &Path,
    column: Option<&str>,
    measure: Option<&str>,
) -> Result<CategoryTable, CategoriesError> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_BYTES {
        return Err(CategoriesError::TooLarge(MAX_BYTES));
    }
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8_lossy(&bytes);
    parse(text.trim_start_matches('\u{feff}'), column, measure)
}

/// Parses the text of a categories file; see [`read`].
pub fn parse(
    text: &str,
    column: Option<&str>,
    measure: Option<&str>,
) -> Result<CategoryTable, CategoriesError> {
    if !text.contains(',') && column.is_none() {
        let values = text.lines().map(str::trim).filter(|l| !l.is_empty());
        return Ok(CategoryTable { categories: Categories::new(values), measures: None });
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| CategoriesError::NoColumn(name.to_owned()))
    };
    let col = column.map(find).transpose()?.unwrap_or(0);
    let measure_col = measure.map(find).transpose()?;
    let mut values = Vec::new();
    let mut measures = Vec::new();
    for row in reader.records() {
        let row = row?;
        let Some(v) = row.get(col).map(str::trim).filter(|v| !v.is_empty()) else { continue };
        values.push(v.to_owned());
        measures.push(row.get(measure_col.unwrap_or(col + 1)).map(str::trim).map(str::to_owned));
    }
    let parsed: Vec<Option<f64>> =
        measures.iter().map(|m| m.as_deref().and_then(|m| m.parse().ok())).collect();
    let use_measures = match measure_col {
        Some(_) => true,
        None => {
            column.is_none()
                && headers.len() == 2
                && !measures.is_empty()
                && measures
                    .iter()
                    .zip(&parsed)
                    .all(|(raw, p)| raw.as_deref().is_none_or(str::is_empty) || p.is_some())
        }
    };
    // Measures follow the de-duplicated values the same way `Categories` keeps them.
    let categories = Categories::new(values.iter().cloned());
    let measures = use_measures.then(|| {
        let mut out = vec![None; categories.len()];
        for (v, m) in values.iter().zip(parsed) {
            if let Some(i) = categories.find(v)
                && out[i].is_none()
            {
                out[i] = m;
            }
        }
        out
    });
    Ok(CategoryTable { categories, measures })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_list() {
        let t = parse("Room 101\n\n304\n", None, None).unwrap();
        assert_eq!(t.categories.values(), ["Room 101", "304"]);
        assert!(t.measures.is_none());
    }

    #[test]
    fn csv_with_measure_detected() {
        let t = parse("Room,Sales\nRoom 101,12.5\n304,\n", None, None).unwrap();
        assert_eq!(t.categories.len(), 2);
        assert_eq!(t.measures.unwrap(), vec![Some(12.5), None]);
    }

    #[test]
    fn named_columns() {
        let t = parse("a,Room,b\n1,x,2\n3,y,4\n", Some("room"), Some("b")).unwrap();
        assert_eq!(t.categories.values(), ["x", "y"]);
        assert_eq!(t.measures.unwrap(), vec![Some(2.0), Some(4.0)]);
        assert!(matches!(parse("a\n1\n", Some("zz"), None), Err(CategoriesError::NoColumn(_))));
    }
}
