//! Category values from a workbook (XLSX, XLSM, XLSB, XLS or ODS, read with calamine): the
//! named sheet or the first with data, its cells as text (numbers stored as numbers written
//! without a trailing `.0`).

use std::io::Cursor;

use calamine::{Data, Reader};

use super::{CategoriesError, CategoryTable, Source, grid};

/// Reads the workbook in `bytes`. A panic in the reader (a malformed file) is an error.
pub(super) fn read(bytes: Vec<u8>, source: &Source<'_>) -> Result<CategoryTable, CategoriesError> {
    let rows = crate::guard::caught("reading the workbook", || rows(bytes, source.sheet))
        .map_err(CategoriesError::Workbook)??;
    grid::table(&rows, source)
}

fn rows(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<Vec<String>>, CategoriesError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| CategoriesError::Workbook(e.to_string()))?;
    let names = book.sheet_names();
    let chosen: Vec<String> = match sheet {
        Some(wanted) => {
            let found = names.iter().find(|n| n.eq_ignore_ascii_case(wanted.trim())).cloned();
            vec![found.ok_or_else(|| CategoriesError::NoSheet(wanted.to_owned(), names.join(", ")))?]
        }
        None => names,
    };
    for name in chosen {
        let range = book.worksheet_range(&name).map_err(|e| CategoriesError::Workbook(e.to_string()))?;
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
        if rows.iter().flatten().any(|c| !c.is_empty()) {
            return Ok(rows);
        }
    }
    Err(CategoriesError::Empty)
}

/// A cell as the value the report would show.
fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}
