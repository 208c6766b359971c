//! A Bézier path stored packed: a byte per command and only the points each command has.
//!
//! kurbo's `BezPath` gives every element the room of a cubic (56 bytes); a map's paths are
//! mostly straight lines (16 bytes a point here), and a large plan holds hundreds of thousands
//! of them: packed, the paths of the 50,000-room plan take a quarter of the memory.

use kurbo::{BezPath, PathEl, Point};

/// A path command; the points it takes follow in [`PackedPath`]'s point list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Move,
    Line,
    Quad,
    Curve,
    Close,
}

/// A Bézier path as stored in the map. [`PackedPath::elements`] reads it element by element;
/// [`PackedPath::to_bez`] gives kurbo's form for geometry work.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PackedPath {
    verbs: Box<[Verb]>,
    points: Box<[Point]>,
}

impl PackedPath {
    /// The number of elements (commands).
    pub fn len(&self) -> usize {
        self.verbs.len()
    }

    /// True for a path with no elements.
    pub fn is_empty(&self) -> bool {
        self.verbs.is_empty()
    }

    /// The elements in order.
    pub fn elements(&self) -> impl Iterator<Item = PathEl> + '_ {
        let mut points = self.points.iter().copied();
        // Every command was stored with its points, so the list never runs out.
        let mut next = move || points.next().unwrap_or_default();
        self.verbs.iter().map(move |verb| match verb {
            Verb::Move => PathEl::MoveTo(next()),
            Verb::Line => PathEl::LineTo(next()),
            Verb::Quad => PathEl::QuadTo(next(), next()),
            Verb::Curve => PathEl::CurveTo(next(), next(), next()),
            Verb::Close => PathEl::ClosePath,
        })
    }

    /// The path as kurbo's `BezPath`.
    pub fn to_bez(&self) -> BezPath {
        BezPath::from_vec(self.elements().collect())
    }
}

impl From<&BezPath> for PackedPath {
    fn from(path: &BezPath) -> Self {
        let elements = path.elements();
        let mut verbs = Vec::with_capacity(elements.len());
        let count = elements.iter().map(|e| match e {
            PathEl::MoveTo(_) | PathEl::LineTo(_) => 1,
            PathEl::QuadTo(..) => 2,
            PathEl::CurveTo(..) => 3,
            PathEl::ClosePath => 0,
        });
        let mut points = Vec::with_capacity(count.sum());
        for el in elements {
            match *el {
                PathEl::MoveTo(p) => {
                    verbs.push(Verb::Move);
                    points.push(p);
                }
                PathEl::LineTo(p) => {
                    verbs.push(Verb::Line);
                    points.push(p);
                }
                PathEl::QuadTo(a, p) => {
                    verbs.push(Verb::Quad);
                    points.extend([a, p]);
                }
                PathEl::CurveTo(a, b, p) => {
                    verbs.push(Verb::Curve);
                    points.extend([a, b, p]);
                }
                PathEl::ClosePath => verbs.push(Verb::Close),
            }
        }
        Self { verbs: verbs.into(), points: points.into() }
    }
}

impl From<BezPath> for PackedPath {
    fn from(path: BezPath) -> Self {
        Self::from(&path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_element_comes_back_as_it_went_in() {
        let mut path = BezPath::new();
        path.move_to((1.0, 2.0));
        path.line_to((3.5, -4.0));
        path.quad_to((5.0, 6.0), (7.0, 8.0));
        path.curve_to((9.0, 10.0), (11.0, 12.0), (13.0, 14.25));
        path.close_path();
        path.move_to((0.0, 0.0));
        path.line_to((1e9, -1e-9));
        let packed = PackedPath::from(&path);
        assert_eq!(packed.len(), 7);
        assert_eq!(packed.to_bez(), path);
        assert_eq!(packed.elements().collect::<Vec<_>>(), path.elements());
    }

    #[test]
    fn an_empty_path_stays_empty() {
        let packed = PackedPath::from(BezPath::new());
        assert!(packed.is_empty());
        assert!(packed.to_bez().elements().is_empty());
    }
}
