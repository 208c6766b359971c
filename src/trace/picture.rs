//! A plan's picture read from a file: a PNG, JPEG, WebP or BMP checked against the limits every
//! embedded image has, ready to be a map's tracing image (BMP converted to PNG, since maps embed
//! only web image formats) and to be traced.

use std::path::Path;

use base64::Engine;

use super::pixels::{Pixels, PixelsError};
use crate::model::{Map, TracingImage, ViewBox};
use crate::svg::sanitize::MAX_IMAGE_PIXELS;

/// Largest image file accepted.
const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a picture cannot be read.
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
    /// A BMP that cannot be read or turned into PNG.
    #[error("cannot convert the BMP: {0}")]
    Bmp(String),
    /// Its pixels cannot be decoded.
    #[error(transparent)]
    Pixels(#[from] PixelsError),
}

/// An encoded picture and its size.
#[derive(Clone, Debug)]
pub struct Picture {
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub mime: &'static str,
    /// The encoded picture.
    pub bytes: Vec<u8>,
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
}

impl Picture {
    /// Reads the picture at `path`.
    pub fn read(path: &Path) -> Result<Picture, ImageError> {
        let size = std::fs::metadata(path)?.len();
        if size > MAX_IMAGE_BYTES {
            return Err(ImageError::TooLarge(size));
        }
        Picture::from_bytes(std::fs::read(path)?)
    }

    /// The picture encoded in `bytes`.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Picture, ImageError> {
        let (mime, bytes) = match bytes.as_slice() {
            [0x89, b'P', b'N', b'G', ..] => ("image/png", bytes),
            [0xFF, 0xD8, 0xFF, ..] => ("image/jpeg", bytes),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => ("image/webp", bytes),
            [b'B', b'M', ..] => {
                image_size(&bytes)?;
                ("image/png", bmp_to_png(&bytes)?)
            }
            _ => return Err(ImageError::UnknownFormat),
        };
        let (width, height) = image_size(&bytes)?;
        Ok(Picture { mime, bytes, width, height })
    }

    /// The picture of a tracing image (its `data:` URL), if it is one synmap reads.
    pub fn from_data_url(url: &str) -> Option<Picture> {
        let (_, data) = url.split_once(";base64,")?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(data.trim()).ok()?;
        Picture::from_bytes(bytes).ok()
    }

    /// The size in pixels of the picture of a `data:` URL, from its header alone.
    pub fn size_of_data_url(url: &str) -> Option<(f64, f64)> {
        let (_, data) = url.split_once(";base64,")?;
        let head = data.get(..data.len().min(4096) / 4 * 4)?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(head).ok()?;
        let size = imagesize::blob_size(&bytes).ok()?;
        (size.width > 0 && size.height > 0).then_some((size.width as f64, size.height as f64))
    }

    /// The picture as a `data:` URL.
    pub fn data_url(&self) -> String {
        format!("data:{};base64,{}", self.mime, base64::engine::general_purpose::STANDARD.encode(&self.bytes))
    }

    /// A blank map the size of the picture (one unit a pixel), with it as the tracing image.
    pub fn blank_map(&self) -> Map {
        let mut map = Map::new(ViewBox { x: 0.0, y: 0.0, width: self.width, height: self.height });
        map.tracing = Some(TracingImage {
            data_url: self.data_url().into(),
            rect: kurbo::Rect::new(0.0, 0.0, self.width, self.height),
            opacity: 0.5,
        });
        map
    }

    /// The picture's pixels.
    pub fn pixels(&self) -> Result<Pixels, ImageError> {
        Ok(Pixels::decode(&self.bytes)?)
    }
}

/// The transform from the pixels of a tracing image `size` pixels large to map units.
pub fn pixels_to_map(tracing: &TracingImage, (width, height): (f64, f64)) -> kurbo::Affine {
    let r = tracing.rect;
    kurbo::Affine::translate(r.origin().to_vec2())
        * kurbo::Affine::scale_non_uniform(r.width() / width, r.height() / height)
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

/// A BMP as PNG.
fn bmp_to_png(bmp: &[u8]) -> Result<Vec<u8>, ImageError> {
    let image = image::load_from_memory_with_format(bmp, image::ImageFormat::Bmp)
        .map_err(|e| ImageError::Bmp(e.to_string()))?;
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| ImageError::Bmp(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
