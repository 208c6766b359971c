//! SVG, SVGZ and JSVG in and out: import, sanitising export, and the JSVG wrapper.

pub(crate) mod attrs;
mod css;
pub mod export;
pub mod import;
pub mod input;
pub mod jsvg;
mod optimise;
mod pathdata;
mod prologue;
mod reader;
pub mod sanitize;
mod shapes;
pub(crate) mod values;
pub(crate) mod write;

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

pub use export::{ExportOptions, Exported, export_svg};
pub use import::Imported;

use crate::convert::ImportOptions;

/// The SVG namespace.
pub const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// The XLink namespace (`xlink:href`).
pub const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
/// The XML namespace (`xml:space`).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// Inkscape's namespace.
pub const INKSCAPE_NS: &str = "http://www.inkscape.org/namespaces/inkscape";
/// synmap's own namespace for editor-only state in saved files (hidden, locked, tracing
/// image, guides); export never writes it.
pub const SYNMAP_NS: &str = "urn:synmap:editor:1";
/// Sodipodi's namespace (Inkscape's editor state).
pub const SODIPODI_NS: &str = "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd";

/// Why a document could not be imported. Each message is one line.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Reading the file failed.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// The input is larger than synmap accepts.
    #[error("the file is {size} bytes, more than the {limit}-byte limit")]
    TooLarge {
        /// Size of the input.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// SVGZ data is not valid gzip.
    #[error("the compressed (SVGZ) data is damaged: {0}")]
    Decompress(String),
    /// SVGZ data expands beyond the limit (a gzip bomb, or simply too large).
    #[error("the compressed (SVGZ) data expands to more than {limit} bytes")]
    DecompressedTooLarge {
        /// The limit.
        limit: u64,
    },
    /// The bytes are not text in a supported encoding.
    #[error("{0}")]
    Encoding(String),
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// The text is not well-formed XML.
    #[error("not well-formed XML: {0}")]
    NotXml(String),
    /// The document is not an SVG.
    #[error("not an SVG map: {0}")]
    NotSvg(String),
    /// Elements are nested deeper than the limit.
    #[error("elements are nested more than {limit} levels deep")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The document has more elements than the limit.
    #[error("the map has more than {limit} elements")]
    TooManyElements {
        /// The limit.
        limit: usize,
    },
    /// The viewBox is unusable.
    #[error("{0}")]
    BadViewBox(String),
    /// Internal entities would expand the document beyond the limit (an "entity bomb").
    #[error("entity references would expand the document by more than {limit} bytes")]
    EntityExpansion {
        /// The limit.
        limit: u64,
    },
    /// `<use>` references would copy more than the limit (a "use bomb").
    #[error("<use> references would copy more than {limit} bytes of the map")]
    UseExpansion {
        /// The limit.
        limit: u64,
    },
    /// The importer failed on this document (a panic, caught).
    #[error("{0}")]
    Internal(String),
    /// The file is an AutoCAD DWG drawing, which synmap does not read.
    #[error("this is a DWG drawing: save it as DXF in the CAD program (Save As, DXF) and open that")]
    Dwg,
    /// The file looks like DXF but cannot be read.
    #[error("not a readable DXF drawing: {0}")]
    Dxf(String),
    /// The JSVG wrapper is malformed.
    #[error("not a valid JSVG document: {0}")]
    Jsvg(String),
}

/// Imports SVG, SVGZ, JSVG, DXF, GeoJSON or TopoJSON bytes, detecting which from the content.
pub fn import_bytes(bytes: &[u8]) -> Result<Imported, ImportError> {
    import_cow(Cow::Borrowed(bytes), &ImportOptions::default())
}

/// [`import_bytes`] with options for the formats converted from CAD and GIS.
pub fn import_bytes_with(bytes: &[u8], options: &ImportOptions) -> Result<Imported, ImportError> {
    import_cow(Cow::Borrowed(bytes), options)
}

/// Imports bytes (GeoJSON releases them as soon as it has read them). A
/// failure of the importer on this document is an error, never a crash.
fn import_cow(bytes: Cow<'_, [u8]>, options: &ImportOptions) -> Result<Imported, ImportError> {
    crate::guard::caught("importing", || {
        let mut imported = import_unguarded(bytes, options)?;
        // GeoJSON is simplified as it is read; every other map here, shape by shape.
        let done = imported.findings.iter().any(|f| f.code == "geojson-simplified");
        if let Some(percent) = options.simplify.filter(|_| !done) {
            let (before, after) = crate::convert::simplify::simplify_map(&mut imported.map, percent);
            imported.findings.push(crate::findings::Finding::new(
                crate::findings::Severity::Info,
                "simplified",
                format!("simplified to {percent}% of the removable points: {before} points down to {after}"),
            ));
        }
        Ok(imported)
    })
    .map_err(ImportError::Internal)
    .flatten()
}

fn import_unguarded(bytes: Cow<'_, [u8]>, options: &ImportOptions) -> Result<Imported, ImportError> {
    if bytes.len() as u64 > input::MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge { size: bytes.len() as u64, limit: input::MAX_INPUT_BYTES });
    }
    match crate::convert::sniff(&bytes) {
        Some(crate::convert::Foreign::Dwg) => return Err(ImportError::Dwg),
        Some(crate::convert::Foreign::Dxf) => return crate::convert::dxf::import_dxf(&bytes, options),
        None => {}
    }
    let (text, kind) = input::decode(&bytes)?;
    match kind {
        // JSON is JSVG, or a GeoJSON map.
        input::DocKind::Jsvg => match crate::convert::geojson::read::layers(&text, options)? {
            Some(layers) => {
                // The text is not needed once read: the coordinates are held once.
                drop(text);
                drop(bytes);
                crate::convert::geojson::import_geojson(layers, options)
            }
            None => jsvg::import_jsvg(&text).map(|(imported, _)| imported),
        },
        input::DocKind::Svg => import::import_svg_keeping(&text, !options.without_path_text),
    }
}

/// Saves a map in the lossless format (editor state in the `synmap:` namespace), atomically:
/// on failure the previous file is intact.
/// The text is written as it is made, never held whole.
pub fn save_file(map: &crate::model::Map, path: &Path) -> std::io::Result<()> {
    crate::fsutil::write_atomic_with(path, |file| export::write_svg(map, &lossless_options(), file).map(drop))
}

/// The map in the lossless save format (editor state in the `synmap:` namespace).
pub fn lossless_svg(map: &crate::model::Map) -> String {
    export_svg(map, &lossless_options()).svg
}

/// The export options of the lossless save format.
fn lossless_options() -> ExportOptions {
    ExportOptions { lossless: true, precision: 6, ..ExportOptions::default() }
}

/// Reads and imports a map file, refusing oversized files before reading them.
pub fn import_file(path: &Path) -> Result<Imported, ImportError> {
    import_file_with(path, &ImportOptions::default())
}

/// [`import_file`] with options for the formats converted from CAD and GIS.
pub fn import_file_with(path: &Path, options: &ImportOptions) -> Result<Imported, ImportError> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > input::MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge { size, limit: input::MAX_INPUT_BYTES });
    }
    let (mapped, read) = read_mapped(&file, size)?;
    // A pipe (its size says nothing) or a file that grew while it was read has more: read to
    // its end within the same bound, after what was read.
    let mut rest = Vec::new();
    (&file).take(input::MAX_INPUT_BYTES + 1 - read as u64).read_to_end(&mut rest)?;
    if rest.is_empty() {
        return import_cow(Cow::Borrowed(&mapped[..read]), options);
    }
    let bytes = if read == 0 { rest } else { [&mapped[..read], &rest[..]].concat() };
    drop(mapped);
    import_cow(Cow::Owned(bytes), options)
}

/// Reads up to `size` bytes of `file` into memory mapped for them alone, and how many it read:
/// the system takes the pages back the moment the map has been read, where an allocator keeps
/// a large freed block a while (a 50,000-room plan's 11.6 MB were at times still held while it
/// was checked or exported).
fn read_mapped(mut file: &std::fs::File, size: u64) -> std::io::Result<(memmap2::MmapMut, usize)> {
    let mut mapped = memmap2::MmapMut::map_anon(size as usize)?;
    let mut read = 0;
    while read < mapped.len() {
        match file.read(&mut mapped[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok((mapped, read))
}
