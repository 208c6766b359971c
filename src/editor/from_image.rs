//! New map from an image: a PNG, JPEG, WebP or BMP becomes the tracing image of a blank map
//! sized to it (BMP is converted to PNG, since maps embed only web image formats).

use std::path::Path;

use super::document::Document;
use super::error::EditorError;
pub use crate::trace::ImageError;
use crate::trace::Picture;

/// A blank map the size of the image at `path`, with the image as its tracing image.
pub fn new_from_image(path: &Path) -> Result<Document, EditorError> {
    let map = Picture::read(path).map_err(EditorError::Image)?.blank_map();
    let name = path.file_stem().map_or_else(|| "map".into(), |s| format!("{}.svg", s.to_string_lossy()));
    let mut doc = Document::from_map(map, name);
    doc.mark_unsaved();
    Ok(doc)
}

/// True when `path` names a picture by its extension (PNG, JPEG, WebP or BMP).
pub fn is_picture(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["png", "jpg", "jpeg", "webp", "bmp"].contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    /// A 3×2 24-bit BMP: red, green, blue / white, black, grey (bottom row first on disk).
    fn bmp() -> Vec<u8> {
        let stride = 12; // 3 px × 3 bytes = 9, padded to 12
        let mut b = vec![0u8; 54];
        b[0..2].copy_from_slice(b"BM");
        b[10..14].copy_from_slice(&54u32.to_le_bytes());
        b[14..18].copy_from_slice(&40u32.to_le_bytes());
        b[18..22].copy_from_slice(&3i32.to_le_bytes());
        b[22..26].copy_from_slice(&2i32.to_le_bytes());
        b[26..28].copy_from_slice(&1u16.to_le_bytes());
        b[28..30].copy_from_slice(&24u16.to_le_bytes());
        let bottom = [[255, 255, 255], [0, 0, 0], [128, 128, 128]];
        let top = [[0, 0, 255], [0, 255, 0], [255, 0, 0]]; // BGR: red, green, blue
        for row in [bottom, top] {
            let mut line: Vec<u8> = row.iter().flatten().copied().collect();
            line.resize(stride, 0);
            b.extend(line);
        }
        b
    }

    #[test]
    fn a_bmp_becomes_a_tracing_image_of_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.bmp");
        std::fs::write(&path, bmp()).unwrap();
        let doc = new_from_image(&path).unwrap();
        assert_eq!((doc.map().view_box.width, doc.map().view_box.height), (3.0, 2.0));
        let t = doc.map().tracing.as_ref().unwrap();
        assert!(t.data_url.starts_with("data:image/png;base64,"));
        assert!(doc.is_dirty());
        assert_eq!(doc.name, "plan.svg");
        let png = base64::engine::general_purpose::STANDARD.decode(&t.data_url[22..]).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        assert_eq!(&buf[..9], &[255, 0, 0, 0, 255, 0, 0, 0, 255], "top row: red, green, blue");
        std::fs::write(&path, b"not an image").unwrap();
        assert!(new_from_image(&path).is_err());
        assert!(is_picture(&path) && is_picture(Path::new("Plan.JPG")) && !is_picture(Path::new("plan.svg")));
    }
}
