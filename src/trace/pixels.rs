//! A plan's picture as pixels: PNG, JPEG, WebP or BMP decoded (by the `image` crate) into
//! colours over white, within the pixel limit every embedded image has.

use crate::svg::sanitize::MAX_IMAGE_PIXELS;

/// A picture's pixels, row by row, transparent parts over white.
#[derive(Clone, Debug)]
pub struct Pixels {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Red, green and blue of each pixel.
    pub rgb: Vec<[u8; 3]>,
}

/// Why a picture cannot be traced.
#[derive(Debug, thiserror::Error)]
pub enum PixelsError {
    /// Not an image synmap reads, or a damaged one.
    #[error("cannot read the image: {0}")]
    Decode(String),
    /// Over the pixel limit.
    #[error("the image is {0}×{1} pixels; at most {max} megapixels are traced", max = MAX_IMAGE_PIXELS / (1024 * 1024))]
    TooManyPixels(u32, u32),
}

impl Pixels {
    /// The pixels of an encoded PNG, JPEG, WebP or BMP picture.
    pub fn decode(bytes: &[u8]) -> Result<Pixels, PixelsError> {
        let format = image::guess_format(bytes).map_err(|e| PixelsError::Decode(e.to_string()))?;
        if !matches!(
            format,
            image::ImageFormat::Png
                | image::ImageFormat::Jpeg
                | image::ImageFormat::WebP
                | image::ImageFormat::Bmp
        ) {
            return Err(PixelsError::Decode("not a PNG, JPEG, WebP or BMP image".into()));
        }
        let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
        let (width, height) = reader.into_dimensions().map_err(|e| PixelsError::Decode(e.to_string()))?;
        if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
            return Err(PixelsError::TooManyPixels(width, height));
        }
        reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(MAX_IMAGE_PIXELS * 8 + (64 << 20));
        reader.limits(limits);
        let image = reader.decode().map_err(|e| PixelsError::Decode(e.to_string()))?.into_rgba8();
        let rgb = image
            .pixels()
            .map(|p| {
                let [r, g, b, a] = p.0;
                let over_white =
                    |c: u8| ((u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a))) / 255) as u8;
                [over_white(r), over_white(g), over_white(b)]
            })
            .collect();
        Ok(Pixels { width: width as usize, height: height as usize, rgb })
    }

    /// The picture with each pixel the mean of the 3×3 pixels around it, which quiets the
    /// noise of scans and JPEG compression before colours are compared.
    pub fn smoothed(&self) -> Pixels {
        let (w, h) = (self.width, self.height);
        // Sums of three along the rows, then of three of those down the columns.
        let mut across = vec![[0u16; 3]; w * h];
        super::mask::rows_in_parallel(&mut across, w, |y0, rows| {
            for (k, row) in rows.chunks_mut(w).enumerate() {
                let src = &self.rgb[(y0 + k) * w..(y0 + k + 1) * w];
                for (x, sum) in row.iter_mut().enumerate() {
                    for c in &src[x.saturating_sub(1)..(x + 2).min(w)] {
                        for i in 0..3 {
                            sum[i] += u16::from(c[i]);
                        }
                    }
                }
            }
        });
        let mut out = vec![[0u8; 3]; w * h];
        super::mask::rows_in_parallel(&mut out, w, |y0, rows| {
            for (k, row) in rows.chunks_mut(w).enumerate() {
                let y = y0 + k;
                let (top, bottom) = (y.saturating_sub(1), (y + 2).min(h));
                let rows_in = (bottom - top) as u32;
                for (x, px) in row.iter_mut().enumerate() {
                    let cols_in = ((x + 2).min(w) - x.saturating_sub(1)) as u32;
                    let n = rows_in * cols_in;
                    let mut sum = [0u32; 3];
                    for yy in top..bottom {
                        let s = across[yy * w + x];
                        for i in 0..3 {
                            sum[i] += u32::from(s[i]);
                        }
                    }
                    *px = sum.map(|s| ((s + n / 2) / n) as u8);
                }
            }
        });
        Pixels { width: w, height: h, rgb: out }
    }
}

/// How far apart two colours are: the largest difference of one channel.
#[inline]
pub fn distance(a: [u8; 3], b: [u8; 3]) -> u8 {
    a[0].abs_diff(b[0]).max(a[1].abs_diff(b[1])).max(a[2].abs_diff(b[2]))
}
