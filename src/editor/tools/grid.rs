//! The grid tool: a grid of cells (seats, parking bays, racks) follows the pointer as a live
//! preview, its first corner at the pointer; a click adds every cell as an area, in one undo
//! step, named from the options' prefix and numbers. Options: the cells' shape, columns, rows,
//! cell size, gap, inset, angle, and the names' prefix, first number and digits.

use kurbo::{BezPath, Point};

use super::{
    NumberOption, OptionValue, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKey, ToolKind, ToolOption,
};
use crate::edit::Change;
use crate::editor::{Document, EditorError};
use crate::grid::{CellShape, GridSpec};
use crate::ids::Sequence;
use crate::model::NodeKey;

/// Grids of more cells than this are previewed as their outer bounds only.
const PREVIEW_CELLS: usize = 5_000;

/// Lays out grids of cells.
pub struct GridTool {
    shape: CellShape,
    cols: NumberOption,
    rows: NumberOption,
    size: NumberOption,
    gap: NumberOption,
    inset: NumberOption,
    angle: NumberOption,
    prefix: String,
    start: NumberOption,
    digits: NumberOption,
    /// Where the grid would go, while the pointer is over the canvas.
    at: Option<Point>,
}

impl Default for GridTool {
    fn default() -> Self {
        let d = GridSpec::default();
        GridTool {
            shape: d.shape,
            cols: NumberOption::new("cols", "Columns", "Cells across", (1.0, 1000.0, ""), d.cols as f64),
            rows: NumberOption::new("rows", "Rows", "Cells down", (1.0, 1000.0, ""), d.rows as f64),
            size: NumberOption::new(
                "size",
                "Size",
                "A cell's width in map units (hexagons: across the flat sides; triangles: a side)",
                (0.01, 1_000_000.0, ""),
                d.size,
            ),
            gap: NumberOption::new(
                "gap",
                "Gap",
                "Space between cells (map units)",
                (0.0, 1_000_000.0, ""),
                d.gap,
            ),
            inset: NumberOption::new(
                "inset",
                "Inset",
                "Space left inside each cell (map units)",
                (0.0, 1_000_000.0, ""),
                d.inset,
            ),
            angle: NumberOption::new(
                "angle",
                "Angle",
                "The grid turned about its first corner",
                (-360.0, 360.0, "°"),
                d.angle,
            ),
            prefix: "Seat-".into(),
            start: NumberOption::new("start", "From", "The first cell's number", (0.0, 1e9, ""), 1.0),
            digits: NumberOption::new(
                "digits",
                "Digits",
                "The fewest digits of a number (zeros in front)",
                (1.0, 9.0, ""),
                3.0,
            ),
            at: None,
        }
    }
}

impl GridTool {
    fn spec(&self, origin: Point) -> GridSpec {
        GridSpec {
            shape: self.shape,
            cols: self.cols.value.round() as usize,
            rows: self.rows.value.round() as usize,
            size: self.size.value,
            gap: self.gap.value,
            inset: self.inset.value,
            angle: self.angle.value,
            origin,
        }
    }

    fn names(&self) -> Sequence {
        Sequence {
            prefix: self.prefix.trim().to_owned(),
            start: self.start.value.round() as u64,
            digits: self.digits.value.round() as usize,
        }
    }

    fn numbers(&mut self) -> [&mut NumberOption; 8] {
        [
            &mut self.cols,
            &mut self.rows,
            &mut self.size,
            &mut self.gap,
            &mut self.inset,
            &mut self.angle,
            &mut self.start,
            &mut self.digits,
        ]
    }
}

impl Tool for GridTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Grid
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        match *event {
            ToolEvent::Hover(p) => {
                self.at = p.map(|p| cx.snapped(p, None));
                Ok(Outcome::IGNORED)
            }
            ToolEvent::Click(p) => {
                let origin = cx.snapped(p, None);
                let nodes = self.spec(origin).nodes(&self.names(), &mut cx.doc.unique_ids());
                if nodes.is_empty() {
                    return Ok(Outcome::HANDLED);
                }
                cx.doc.begin("Grid");
                let mut keys = Vec::with_capacity(nodes.len());
                for node in nodes {
                    if let Some(key) = cx.doc.apply(Change::Add(None, usize::MAX, Box::new(node)))? {
                        keys.push(key);
                    }
                }
                cx.doc.commit();
                *cx.selection = keys;
                Ok(Outcome::HANDLED)
            }
            ToolEvent::Key(ToolKey::Escape) if self.at.is_some() => {
                self.at = None;
                Ok(Outcome::HANDLED)
            }
            _ => Ok(Outcome::IGNORED),
        }
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        let Some(at) = self.at else { return Vec::new() };
        let cells = self.spec(at).cells();
        let mut path = BezPath::new();
        if cells.len() <= PREVIEW_CELLS {
            for cell in &cells {
                path.extend(cell.to_path());
            }
        } else if let Some(bounds) =
            cells.iter().map(|c| c.bounding_box_with(kurbo::Affine::IDENTITY)).reduce(|a, b| a.union(b))
        {
            path.extend(kurbo::Shape::path_elements(&bounds, 0.1));
        }
        (!path.elements().is_empty()).then_some(Preview::Outline(path)).into_iter().collect()
    }

    fn busy(&self) -> bool {
        false
    }

    fn options(&self) -> Vec<ToolOption> {
        let shape = CellShape::ALL.iter().position(|(s, _)| *s == self.shape).unwrap_or(0);
        let mut options = vec![ToolOption {
            id: "shape",
            label: "Cells",
            tooltip: "The cells' shape",
            value: OptionValue::Choice {
                value: shape,
                choices: &["Square", "Hexagon", "Circle", "Triangle"],
            },
        }];
        options.extend(
            [&self.cols, &self.rows, &self.size, &self.gap, &self.inset, &self.angle]
                .map(NumberOption::describe),
        );
        options.push(ToolOption {
            id: "prefix",
            label: "Names",
            tooltip: "What the cells' ids start with",
            value: OptionValue::Text(self.prefix.clone()),
        });
        options.extend([&self.start, &self.digits].map(NumberOption::describe));
        options
    }

    fn set_option(&mut self, id: &str, value: &OptionValue) {
        for option in self.numbers() {
            option.set(id, value);
        }
        match (id, value) {
            ("shape", OptionValue::Choice { value, .. }) => {
                self.shape = CellShape::ALL.get(*value).map_or(self.shape, |(s, _)| *s);
            }
            ("prefix", OptionValue::Text(text)) => self.prefix = text.chars().take(64).collect(),
            _ => {}
        }
    }
}
