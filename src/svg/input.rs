//! Turning untrusted bytes into text: size limits, SVGZ decompression and character encodings.

use std::borrow::Cow;
use std::io::Read;

use super::ImportError;

/// Largest input accepted, compressed or not (64 MiB): well above the 20 MiB My Storage limit.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// What kind of document the bytes hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// An SVG document.
    Svg,
    /// A JSVG (JSON) document.
    Jsvg,
}

/// Decompresses SVGZ when needed and decodes the text; refuses oversized input.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, DocKind), ImportError> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge { size: bytes.len() as u64, limit: MAX_INPUT_BYTES });
    }
    let text = if bytes.starts_with(&[0x1f, 0x8b]) {
        Cow::Owned(to_utf8(&gunzip(bytes)?)?.into_owned())
    } else {
        to_utf8(bytes)?
    };
    let kind = match text.trim_start_matches('\u{feff}').trim_start().as_bytes().first() {
        Some(b'{') => DocKind::Jsvg,
        Some(b'<') => DocKind::Svg,
        None => return Err(ImportError::Empty),
        Some(_) => return Err(ImportError::NotSvg("the file does not start with '<' or '{'".into())),
    };
    Ok((text, kind))
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    let mut out = Vec::new();
    let mut dec = flate2::read::MultiGzDecoder::new(bytes).take(MAX_INPUT_BYTES + 1);
    dec.read_to_end(&mut out).map_err(|e| ImportError::Decompress(e.to_string()))?;
    if out.len() as u64 > MAX_INPUT_BYTES {
        return Err(ImportError::DecompressedTooLarge { limit: MAX_INPUT_BYTES });
    }
    Ok(out)
}

/// Decodes UTF-8 (with or without BOM), UTF-16 with a BOM, and ISO-8859-1 / Windows-1252
/// declared in the XML declaration.
fn to_utf8(bytes: &[u8]) -> Result<Cow<'_, str>, ImportError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes).map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes).map(Cow::Owned);
    }
    match declared_encoding(bytes).as_deref() {
        None | Some("utf-8" | "utf8" | "us-ascii" | "ascii") => utf8(bytes),
        Some("iso-8859-1" | "latin1" | "latin-1" | "windows-1252" | "cp1252") => {
            Ok(Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()))
        }
        Some(other) => Err(ImportError::Encoding(format!("unsupported character encoding '{other}'"))),
    }
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>, ImportError> {
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
        ImportError::Encoding(format!("the file is not valid UTF-8 (bad byte at offset {})", e.valid_up_to()))
    })
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> Result<String, ImportError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(ImportError::Encoding("the UTF-16 file has an odd number of bytes".into()));
    }
    let units = bytes.chunks_exact(2).map(|c| read([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| ImportError::Encoding("the file is not valid UTF-16".into()))
}

/// The `encoding` of the XML declaration, lower-cased.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_ascii_lowercase())
}

/// Windows-1252 to Unicode (a superset of ISO-8859-1 for printable characters).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
        '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_declared() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><svg>\xe9</svg>";
        let (text, kind) = decode(bytes).unwrap();
        assert!(text.contains('é'));
        assert_eq!(kind, DocKind::Svg);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<svg/>".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().0, "<svg/>");
    }

    #[test]
    fn refuses_unknown_encoding() {
        let err = decode(b"<?xml version='1.0' encoding='EBCDIC'?><svg/>").unwrap_err();
        assert!(err.to_string().contains("ebcdic"), "{err}");
    }
}
