//! `synmap grid`: a grid of cells (seats, parking bays, racks) as a new map, or added to a copy
//! of an existing one, in the editor's format.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use kurbo::Point;

use crate::grid::{CellShape, GridSpec, MAX_CELLS};
use crate::ids::{Sequence, UniqueIds};
use crate::model::{Map, ViewBox};

/// What `synmap grid` makes.
#[derive(Debug, Args)]
pub struct GridArgs {
    /// The cells' shape: square, hex, circle or triangle.
    #[arg(long, default_value = "square", value_parser = ["square", "hex", "circle", "triangle"])]
    pub shape: String,
    /// Cells across.
    #[arg(long)]
    pub cols: usize,
    /// Cells down.
    #[arg(long)]
    pub rows: usize,
    /// A cell's width in map units (for hexagons across the flat sides, for triangles a side).
    #[arg(long)]
    pub size: f64,
    /// Space between cells.
    #[arg(long, default_value_t = 0.0)]
    pub gap: f64,
    /// Space left inside each cell, all round.
    #[arg(long, default_value_t = 0.0)]
    pub inset: f64,
    /// The grid turned by this many degrees (clockwise) about its first corner.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub angle: f64,
    /// Where the grid's first corner goes (default: the artboard's top left, or a cell's
    /// size in from it in a new map).
    #[arg(long, value_name = "X,Y", value_parser = point)]
    pub at: Option<Point>,
    /// What the cells' ids start with.
    #[arg(long, default_value = "Cell-")]
    pub prefix: String,
    /// The first cell's number.
    #[arg(long, default_value_t = 1)]
    pub start: u64,
    /// The fewest digits of a number (zeros in front).
    #[arg(long, default_value_t = 1)]
    pub digits: usize,
    /// Add the grid to a copy of this map (written to the output; the map itself is left as it is).
    #[arg(long, value_name = "MAP")]
    pub into: Option<PathBuf>,
    /// Output file (the editor's lossless SVG).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// `X,Y` as a point.
fn point(text: &str) -> Result<Point, String> {
    let parsed = text
        .split_once(',')
        .and_then(|(x, y)| Some((x.trim().parse::<f64>().ok()?, y.trim().parse::<f64>().ok()?)));
    match parsed {
        Some((x, y)) if x.is_finite() && y.is_finite() => Ok(Point::new(x, y)),
        _ => Err(format!("\"{text}\" is not a point X,Y")),
    }
}

/// Runs `synmap grid`.
pub fn run(args: GridArgs) -> anyhow::Result<u8> {
    if let Some(into) = &args.into
        && super::is_input(into, &args.output)
    {
        return Ok(super::EXIT_CONFLICT);
    }
    let shape = CellShape::from_name(&args.shape).unwrap_or_default();
    let mut spec = GridSpec {
        shape,
        cols: args.cols,
        rows: args.rows,
        size: args.size,
        gap: args.gap,
        inset: args.inset,
        angle: args.angle,
        origin: Point::ZERO,
    };
    if spec.cols.saturating_mul(spec.rows) > MAX_CELLS {
        anyhow::bail!("a grid has at most {MAX_CELLS} cells");
    }
    if spec.cells().is_empty() {
        anyhow::bail!(
            "the grid has no cells: columns, rows and a size larger than twice the inset are needed"
        );
    }
    let mut map = match &args.into {
        Some(path) => super::load(path, &super::ImportArgs::default())?.map,
        None => {
            // A new map: the grid's size and one cell's size round it.
            let bounds = spec
                .cells()
                .iter()
                .map(|g| g.bounding_box_with(kurbo::Affine::IDENTITY))
                .reduce(|a, b| a.union(b))
                .unwrap_or_default();
            let margin = args.size;
            spec.origin = Point::new(margin - bounds.x0, margin - bounds.y0);
            Map::new(ViewBox {
                x: 0.0,
                y: 0.0,
                width: bounds.width() + 2.0 * margin,
                height: bounds.height() + 2.0 * margin,
            })
        }
    };
    if args.into.is_some() {
        spec.origin = Point::new(map.view_box.x, map.view_box.y);
    }
    if let Some(at) = args.at {
        spec.origin = at;
    }
    let names = Sequence { prefix: args.prefix, start: args.start, digits: args.digits.min(12) };
    let mut ids = UniqueIds::taking(
        map.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str())).collect::<Vec<_>>(),
    );
    let nodes = spec.nodes(&names, &mut ids);
    let count = nodes.len();
    for node in nodes {
        map.push(None, node);
    }
    crate::svg::save_file(&map, &args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!("added {count} cells; wrote {}", args.output.display());
    Ok(0)
}
