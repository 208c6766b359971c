//! `synmap trace`: a plan's picture traced into a map in the editor's format, one area per
//! room, the picture as its tracing image.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::ids::{Sequence, UniqueIds};
use crate::trace::{Picture, TraceOptions, area_nodes, trace_all};

/// What `synmap trace` reads and writes.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The plan's picture: PNG, JPEG, WebP or BMP.
    pub image: PathBuf,
    /// Output file (the editor's lossless SVG; its artboard is the picture, one unit a pixel).
    #[arg(short, long)]
    pub output: PathBuf,
    /// How far a colour may stray within one room: the largest difference of one channel, 0–255.
    #[arg(long, default_value_t = TraceOptions::default().tolerance)]
    pub tolerance: u8,
    /// Gaps in walls (doors) up to this many pixels wide are closed.
    #[arg(long, value_name = "PX", default_value_t = TraceOptions::default().close_gaps)]
    pub close_gaps: usize,
    /// Regions smaller than this many pixels are not rooms.
    #[arg(long, value_name = "PX", default_value_t = TraceOptions::default().min_area)]
    pub min_area: usize,
    /// How far (pixels) an outline may stray from a room's edge to save a corner.
    #[arg(long, value_name = "PX", default_value_t = TraceOptions::default().detail)]
    pub detail: f64,
    /// Thin lines are walls too (by default, in a plan with thick walls, lines under three
    /// pixels wide, such as door swings, furniture and text, are not).
    #[arg(long)]
    pub thin_walls: bool,
    /// What the new areas' ids start with (the default `Area_` makes names that Name areas and
    /// `synmap name --from-labels` replace with the plan's labels).
    #[arg(long, default_value = "Area_")]
    pub prefix: String,
    /// The first area's number.
    #[arg(long, default_value_t = 1)]
    pub start: u64,
    /// The fewest digits of a number (zeros in front).
    #[arg(long, default_value_t = 1)]
    pub digits: usize,
}

/// Runs `synmap trace`: exit status 0, or 1 when no room is found.
pub fn run(args: TraceArgs) -> anyhow::Result<u8> {
    if super::is_input(&args.image, &args.output) {
        return Ok(super::EXIT_CONFLICT);
    }
    let picture = Picture::read(&args.image).with_context(|| format!("{}", args.image.display()))?;
    let pixels = picture.pixels().with_context(|| format!("{}", args.image.display()))?;
    let opts = TraceOptions {
        tolerance: args.tolerance,
        close_gaps: args.close_gaps,
        min_area: args.min_area,
        detail: args.detail.max(0.0),
        thin_lines_are_walls: args.thin_walls,
    };
    let start = std::time::Instant::now();
    let outlines = trace_all(&pixels, &opts);
    log::debug!("traced {} rooms in {:?}", outlines.len(), start.elapsed());
    if outlines.is_empty() {
        eprintln!(
            "synmap: no room found in {} (try a higher --tolerance, a wider --close-gaps or a smaller --min-area)",
            args.image.display()
        );
        return Ok(super::EXIT_MAP_ERROR);
    }
    let mut map = picture.blank_map();
    let names = Sequence { prefix: args.prefix, start: args.start, digits: args.digits.min(12) };
    for node in area_nodes(&outlines, &names, &mut UniqueIds::default()) {
        map.push(None, node);
    }
    crate::svg::save_file(&map, &args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    eprintln!("traced {} rooms; wrote {}", outlines.len(), args.output.display());
    Ok(0)
}
