//! Rasterising in horizontal bands on every core, and fast PNG encoding.

use tiny_skia::{Color, Pixmap, PixmapMut, Transform};

/// Bands per drawing thread: enough that the threads finish together, few enough that
/// operations crossing bands are seldom set up more than twice.
const BANDS_PER_THREAD: u32 = 4;

/// A white `width`×`height` pixmap drawn by `draw` in horizontal bands, one per core; `draw`
/// gets each band and the output row at its top. Each band is made white by the thread that
/// draws it (a tall picture's memory is first touched on every core).
pub fn bands(width: u32, height: u32, draw: impl Fn(&mut PixmapMut<'_>, u32) + Sync) -> Option<Pixmap> {
    let mut pixmap = Pixmap::new(width, height)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    in_bands(&mut pixmap, threads as u32, |band, top| {
        band.fill(Color::WHITE);
        draw(band, top);
    });
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
    let bands = pixmap.data_mut().chunks_mut(rows_per_band as usize * row_bytes);
    in_turn(bands, threads as usize, |i, band| {
        let band_height = (band.len() / row_bytes) as u32;
        let mut target = PixmapMut::from_bytes(band, width, band_height).expect("band size matches");
        draw(&mut target, i as u32 * rows_per_band);
    });
}

/// Hands `items` to `threads` threads (this one among them), each taking the next as it
/// becomes free; `work` gets each item with its position.
fn in_turn<T: Send>(items: impl Iterator<Item = T> + Send, threads: usize, work: impl Fn(usize, T) + Sync) {
    let queue = std::sync::Mutex::new(items.enumerate());
    let take = || {
        while let Some((i, item)) = queue.lock().ok().and_then(|mut q| q.next()) {
            work(i, item);
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads.max(1) {
            s.spawn(take);
        }
        take();
    });
}

/// `work` applied to each of `items` on `threads` threads (this one among them), each taking
/// the next as it becomes free; the results in the items' order (`None` only if a thread
/// left one undone).
pub fn map_in_turn<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Option<Vec<R>> {
    let done: Vec<std::sync::Mutex<Option<R>>> = items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    in_turn(items.iter(), threads, |i, item| {
        let result = work(item);
        if let Ok(mut slot) = done[i].lock() {
            *slot = Some(result);
        }
    });
    done.into_iter().map(|slot| slot.into_inner().ok().flatten()).collect()
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

/// Encodes an opaque pixmap as an 8-bit RGB PNG with fast compression, in pieces of rows on
/// every core: each piece is filtered and compressed as a deflate stream of its own that ends
/// on a byte boundary, and the pieces are joined into the one zlib stream PNG holds, their
/// checksums combined (as pigz joins gzip pieces). Encoding a tall picture took a tenth of
/// the whole `render` on one core.
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (pixmap.width() as usize, pixmap.height() as usize);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let pieces = (threads * BANDS_PER_THREAD as usize).clamp(1, height.max(1));
    let rows_per_piece = height.div_ceil(pieces).max(1);
    let rows: Vec<&[u8]> = pixmap.data().chunks(rows_per_piece * width * 4).collect();
    let pieces = map_in_turn(&rows, threads.min(rows.len()), |piece_rows| compress_piece(piece_rows, width))
        .ok_or_else(|| {
            png::EncodingError::from(std::io::Error::other("a piece of the picture was not encoded"))
        })?;
    // A zlib header (deflate, 32 KiB window, fastest), the pieces, an empty final block, and
    // the checksum of all of the filtered rows.
    let mut zlib = vec![0x78, 0x01];
    let mut adler = 1;
    for piece in pieces {
        let piece = piece?;
        zlib.extend_from_slice(&piece.deflated);
        adler = adler32_combine(adler, piece.adler, piece.len);
    }
    zlib.extend_from_slice(&[0x03, 0x00]);
    zlib.extend_from_slice(&adler.to_be_bytes());
    let mut out = Vec::with_capacity(zlib.len() + 1024);
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header()?;
    for part in zlib.chunks(1 << 20) {
        w.write_chunk(png::chunk::IDAT, part)?;
    }
    w.finish()?;
    Ok(out)
}

/// Rows of a PNG, filtered and compressed as a piece of a zlib stream.
struct Piece {
    /// Deflate blocks, the last one not final, ending on a byte boundary.
    deflated: Vec<u8>,
    /// The Adler-32 checksum of the filtered rows.
    adler: u32,
    /// The length of the filtered rows.
    len: usize,
}

/// Filters RGBA `rows` of `width` pixels as RGB (Sub on the first row, which has no row above
/// in the piece, Up on the rest: both make the flat colours of maps runs of zeros) and
/// compresses them at the fastest level.
fn compress_piece(rows: &[u8], width: usize) -> std::io::Result<Piece> {
    let line = width * 3;
    let mut filtered = Vec::with_capacity(rows.len() / 4 * 3 + rows.len() / (width * 4).max(1));
    let (mut above, mut here) = (vec![0u8; line], vec![0u8; line]);
    for (y, rgba) in rows.chunks_exact(width * 4).enumerate() {
        for (rgb, p) in here.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
            rgb.copy_from_slice(&p[..3]);
        }
        if y == 0 {
            filtered.push(1);
            filtered.extend(
                here.iter().enumerate().map(|(i, b)| b.wrapping_sub(if i >= 3 { here[i - 3] } else { 0 })),
            );
        } else {
            filtered.push(2);
            filtered.extend(here.iter().zip(&above).map(|(b, a)| b.wrapping_sub(*a)));
        }
        std::mem::swap(&mut above, &mut here);
    }
    let mut deflate = flate2::Compress::new(flate2::Compression::fast(), false);
    let mut deflated = Vec::with_capacity(filtered.len() / 8 + 64);
    loop {
        let from = deflate.total_in() as usize;
        deflate
            .compress_vec(&filtered[from..], &mut deflated, flate2::FlushCompress::Sync)
            .map_err(std::io::Error::other)?;
        // Done when all is in and the flush did not run out of room.
        if deflate.total_in() as usize == filtered.len() && deflated.len() < deflated.capacity() {
            break;
        }
        deflated.reserve(deflated.capacity().max(4096));
    }
    Ok(Piece { deflated, adler: adler2::adler32_slice(&filtered), len: filtered.len() })
}

/// The Adler-32 checksum of two pieces of data joined, from the checksum of each and the
/// length of the second (zlib's `adler32_combine`).
fn adler32_combine(first: u32, second: u32, second_len: usize) -> u32 {
    const BASE: u64 = 65521;
    let rem = second_len as u64 % BASE;
    let (a1, b1) = (u64::from(first & 0xffff), u64::from(first >> 16));
    let (a2, b2) = (u64::from(second & 0xffff), u64::from(second >> 16));
    let a = (a1 + a2 + BASE - 1) % BASE;
    let b = (rem * a1 % BASE + b1 + b2 + BASE - rem) % BASE;
    (a | (b << 16)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A picture with flat colours, edges and noise, of a height that does not divide evenly
    /// into the pieces.
    fn picture(width: u32, height: u32) -> Pixmap {
        let mut pixmap = Pixmap::new(width, height).unwrap();
        let mut seed = 7u32;
        for (i, p) in pixmap.data_mut().chunks_exact_mut(4).enumerate() {
            let (x, y) = (i as u32 % width, i as u32 / width);
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let noise = if (x / 9 + y / 7) % 5 == 0 { (seed >> 16) as u8 } else { 0 };
            p.copy_from_slice(&[(x * 3) as u8 ^ noise, (y * 5) as u8, if x > y { 200 } else { 30 }, 255]);
        }
        pixmap
    }

    #[test]
    fn the_png_decodes_to_the_same_pixels() {
        for (width, height) in [(1, 1), (3, 2), (257, 123), (64, 1)] {
            let pixmap = picture(width, height);
            let png = encode_png(&pixmap).unwrap();
            let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
            let mut rgb = vec![0; reader.output_buffer_size().unwrap()];
            let info = reader.next_frame(&mut rgb).unwrap();
            assert_eq!((info.width, info.height, info.color_type), (width, height, png::ColorType::Rgb));
            let expected: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
            assert_eq!(rgb[..info.buffer_size()], expected[..], "{width}×{height}");
        }
    }

    #[test]
    fn checksums_of_pieces_combine_into_the_whole_one() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 31 % 251) as u8).collect();
        for cut in [0, 1, 5_552, 65_521, 100_000, 200_000] {
            let (a, b) = data.split_at(cut);
            let combined = adler32_combine(adler2::adler32_slice(a), adler2::adler32_slice(b), b.len());
            assert_eq!(combined, adler2::adler32_slice(&data), "cut at {cut}");
        }
    }
}
