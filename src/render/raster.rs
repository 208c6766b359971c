//! Rasterising a usvg tree on all cores in horizontal bands, and fast PNG encoding.

use tiny_skia::{Color, Pixmap, PixmapMut, Transform};

/// Renders `tree` scaled by `scale` onto a white `width`×`height` pixmap, one band per thread.
pub fn render_bands(
    tree: &usvg::Tree,
    scale: f32,
    origin: (f32, f32),
    width: u32,
    height: u32,
) -> Option<Pixmap> {
    let mut pixmap = Pixmap::new(width, height)?;
    pixmap.fill(Color::WHITE);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let rows_per_band = height.div_ceil(threads as u32).max(1);
    let row_bytes = width as usize * 4;
    let data = pixmap.data_mut();
    std::thread::scope(|s| {
        for (i, band) in data.chunks_mut(rows_per_band as usize * row_bytes).enumerate() {
            let band_height = (band.len() / row_bytes) as u32;
            let top = i as u32 * rows_per_band;
            s.spawn(move || {
                let mut target = PixmapMut::from_bytes(band, width, band_height).expect("band size matches");
                let t = Transform::from_row(
                    scale,
                    0.0,
                    0.0,
                    scale,
                    -origin.0 * scale,
                    -origin.1 * scale - top as f32,
                );
                resvg::render(tree, t, &mut target);
            });
        }
    });
    Some(pixmap)
}

/// Encodes an opaque pixmap as an 8-bit RGB PNG with fast compression.
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::with_capacity(rgb.len() / 4);
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        enc.set_filter(png::Filter::Up);
        let mut w = enc.write_header()?;
        w.write_image_data(&rgb)?;
    }
    Ok(out)
}
