//! Rasterising in horizontal bands on every core, and fast PNG encoding.

use tiny_skia::{Color, Pixmap, PixmapMut, Transform};

/// Bands per drawing thread: enough that the threads finish together, few enough that
/// operations crossing bands are seldom set up more than twice.
const BANDS_PER_THREAD: u32 = 4;

/// A white `width`×`height` pixmap drawn by `draw` in horizontal bands, one per core; `draw`
/// gets each band and the output row at its top.
pub fn bands(width: u32, height: u32, draw: impl Fn(&mut PixmapMut<'_>, u32) + Sync) -> Option<Pixmap> {
    let mut pixmap = Pixmap::new(width, height)?;
    pixmap.fill(Color::WHITE);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    in_bands(&mut pixmap, threads as u32, draw);
    Some(pixmap)
}

/// Draws `pixmap` in horizontal bands on `threads` threads at once (on this thread alone when
/// 1); `draw` gets each band and the row at its top. There are four bands per thread, taken in
/// turn as threads become free, so a thread whose bands are dense does not hold up the rest.
pub fn in_bands(pixmap: &mut Pixmap, threads: u32, draw: impl Fn(&mut PixmapMut<'_>, u32) + Sync) {
    let (width, height) = (pixmap.width(), pixmap.height());
    let threads = threads.max(1);
    let bands = if threads == 1 { 1 } else { threads * BANDS_PER_THREAD };
    let rows_per_band = height.div_ceil(bands).max(1);
    let row_bytes = width as usize * 4;
    let queue =
        std::sync::Mutex::new(pixmap.data_mut().chunks_mut(rows_per_band as usize * row_bytes).enumerate());
    let work = || {
        loop {
            let Some((i, band)) = queue.lock().ok().and_then(|mut q| q.next()) else { return };
            let band_height = (band.len() / row_bytes) as u32;
            let mut target = PixmapMut::from_bytes(band, width, band_height).expect("band size matches");
            draw(&mut target, i as u32 * rows_per_band);
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
}

/// Renders `tree` scaled by `scale` from `origin` onto a white pixmap, in bands.
pub fn render_tree(
    tree: &usvg::Tree,
    scale: f32,
    origin: (f32, f32),
    width: u32,
    height: u32,
) -> Option<Pixmap> {
    bands(width, height, |band, top| {
        let t =
            Transform::from_row(scale, 0.0, 0.0, scale, -origin.0 * scale, -origin.1 * scale - top as f32);
        resvg::render(tree, t, band);
    })
}

/// Encodes an opaque pixmap as an 8-bit RGB PNG with fast compression, a row at a time (no
/// second copy of the picture is held).
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    use std::io::Write;
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header()?;
        let mut stream = w.stream_writer_with_size(1 << 20)?;
        let mut row = Vec::with_capacity(pixmap.width() as usize * 3);
        for line in pixmap.data().chunks_exact(pixmap.width() as usize * 4) {
            row.clear();
            row.extend(line.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]));
            stream.write_all(&row)?;
        }
        stream.finish()?;
    }
    Ok(out)
}
