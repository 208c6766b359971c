//! Hover and click hit-testing on large maps: a uniform grid over the areas' bounding boxes, so
//! a point is tested against the few areas whose boxes cover its cell, topmost first.

use kurbo::{Point, Rect};

/// A grid of area indices by bounding box.
#[derive(Debug, Default)]
pub struct HitIndex {
    bounds: Rect,
    columns: usize,
    rows: usize,
    cells: Vec<Vec<u32>>,
}

impl HitIndex {
    /// Indexes `boxes` (area `i` has box `boxes[i]`; later areas are drawn on top).
    pub fn build(boxes: &[Rect]) -> HitIndex {
        let bounds = boxes.iter().copied().reduce(|a, b| a.union(b)).unwrap_or(Rect::ZERO);
        let side = ((boxes.len() as f64).sqrt().ceil() as usize).clamp(1, 1024);
        let (columns, rows) = (side, side);
        let mut index = HitIndex { bounds, columns, rows, cells: vec![Vec::new(); columns * rows] };
        for (i, b) in boxes.iter().enumerate() {
            for cell in index.cells_of(*b) {
                index.cells[cell].push(i as u32);
            }
        }
        index
    }

    /// Moves area `i` from box `old` to box `new`; false when `new` reaches outside the indexed
    /// bounds (build the index again then).
    pub fn update(&mut self, i: usize, old: Rect, new: Rect) -> bool {
        if self.cells.is_empty() || !self.bounds.contains_rect(new) {
            return false;
        }
        let i = i as u32;
        for cell in self.cells_of(old) {
            if let Ok(at) = self.cells[cell].binary_search(&i) {
                self.cells[cell].remove(at);
            }
        }
        for cell in self.cells_of(new) {
            if let Err(at) = self.cells[cell].binary_search(&i) {
                self.cells[cell].insert(at, i);
            }
        }
        true
    }

    /// Indices of the cells a box covers.
    fn cells_of(&self, b: Rect) -> impl Iterator<Item = usize> + use<> {
        let (c0, r0) = self.cell(Point::new(b.x0, b.y0));
        let (c1, r1) = self.cell(Point::new(b.x1, b.y1));
        let columns = self.columns;
        (r0..=r1).flat_map(move |r| (c0..=c1).map(move |c| r * columns + c))
    }

    fn cell(&self, p: Point) -> (usize, usize) {
        let fx = (p.x - self.bounds.x0) / self.bounds.width().max(f64::MIN_POSITIVE);
        let fy = (p.y - self.bounds.y0) / self.bounds.height().max(f64::MIN_POSITIVE);
        let c = ((fx * self.columns as f64) as isize).clamp(0, self.columns as isize - 1) as usize;
        let r = ((fy * self.rows as f64) as isize).clamp(0, self.rows as isize - 1) as usize;
        (c, r)
    }

    /// The topmost area at `p` for which `hits(i)` holds (it checks the exact outline).
    pub fn hit(&self, p: Point, hits: impl Fn(usize) -> bool) -> Option<usize> {
        if self.cells.is_empty() || !self.bounds.contains(p) {
            return None;
        }
        let (c, r) = self.cell(p);
        self.cells[r * self.columns + c].iter().rev().map(|&i| i as usize).find(|&i| hits(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_topmost_box_and_nothing_outside() {
        let boxes = [
            Rect::new(0.0, 0.0, 100.0, 100.0),
            Rect::new(40.0, 40.0, 60.0, 60.0),
            Rect::new(90.0, 90.0, 95.0, 95.0),
        ];
        let index = HitIndex::build(&boxes);
        let contains = |i: usize| boxes[i].contains(Point::new(50.0, 50.0));
        assert_eq!(index.hit(Point::new(50.0, 50.0), contains), Some(1));
        assert_eq!(index.hit(Point::new(10.0, 10.0), |i| boxes[i].contains(Point::new(10.0, 10.0))), Some(0));
        assert_eq!(index.hit(Point::new(92.0, 92.0), |i| boxes[i].contains(Point::new(92.0, 92.0))), Some(2));
        assert_eq!(index.hit(Point::new(150.0, 50.0), |_| true), None);
        assert_eq!(HitIndex::build(&[]).hit(Point::ZERO, |_| true), None);
    }

    #[test]
    fn updated_boxes_are_found_where_they_went_and_keep_their_stacking() {
        let mut boxes = vec![Rect::new(0.0, 0.0, 10.0, 10.0); 50];
        boxes.push(Rect::new(0.0, 0.0, 100.0, 100.0));
        let mut index = HitIndex::build(&boxes);
        let moved = Rect::new(80.0, 80.0, 90.0, 90.0);
        assert!(index.update(3, boxes[3], moved));
        boxes[3] = moved;
        let at = |index: &HitIndex, boxes: &[Rect], p: Point| index.hit(p, |i| boxes[i].contains(p));
        assert_eq!(at(&index, &boxes, Point::new(85.0, 85.0)), Some(50), "the big box is drawn on top");
        boxes[50] = Rect::new(0.0, 0.0, 100.0, 50.0);
        assert_eq!(at(&index, &boxes, Point::new(85.0, 85.0)), Some(3), "found where it went");
        assert_eq!(at(&index, &boxes, Point::new(5.0, 60.0)), None);
        assert!(!index.update(3, moved, Rect::new(90.0, 90.0, 110.0, 95.0)), "outside the bounds");
    }
}
