//! New map from an image: a PNG, JPEG, WebP or BMP becomes the tracing image of a blank map
//! sized to it (BMP is converted to PNG, since maps embed only web image formats).

use std::path::Path;

use base64::Engine;

use super::document::Document;
use super::error::EditorError;
use crate::model::{Map, TracingImage, ViewBox};
use crate::svg::sanitize::MAX_IMAGE_PIXELS;

/// Largest image accepted.
const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

/// A blank map the size of the image at `path`, with the image as its tracing image.
pub fn new_from_image(path: &Path) -> Result<Document, EditorError> {
    read_image(path).map_err(EditorError::Image)
}

/// Why an image cannot be the tracing image of a new map.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// It could not be read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// It is over the 64 MiB accepted.
    #[error("the image is {0} bytes; at most {MAX_IMAGE_BYTES} are accepted")]
    TooLarge(u64),
    /// Not a format synmap reads.
    #[error("not a PNG, JPEG, WebP or BMP image")]
    UnknownFormat,
    /// Its header does not give a size.
    #[error("the image's size cannot be read")]
    NoSize,
    /// It is zero pixels wide or high.
    #[error("the image has no pixels")]
    NoPixels,
    /// Over the pixel limit.
    #[error("the image is {0}×{1} pixels; at most {max} megapixels are accepted", max = MAX_IMAGE_PIXELS / (1024 * 1024))]
    TooManyPixels(usize, usize),
    /// A BMP of a kind that is not read.
    #[error("an unsupported BMP (only uncompressed 24- and 32-bit images are read)")]
    UnsupportedBmp,
    /// A BMP shorter than its header says.
    #[error("a truncated BMP")]
    TruncatedBmp,
    /// The BMP could not be turned into PNG.
    #[error("cannot convert the BMP: {0}")]
    Png(#[from] png::EncodingError),
}

fn read_image(path: &Path) -> Result<Document, ImageError> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge(size));
    }
    let bytes = std::fs::read(path)?;
    let (mime, bytes) = match bytes.as_slice() {
        [0x89, b'P', b'N', b'G', ..] => ("image/png", bytes),
        [0xFF, 0xD8, 0xFF, ..] => ("image/jpeg", bytes),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => ("image/webp", bytes),
        [b'B', b'M', ..] => ("image/png", bmp_to_png(&bytes)?),
        _ => return Err(ImageError::UnknownFormat),
    };
    let (width, height) = image_size(&bytes)?;
    let data_url = format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(&bytes));
    let mut map = Map::new(ViewBox { x: 0.0, y: 0.0, width, height });
    map.tracing =
        Some(TracingImage { data_url, rect: kurbo::Rect::new(0.0, 0.0, width, height), opacity: 0.5 });
    let name = path.file_stem().map_or_else(|| "map".into(), |s| format!("{}.svg", s.to_string_lossy()));
    let mut doc = Document::from_map(map, name);
    doc.mark_unsaved();
    Ok(doc)
}

/// The pixel size from the image's header, refused past the pixel limit every embedded image
/// has (an image bomb claims billions of pixels in a few bytes).
fn image_size(b: &[u8]) -> Result<(f64, f64), ImageError> {
    let size = imagesize::blob_size(b).map_err(|_| ImageError::NoSize)?;
    let pixels = (size.width as u64).saturating_mul(size.height as u64);
    if size.width == 0 || size.height == 0 {
        return Err(ImageError::NoPixels);
    }
    if pixels > MAX_IMAGE_PIXELS {
        return Err(ImageError::TooManyPixels(size.width, size.height));
    }
    Ok((size.width as f64, size.height as f64))
}

/// Converts an uncompressed 24- or 32-bit BMP to PNG.
fn bmp_to_png(bmp: &[u8]) -> Result<Vec<u8>, ImageError> {
    let u32_at = |o: usize| bmp.get(o..o + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let u16_at = |o: usize| bmp.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let bad = || ImageError::UnsupportedBmp;
    let offset = u32_at(10).ok_or_else(bad)? as usize;
    let width = u32_at(18).ok_or_else(bad)? as i32;
    let height = u32_at(22).ok_or_else(bad)? as i32;
    let bpp = u16_at(28).ok_or_else(bad)?;
    let compression = u32_at(30).ok_or_else(bad)?;
    if width <= 0 || height == 0 || width > 20_000 || height.abs() > 20_000 || !matches!(bpp, 24 | 32) {
        return Err(bad());
    }
    if !(compression == 0 || compression == 3 && bpp == 32) {
        return Err(bad());
    }
    let (w, h) = (width as usize, height.unsigned_abs() as usize);
    let bytes_pp = usize::from(bpp / 8);
    let stride = (w * bytes_pp).div_ceil(4) * 4;
    if bmp.len() < offset + stride * h {
        return Err(ImageError::TruncatedBmp);
    }
    let mut rgb = Vec::with_capacity(w * h * 3);
    for row in 0..h {
        // Bottom-up unless the height is negative.
        let src_row = if height > 0 { h - 1 - row } else { row };
        let line = &bmp[offset + src_row * stride..];
        for x in 0..w {
            let p = &line[x * bytes_pp..];
            rgb.extend_from_slice(&[p[2], p[1], p[0]]);
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w as u32, h as u32);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn sizes_come_from_png_jpeg_and_webp_headers() {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0];
        jpeg.extend([0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80]);
        assert_eq!(image_size(&jpeg).unwrap(), (640.0, 480.0));
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0".to_vec();
        webp.extend([0x7F, 0x02, 0x00, 0xDF, 0x01, 0x00]);
        assert_eq!(image_size(&webp).unwrap(), (640.0, 480.0));
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(640u32.to_be_bytes());
        png.extend(480u32.to_be_bytes());
        assert_eq!(image_size(&png).unwrap(), (640.0, 480.0));
        assert!(image_size(b"GIF89a").is_err());
        let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        bomb.extend(100_000u32.to_be_bytes());
        bomb.extend(100_000u32.to_be_bytes());
        assert!(image_size(&bomb).unwrap_err().to_string().contains("megapixels"));
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
    }
}
