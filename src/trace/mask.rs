//! Binary masks of a picture's pixels and the morphology tracing needs: dilation and erosion by
//! a square (each pass linear in the pixels, whatever the square's size), opening and closing.

/// One bit per pixel, row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct Mask {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `true` where the pixel is in the mask.
    pub bits: Vec<bool>,
}

impl Mask {
    /// How many pixels are in the mask.
    pub fn count(&self) -> usize {
        self.bits.iter().filter(|&&b| b).count()
    }

    /// The mask grown by `r` pixels in every direction (a square of side `2r + 1`).
    pub fn dilated(&self, r: usize) -> Mask {
        self.morphed(r, true)
    }

    /// The mask shrunk by `r` pixels (outside the picture counts as in the mask, so nothing
    /// shrinks from the border).
    pub fn eroded(&self, r: usize) -> Mask {
        self.morphed(r, false)
    }

    /// Each pixel set when any (`any`) or every (not `any`) pixel of the square of radius `r`
    /// around it inside the picture is set: along the rows, then down the columns.
    fn morphed(&self, r: usize, any: bool) -> Mask {
        if r == 0 {
            return self.clone();
        }
        let (w, h) = (self.width, self.height);
        let mut across = vec![false; w * h];
        rows_in_parallel(&mut across, w, |y0, out| {
            for (k, row) in out.chunks_mut(w).enumerate() {
                let y = y0 + k;
                slide(&self.bits[y * w..(y + 1) * w], row, r, any);
            }
        });
        let mut bits = vec![false; w * h];
        rows_in_parallel(&mut bits, w, |y0, out| down(&across, out, w, h, y0, r, any));
        Mask { width: w, height: h, bits }
    }

    /// Gaps narrower than about `2r` pixels between parts of the mask filled.
    pub fn closed(&self, r: usize) -> Mask {
        self.dilated(r).eroded(r)
    }

    /// Parts of the mask narrower than `2r + 1` pixels removed.
    pub fn opened(&self, r: usize) -> Mask {
        let mut opened = self.eroded(r);
        // Erosion keeps what touches the border; opening must not.
        for y in 0..self.height {
            for x in 0..self.width {
                let near_border = x < r || y < r || x + r >= self.width || y + r >= self.height;
                if near_border && !self.square_is_full(x, y, r) {
                    opened.bits[y * self.width + x] = false;
                }
            }
        }
        opened.dilated(r)
    }

    /// Takes out of the mask the part 4-connected to pixel `first`; how many pixels it had.
    pub fn take_part(&mut self, first: usize) -> usize {
        let w = self.width;
        let mut stack = vec![first];
        let mut taken = 0;
        self.bits[first] = false;
        while let Some(i) = stack.pop() {
            taken += 1;
            let (x, y) = (i % w, i / w);
            let neighbours = [
                (x > 0).then(|| i - 1),
                (x + 1 < w).then(|| i + 1),
                (y > 0).then(|| i - w),
                (y + 1 < self.height).then(|| i + w),
            ];
            for n in neighbours.into_iter().flatten() {
                if self.bits[n] {
                    self.bits[n] = false;
                    stack.push(n);
                }
            }
        }
        taken
    }

    /// True when every pixel of the square of radius `r` around (`x`, `y`) inside the picture
    /// is in the mask and the square lies wholly inside.
    fn square_is_full(&self, x: usize, y: usize, r: usize) -> bool {
        if x < r || y < r || x + r >= self.width || y + r >= self.height {
            return false;
        }
        (y - r..=y + r).all(|yy| (x - r..=x + r).all(|xx| self.bits[yy * self.width + xx]))
    }
}

/// One row: each pixel set when any (or every) pixel within `r` of it along the row is set.
fn slide(row: &[bool], out: &mut [bool], r: usize, any: bool) {
    let w = row.len();
    let mut count = row[..(r + 1).min(w)].iter().filter(|&&b| b).count();
    for x in 0..w {
        let len = (x + r).min(w - 1) + 1 - x.saturating_sub(r);
        out[x] = if any { count > 0 } else { count == len };
        if x + r + 1 < w {
            count += usize::from(row[x + r + 1]);
        }
        if x >= r {
            count -= usize::from(row[x - r]);
        }
    }
}

/// The rows of `out` from `y0` on: each pixel set when any (or every) pixel of `bits` (rows of
/// `w`, `h` of them) within `r` of it down its column is set, with a running count per column.
fn down(bits: &[bool], out: &mut [bool], w: usize, h: usize, y0: usize, r: usize, any: bool) {
    let row = |y: usize| &bits[y * w..(y + 1) * w];
    let mut counts = vec![0u32; w];
    for y in y0.saturating_sub(r)..(y0 + r + 1).min(h) {
        for (c, &b) in counts.iter_mut().zip(row(y)) {
            *c += u32::from(b);
        }
    }
    for (k, out_row) in out.chunks_mut(w).enumerate() {
        let y = y0 + k;
        let len = ((y + r).min(h - 1) + 1 - y.saturating_sub(r)) as u32;
        for (o, &c) in out_row.iter_mut().zip(&counts) {
            *o = if any { c > 0 } else { c == len };
        }
        if y + r + 1 < h {
            for (c, &b) in counts.iter_mut().zip(row(y + r + 1)) {
                *c += u32::from(b);
            }
        }
        if y >= r {
            for (c, &b) in counts.iter_mut().zip(row(y - r)) {
                *c -= u32::from(b);
            }
        }
    }
}

/// How many threads picture-wide passes use: the cores, at most 8.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// Runs `f(first_row, rows)` on bands of whole rows of `out` (rows of `width`), one per core
/// (all at once for a small picture, where starting threads costs more than it saves).
pub fn rows_in_parallel<T: Send>(out: &mut [T], width: usize, f: impl Fn(usize, &mut [T]) + Sync) {
    let rows = out.len() / width.max(1);
    let band = rows.div_ceil(threads()).max(1);
    if band >= rows || width == 0 || out.len() < 1 << 18 {
        f(0, out);
        return;
    }
    std::thread::scope(|scope| {
        for (i, chunk) in out.chunks_mut(band * width).enumerate() {
            let f = &f;
            scope.spawn(move || f(i * band, chunk));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(rows: &[&str]) -> Mask {
        let (width, height) = (rows[0].len(), rows.len());
        Mask { width, height, bits: rows.iter().flat_map(|r| r.bytes().map(|b| b == b'#')).collect() }
    }

    #[test]
    fn closing_bridges_a_gap_and_opening_drops_a_thin_line() {
        let walls = mask(&["#####...#####", "#####...#####", "#####...#####"]);
        assert_eq!(walls.closed(1), walls, "a gap of 3 needs a radius of 2");
        assert_eq!(walls.closed(2).count(), 39, "the gap is bridged");
        let thin = mask(&[".........", "#########", ".........", "...###...", "...###...", "...###..."]);
        let opened = thin.opened(1);
        assert_eq!(
            opened,
            mask(&[".........", ".........", ".........", "...###...", "...###...", "...###..."])
        );
        assert_eq!(thin.dilated(1).eroded(1).count(), thin.closed(1).count());
    }
}
