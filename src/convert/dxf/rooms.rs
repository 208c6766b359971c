//! Rooms of a floor plan: the layer whose closed outlines hold the most texts (layer names such
//! as `A-AREA`, `ROOMS` or `RAUM` help), the layer of the texts naming them, and each room's
//! name (the text on that layer nearest its centre) and title (its texts in reading order).

use std::collections::{HashMap, HashSet};

use kurbo::{Point, Rect, Shape};

use super::shapes::{Label, Piece};

/// Words in layer names that mark rooms (matched in upper case, anywhere in the name).
const ROOM_WORDS: [&str; 7] = ["AREA", "ROOM", "RAUM", "SPACE", "ZONE", "LOCAL", "PIECE"];

/// Words in layer names that mark other parts of a plan: the building's footprint, walls,
/// doors, furniture, annotation. A layer so named is never taken for rooms by itself (a house's
/// footprint holds the notes of a whole floor); `--area-layer` can still pick it.
const OTHER_WORDS: [&str; 17] = [
    "FOOTPRINT",
    "OUTLINE",
    "BORDER",
    "FRAME",
    "TITLE",
    "SITE",
    "WALL",
    "DOOR",
    "WIND",
    "FURN",
    "DIM",
    "NOTE",
    "ANNO",
    "TEXT",
    "GRID",
    "HATCH",
    "SYMB",
];

/// True when a layer's name marks rooms.
fn named_for_rooms(layer: &str) -> bool {
    let upper = layer.to_uppercase();
    ROOM_WORDS.iter().any(|w| upper.contains(w))
}

/// True when a layer's name marks another part of the plan (and not rooms).
fn named_for_other(layer: &str) -> bool {
    let upper = layer.to_uppercase();
    !named_for_rooms(layer) && OTHER_WORDS.iter().any(|w| upper.contains(w))
}

/// A room found: the piece that outlines it, and the texts inside it.
pub struct Room {
    /// Index into the drawing's pieces.
    pub piece: usize,
    /// The text that names it (index into the drawing's labels).
    pub name: Option<usize>,
    /// Every text inside it, the naming one first, then top to bottom and left to right.
    pub texts: Vec<usize>,
}

/// The rooms of a drawing.
pub struct Rooms {
    /// The layer of the room outlines (none: no room found).
    pub area_layer: Option<String>,
    /// The layer of the naming texts.
    pub label_layer: Option<String>,
    /// The rooms, in drawing order.
    pub rooms: Vec<Room>,
}

/// Closed outlines not drawn by a block: the room candidates, indexed by a grid for finding
/// those around a point.
struct Outlines<'a> {
    pieces: &'a [Piece],
    candidates: Vec<usize>,
    bounds: Vec<Rect>,
    grid: HashMap<(i64, i64), Vec<usize>>,
    cell: f64,
}

impl<'a> Outlines<'a> {
    fn new(pieces: &'a [Piece], layer: Option<&str>) -> Self {
        let candidates: Vec<usize> = (0..pieces.len())
            .filter(|&i| pieces[i].closed && pieces[i].insert.is_none() && !pieces[i].filled)
            .filter(|&i| layer.is_none_or(|l| pieces[i].layer == l))
            .collect();
        let bounds: Vec<Rect> = candidates.iter().map(|&i| pieces[i].path.bounding_box()).collect();
        let all = bounds.iter().copied().reduce(|a, b| a.union(b)).unwrap_or_default();
        let side = (candidates.len() as f64).sqrt().max(1.0);
        let cell = (all.width().max(all.height()) / side).max(1e-9);
        let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (c, b) in bounds.iter().enumerate() {
            let (x0, y0, x1, y1) =
                ((b.x0 / cell) as i64, (b.y0 / cell) as i64, (b.x1 / cell) as i64, (b.y1 / cell) as i64);
            // A huge outline (a building's) is listed in at most 4,096 cells; beyond that it is
            // found through the cells of its corners only, which is enough for containment
            // tests of the points inside it that matter here.
            if (x1 - x0 + 1).saturating_mul(y1 - y0 + 1) > 4096 {
                for key in [(x0, y0), (x1, y1), (x0, y1), (x1, y0)] {
                    grid.entry(key).or_default().push(c);
                }
                continue;
            }
            for x in x0..=x1 {
                for y in y0..=y1 {
                    grid.entry((x, y)).or_default().push(c);
                }
            }
        }
        Outlines { pieces, candidates, bounds, grid, cell }
    }

    /// The candidates containing `p` (indices into `candidates`).
    fn containing(&self, p: Point) -> impl Iterator<Item = usize> + '_ {
        let key = ((p.x / self.cell) as i64, (p.y / self.cell) as i64);
        self.grid
            .get(&key)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&c| self.bounds[c].contains(p) && self.pieces[self.candidates[c]].path.contains(p))
    }

    /// The smallest candidate containing `p`.
    fn innermost(&self, p: Point) -> Option<usize> {
        self.containing(p).min_by(|&a, &b| self.bounds[a].area().total_cmp(&self.bounds[b].area()))
    }
}

/// Finds the rooms (texts on `hidden` layers left out): on `area_layer` when given, else on the layer whose closed outlines hold
/// texts in the most outlines; named from `label_layer` when given, else from the layer most of
/// the texts inside the rooms are on.
pub fn find(
    pieces: &[Piece],
    labels: &[Label],
    hidden: &HashSet<String>,
    area_layer: Option<&str>,
    label_layer: Option<&str>,
) -> Rooms {
    // Texts of the drawing and attributes of block references on layers that show; not texts
    // drawn inside blocks.
    let texts: Vec<usize> = (0..labels.len())
        .filter(|&i| labels[i].insert.is_none() && !hidden.contains(&labels[i].layer))
        .collect();
    let area_layer = area_layer.map(str::to_owned).or_else(|| {
        let outlines = Outlines::new(pieces, None);
        // Rooms are never on a layer that is off or frozen.
        // For each layer, the outlines holding a text (the innermost outline of that layer).
        let mut holding: HashMap<&str, HashSet<usize>> = HashMap::new();
        for &t in &texts {
            let mut innermost: HashMap<&str, usize> = HashMap::new();
            for c in outlines.containing(labels[t].at) {
                let layer = pieces[outlines.candidates[c]].layer.as_str();
                if hidden.contains(layer) {
                    continue;
                }
                let smaller = innermost
                    .get(layer)
                    .is_none_or(|&o| outlines.bounds[c].area() < outlines.bounds[o].area());
                if smaller {
                    innermost.insert(layer, c);
                }
            }
            for (layer, c) in innermost {
                holding.entry(layer).or_default().insert(c);
            }
        }
        let score = |layer: &str, count: usize| count as f64 * if named_for_rooms(layer) { 1.5 } else { 1.0 };
        // A room layer's outlines mostly hold a text (the door headers or furniture of a plan
        // drawn without room outlines hold a few); a layer named for rooms needs only one.
        let mut outlines_on: HashMap<&str, usize> = HashMap::new();
        for &c in &outlines.candidates {
            *outlines_on.entry(pieces[c].layer.as_str()).or_default() += 1;
        }
        let qualifies = |layer: &str, held: usize| {
            named_for_rooms(layer)
                || (!named_for_other(layer) && 2 * held >= outlines_on.get(layer).copied().unwrap_or(0))
        };
        holding
            .iter()
            .filter(|(layer, held)| qualifies(layer, held.len()))
            .map(|(layer, held)| (*layer, score(layer, held.len())))
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(layer, _)| layer.to_owned())
    });
    let Some(area_layer) = area_layer else {
        return Rooms { area_layer: None, label_layer: None, rooms: Vec::new() };
    };
    let outlines = Outlines::new(pieces, Some(&area_layer));
    // Each text in its room.
    let mut inside: HashMap<usize, Vec<usize>> = HashMap::new();
    for &t in &texts {
        if let Some(c) = outlines.innermost(labels[t].at) {
            inside.entry(c).or_default().push(t);
        }
    }
    let label_layer = label_layer.map(str::to_owned).or_else(|| {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for &t in inside.values().flatten() {
            *count.entry(labels[t].layer.as_str()).or_default() += 1;
        }
        count.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0))).map(|(l, _)| l.to_owned())
    });
    let rooms = (0..outlines.candidates.len())
        .map(|c| {
            let piece = outlines.candidates[c];
            let mut texts = inside.remove(&c).unwrap_or_default();
            let centre = outlines.bounds[c].center();
            let name = texts
                .iter()
                .copied()
                .filter(|&t| label_layer.as_deref().is_none_or(|l| labels[t].layer == l))
                .min_by(|&a, &b| (labels[a].at - centre).hypot().total_cmp(&(labels[b].at - centre).hypot()));
            // Reading order: top to bottom (y is up), then left to right; the name first.
            texts.sort_by(|&a, &b| {
                let (pa, pb) = (labels[a].at, labels[b].at);
                (Some(b) == name)
                    .cmp(&(Some(a) == name))
                    .then(pb.y.total_cmp(&pa.y))
                    .then(pa.x.total_cmp(&pb.x))
            });
            Room { piece, name, texts }
        })
        .collect();
    Rooms { area_layer: Some(area_layer), label_layer, rooms }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(layer: &str, x: f64, y: f64, side: f64) -> Piece {
        let rect = Rect::new(x, y, x + side, y + side);
        Piece { layer: layer.into(), path: rect.to_path(0.1), closed: true, filled: false, insert: None }
    }

    fn text(layer: &str, x: f64, y: f64, text: &str) -> Label {
        let at = Point::new(x, y);
        Label { layer: layer.into(), at, text: text.into(), height: 1.0, rotation: 0.0, insert: None }
    }

    #[test]
    fn a_footprint_full_of_notes_is_not_a_room_layer_but_rooms_on_any_other_layer_are() {
        let labels = [text("A-NOTE", 5.0, 5.0, "2 CAR GARAGE"), text("A-NOTE", 25.0, 5.0, "COVERED")];
        for (layer, found) in [
            ("A-FOOTPRINT", false),
            ("BLDG-OUTLINE", false),
            ("ANNTEXT", false),
            ("BORDER", false),
            ("XREF$0$LEVEL1", true),
        ] {
            let pieces = [square(layer, 0.0, 0.0, 10.0), square(layer, 20.0, 0.0, 10.0)];
            let rooms = find(&pieces, &labels, &HashSet::new(), None, None);
            assert_eq!(rooms.area_layer.is_some(), found, "{layer}");
            // Chosen by hand, the footprint still gives its rooms.
            let chosen = find(&pieces, &labels, &HashSet::new(), Some(layer), None);
            assert_eq!(chosen.rooms.len(), 2);
            assert_eq!(chosen.rooms[1].name, Some(1));
        }
        // A name for rooms wins over a word for something else.
        let pieces = [square("A-AREA-OUTLINE", 0.0, 0.0, 10.0), square("A-WALL", -1.0, -1.0, 40.0)];
        let rooms = find(&pieces, &labels, &HashSet::new(), None, None);
        assert_eq!(rooms.area_layer.as_deref(), Some("A-AREA-OUTLINE"));
    }
}
