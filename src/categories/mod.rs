//! Category values (the report's data a map binds to), with an optional numeric measure per
//! value, read from CSV, TSV, plain lists, JSON and spreadsheets (XLSX, XLS, ODS). The format
//! comes from the file's extension, else from its content. The values are report data: they
//! are read for matching and never written anywhere.

mod grid;
mod sheet;
mod text;

use std::path::Path;

use crate::binding::Categories;

/// Why a categories file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CategoriesError {
    /// Reading the file failed.
    #[error("cannot read the categories file: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV or TSV is malformed.
    #[error("the categories file is malformed: {0}")]
    Csv(#[from] csv::Error),
    /// The JSON is malformed or not a list.
    #[error("the categories JSON is not usable: {0}")]
    Json(String),
    /// The spreadsheet cannot be read.
    #[error("the categories workbook cannot be read: {0}")]
    Workbook(String),
    /// The named sheet does not exist.
    #[error("the workbook has no sheet named \"{0}\" (it has: {1})")]
    NoSheet(String, String),
    /// No sheet holds any data.
    #[error("the workbook has no sheet with data")]
    Empty,
    /// The named column does not exist.
    #[error("the categories file has no column named \"{0}\"")]
    NoColumn(String),
    /// The numbered column does not exist.
    #[error("the categories file has no column {0} (columns are numbered from 1)")]
    NoColumnIndex(usize),
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
    /// `(parent, value)` for each row, when a parent column was read (a data hierarchy such as
    /// Sector > Room: groups match the parent level, areas inside them the values).
    pub hierarchy: Option<Vec<(String, String)>>,
}

/// Where in a file the values are.
#[derive(Debug, Clone, Copy, Default)]
pub struct Source<'a> {
    /// The sheet of a workbook (default: the first with data).
    pub sheet: Option<&'a str>,
    /// The column by its header's text (the header row may sit below a title row); for JSON
    /// objects, the key.
    pub column: Option<&'a str>,
    /// The column by its number from 1, for lists without a header.
    pub column_index: Option<usize>,
    /// A numeric column to colour by; without it, a table of two columns whose second is
    /// numeric gives the measures.
    pub measure: Option<&'a str>,
    /// The column of the level above the values, by its header (a data hierarchy).
    pub parent: Option<&'a str>,
}

/// The formats a categories file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Tsv,
    List,
    Json,
    Workbook,
}

/// Reads a categories file in any of the formats, the format chosen by extension, then by
/// content.
pub fn read(path: &Path, source: &Source<'_>) -> Result<CategoryTable, CategoriesError> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_BYTES {
        return Err(CategoriesError::TooLarge(MAX_BYTES));
    }
    let bytes = std::fs::read(path)?;
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let format = match extension.as_deref() {
        Some("csv") => Format::Csv,
        Some("tsv" | "tab") => Format::Tsv,
        Some("json") => Format::Json,
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods") => Format::Workbook,
        _ => sniff(&bytes),
    };
    if format == Format::Workbook {
        return sheet::read(bytes, source);
    }
    let text = String::from_utf8_lossy(&bytes);
    text::parse(text.trim_start_matches('\u{feff}'), format, source)
}

/// Parses pasted or typed text: JSON when it looks like JSON, else a table separated by tabs
/// (as spreadsheets copy) or commas, else one value per line.
pub fn parse(text: &str, source: &Source<'_>) -> Result<CategoryTable, CategoriesError> {
    let text = text.trim_start_matches('\u{feff}');
    text::parse(text, sniff(text.as_bytes()), source)
}

/// The format of a file without a telling extension, from its first bytes.
fn sniff(bytes: &[u8]) -> Format {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(ZIP) || bytes.starts_with(OLE) {
        return Format::Workbook;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('[') || head.starts_with('{') {
        Format::Json
    } else if head.lines().next().is_some_and(|l| l.contains('\t')) {
        Format::Tsv
    } else if head.contains(',') {
        Format::Csv
    } else {
        Format::List
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(t: &CategoryTable) -> Vec<&str> {
        t.categories.values().iter().map(String::as_str).collect()
    }

    #[test]
    fn formats_are_told_from_content() {
        assert_eq!(sniff(b"Room 101\n304\n"), Format::List);
        assert_eq!(sniff(b"Room,Sales\n101,2\n"), Format::Csv);
        assert_eq!(sniff(b"Room\tSales\n101\t2\n"), Format::Tsv);
        assert_eq!(sniff(b"  [\"a\"]"), Format::Json);
        assert_eq!(sniff(b"PK\x03\x04rest"), Format::Workbook);
    }

    #[test]
    fn pasted_text_of_every_kind() {
        assert_eq!(values(&parse("Room 101\n\n304\n", &Source::default()).unwrap()), ["Room 101", "304"]);
        assert_eq!(values(&parse("Room\tSales\nA\t1\nB\t2\n", &Source::default()).unwrap()), ["A", "B"]);
        assert_eq!(values(&parse(r#"["x", 7, "y"]"#, &Source::default()).unwrap()), ["x", "7", "y"]);
    }
}
