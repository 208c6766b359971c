//! From a grid of cells (a CSV, TSV or sheet) to category values: the header row found even
//! below a title row, the column by header text or number, and the measure column.

use super::{CategoriesError, CategoryTable, Source};
use crate::binding::Categories;

/// How many leading rows are searched for the header.
const HEADER_SEARCH: usize = 20;

/// The values of a grid, `rows` of trimmed cells.
pub(super) fn table(rows: &[Vec<String>], source: &Source<'_>) -> Result<CategoryTable, CategoriesError> {
    let filled = |row: &Vec<String>| row.iter().filter(|c| !c.is_empty()).count();
    // A list without a header, by column number.
    if let Some(n) = source.column_index {
        let col = n.checked_sub(1).ok_or(CategoriesError::NoColumnIndex(n))?;
        if !rows.iter().any(|r| r.get(col).is_some_and(|c| !c.is_empty())) {
            return Err(CategoriesError::NoColumnIndex(n));
        }
        let measure = source.measure.map(|m| m.parse::<usize>().ok().and_then(|i| i.checked_sub(1)));
        return Ok(collect(rows, col, measure.flatten(), measure.is_some()));
    }
    let head = &rows[..rows.len().min(HEADER_SEARCH)];
    let find_in =
        |row: &Vec<String>, name: &str| row.iter().position(|c| c.eq_ignore_ascii_case(name.trim()));
    // The header: the row naming the column, else the first row as wide as the widest of the
    // first rows (a title above it is narrower).
    let header = match source.column {
        Some(name) => head
            .iter()
            .position(|r| find_in(r, name).is_some())
            .ok_or_else(|| CategoriesError::NoColumn(name.to_owned()))?,
        None => {
            let widest = head.iter().map(filled).max().unwrap_or(0);
            head.iter().position(|r| filled(r) == widest && widest > 0).unwrap_or(0)
        }
    };
    let Some(names) = rows.get(header) else { return Ok(CategoryTable::default()) };
    let col = match source.column {
        Some(name) => find_in(names, name).expect("the header row names the column"),
        None => names.iter().position(|c| !c.is_empty()).unwrap_or(0),
    };
    let measure = source
        .measure
        .map(|name| find_in(names, name).ok_or_else(|| CategoriesError::NoColumn(name.to_owned())))
        .transpose()?;
    let body = &rows[header + 1..];
    let parent = source
        .parent
        .map(|name| find_in(names, name).ok_or_else(|| CategoriesError::NoColumn(name.to_owned())))
        .transpose()?;
    // Without a named measure, a table of two columns whose second is numeric gives measures.
    let implied = measure.is_none() && source.column.is_none() && filled(names) == 2;
    let other = names.iter().enumerate().position(|(i, c)| i != col && !c.is_empty());
    let measure_col = measure.or(implied.then_some(other).flatten());
    let mut table = collect(body, col, measure_col, measure.is_some());
    table.hierarchy = parent.map(|p| {
        body.iter()
            .filter_map(|row| {
                let value = row.get(col).filter(|v| !v.is_empty())?;
                Some((row.get(p).cloned().unwrap_or_default(), value.clone()))
            })
            .collect()
    });
    Ok(table)
}

/// Values from column `col` of `rows`, with measures from `measure` when `always` or when every
/// filled measure cell is a number.
fn collect(rows: &[Vec<String>], col: usize, measure: Option<usize>, always: bool) -> CategoryTable {
    let mut values = Vec::new();
    let mut raw = Vec::new();
    for row in rows {
        let Some(v) = row.get(col).filter(|v| !v.is_empty()) else { continue };
        values.push(v.clone());
        raw.push(measure.and_then(|m| row.get(m)).cloned().unwrap_or_default());
    }
    let parsed: Vec<Option<f64>> = raw.iter().map(|m| m.parse().ok()).collect();
    let numeric = !raw.is_empty() && raw.iter().zip(&parsed).all(|(r, p)| r.is_empty() || p.is_some());
    let categories = Categories::new(values.iter().cloned());
    let measures = (measure.is_some() && (always || numeric)).then(|| {
        // Measures follow the de-duplicated values the way `Categories` keeps them.
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
    CategoryTable { categories, measures, hierarchy: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn the_header_is_found_below_a_title_row() {
        let rows =
            grid(&[&["Sales by room, 2026", ""], &["Room", "Sales"], &["R-101", "12.5"], &["R-102", ""]]);
        let t = table(&rows, &Source::default()).unwrap();
        assert_eq!(t.categories.values(), ["R-101", "R-102"]);
        assert_eq!(t.measures.unwrap(), vec![Some(12.5), None]);
        let named =
            table(&rows, &Source { column: Some("room"), measure: Some("SALES"), ..Source::default() })
                .unwrap();
        assert_eq!(named.categories.values(), ["R-101", "R-102"]);
        assert!(matches!(
            table(&rows, &Source { column: Some("Zone"), ..Source::default() }),
            Err(CategoriesError::NoColumn(_))
        ));
    }

    #[test]
    fn a_column_by_number_has_no_header() {
        let rows = grid(&[&["a", "R-1"], &["b", "R-2"]]);
        let t = table(&rows, &Source { column_index: Some(2), ..Source::default() }).unwrap();
        assert_eq!(t.categories.values(), ["R-1", "R-2"]);
        assert!(matches!(
            table(&rows, &Source { column_index: Some(3), ..Source::default() }),
            Err(CategoriesError::NoColumnIndex(3))
        ));
        assert!(matches!(
            table(&rows, &Source { column_index: Some(0), ..Source::default() }),
            Err(CategoriesError::NoColumnIndex(0))
        ));
    }

    #[test]
    fn a_parent_column_gives_the_hierarchy() {
        let rows = grid(&[&["Sector", "Room"], &["North", "R-1"], &["North", "R-2"], &["East", "R-9"]]);
        let t = table(&rows, &Source { column: Some("Room"), parent: Some("sector"), ..Source::default() })
            .unwrap();
        let pairs: Vec<(&str, &str)> =
            t.hierarchy.as_ref().unwrap().iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("North", "R-1"), ("North", "R-2"), ("East", "R-9")]);
    }

    #[test]
    fn a_second_column_of_text_is_no_measure() {
        let rows = grid(&[&["Room", "Owner"], &["R-1", "Ann"]]);
        assert!(table(&rows, &Source::default()).unwrap().measures.is_none());
    }
}
