//! The headless commands: `check`, `export`, `render`, `generate` and `publish`.

pub mod grid;
pub mod manual;
pub mod publish;
pub mod trace;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::categories::{self, CategoryTable};
use crate::check::{CheckReport, check};
use crate::convert::{ImportOptions, Projection};
use crate::findings::Severity;
use crate::fsutil::{is_read_only, write_atomic, write_atomic_with};
use crate::generate::{PlanSpec, floor_plan_in_columns};
use crate::oneline::one_line;
use crate::render::{RenderOptions, render};
use crate::svg::export::write_svg;
use crate::svg::jsvg::{JsvgHeader, export_jsvg};
use crate::svg::{ExportOptions, Imported, import_file_with};

/// Exit status: the map has errors, input was refused, a map was refused for its content (too
/// large, quota, invalid JSVG, a failed hosting check), or a local file could not be read or
/// written.
pub const EXIT_MAP_ERROR: u8 = 1;
/// Exit status: a usage error.
pub const EXIT_USAGE: u8 = 2;
/// Exit status: a network, authentication or server error, or a command refused by offline
/// mode.
pub const EXIT_NETWORK: u8 = 3;
/// Exit status: a conflict. An existing file was not overwritten (the input map, or a read-only
/// output), or a stored map changed elsewhere.
pub const EXIT_CONFLICT: u8 = 4;

/// The version and the commit it was built from (`unknown` without git).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("SYNMAP_COMMIT"), ")");

/// synmap: a map studio for the Synoptic Panel visual.
#[derive(Debug, Parser)]
#[command(name = "synmap", version = VERSION, about, long_about = None)]
pub struct Cli {
    /// A map to open in the editor (SVG, SVGZ or JSVG).
    pub file: Option<PathBuf>,
    /// The command to run instead of opening the editor.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Write the man pages into this folder and exit (for packagers).
    #[arg(long, value_name = "DIR", hide = true, conflicts_with = "file")]
    pub generate_man: Option<PathBuf>,
    /// Write the shell completions into this folder and exit (for packagers).
    #[arg(long, value_name = "DIR", hide = true, conflicts_with = "file")]
    pub generate_completions: Option<PathBuf>,
}

/// A headless command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a map and report how its areas bind.
    Check {
        /// The map.
        file: PathBuf,
        /// How DXF, GeoJSON and TopoJSON are read.
        #[command(flatten)]
        import: ImportArgs,
        /// Category values to match areas against.
        #[command(flatten)]
        categories: CategoryArgs,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a Synoptic-ready SVG, or JSVG when the output ends in .jsvg or .json.
    Export {
        /// The map.
        file: PathBuf,
        /// How DXF, GeoJSON and TopoJSON are read.
        #[command(flatten)]
        import: ImportArgs,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
        /// Category values for the JSVG data mapping.
        #[command(flatten)]
        categories: CategoryArgs,
        /// Decimals kept in coordinates.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(0..=8))]
        precision: u8,
        /// Embed the tracing image.
        #[arg(long)]
        include_tracing_image: bool,
        /// Write the map in its shortest form (the default): styles shared by a group's
        /// members moved up to it, defaults dropped, shortest colours, numbers and path data,
        /// invisible decoration and empty groups left out. Ids, titles, data-okviz-*
        /// attributes, the order of areas and the picture are kept.
        #[arg(long, overrides_with = "no_optimise")]
        optimise: bool,
        /// Write every element and style as the map holds it.
        #[arg(long, overrides_with = "optimise")]
        no_optimise: bool,
        /// Map name in the JSVG wrapper (default: the output file name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Render a PNG preview coloured by binding status (or by a measure).
    Render {
        /// The map.
        file: PathBuf,
        /// How DXF, GeoJSON and TopoJSON are read.
        #[command(flatten)]
        import: ImportArgs,
        /// Output PNG.
        #[arg(short, long)]
        output: PathBuf,
        /// Width in pixels.
        #[arg(long, default_value_t = 2048)]
        width: u32,
        /// Category values (and optional measure) to colour by.
        #[command(flatten)]
        categories: CategoryArgs,
        /// Numeric column of the categories CSV to colour by.
        #[arg(long, requires = "categories")]
        measure: Option<String>,
        /// Leave out area labels.
        #[arg(long)]
        no_labels: bool,
        /// Leave out the legend.
        #[arg(long)]
        no_legend: bool,
    },
    /// Name the areas that have no meaningful id from the drawing's labels, an attribute or
    /// their titles, writing the editor's format.
    #[command(group = clap::ArgGroup::new("source").required(true).args(["from_labels", "from_attribute", "from_titles"]))]
    Name {
        /// The map.
        file: PathBuf,
        /// How DXF, GeoJSON and TopoJSON are read.
        #[command(flatten)]
        import: ImportArgs,
        /// Output file (the editor's lossless SVG).
        #[arg(short, long)]
        output: PathBuf,
        /// The text label whose anchor lies inside each area.
        #[arg(long)]
        from_labels: bool,
        /// An attribute holding the name (`name`, `data-name`, `aria-label`…).
        #[arg(long, value_name = "ATTR")]
        from_attribute: Option<String>,
        /// The area's title.
        #[arg(long)]
        from_titles: bool,
    },
    /// Read a map from DXF, GeoJSON or TopoJSON (or any map synmap reads) and write the
    /// editor's format.
    Import {
        /// The file.
        file: PathBuf,
        /// Output file (the editor's lossless SVG).
        #[arg(short, long)]
        output: PathBuf,
        /// How DXF, GeoJSON and TopoJSON are read.
        #[command(flatten)]
        import: ImportArgs,
    },
    /// List the areas added, removed, renamed and changed from one version of a map to another.
    Diff {
        /// The map before.
        old: PathBuf,
        /// The map after.
        new: PathBuf,
        /// How DXF, GeoJSON and TopoJSON are read.
        #[command(flatten)]
        import: ImportArgs,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Exit with status 1 when the maps differ.
        #[arg(long)]
        exit_code: bool,
    },
    /// Publish to My Storage or Azure Blob Storage.
    Publish(publish::PublishArgs),
    /// Trace the rooms of a plan's picture (PNG, JPEG, WebP, BMP) into a map in the editor's
    /// format: one area per room, the picture as the tracing image. Exits with 1 when no
    /// room is found.
    Trace(trace::TraceArgs),
    /// Make a grid of cells (seats, parking bays, racks) as areas named from a sequence: a new
    /// map, or added to a copy of one (`--into`), in the editor's format.
    Grid(grid::GridArgs),
    /// Write a generated floor plan (for trying synmap on large maps).
    Generate {
        /// Number of rooms.
        #[arg(long, default_value_t = 1000)]
        areas: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Floors side by side (by default a square grid of floors); 1 makes a tall plan.
        #[arg(long)]
        columns: Option<usize>,
        /// Output SVG.
        #[arg(short, long)]
        output: PathBuf,
    },
}

/// How maps converted from CAD and GIS formats are read (ignored for SVG and JSVG).
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "Reading DXF, GeoJSON and TopoJSON")]
pub struct ImportArgs {
    /// GeoJSON: the property naming each feature (default: its id, then name, NAME, name_en,
    /// title, label).
    #[arg(long, value_name = "NAME")]
    pub id_property: Option<String>,
    /// GeoJSON: the property giving each feature's title (default: its name).
    #[arg(long, value_name = "NAME")]
    pub title_property: Option<String>,
    /// GeoJSON: mercator (default for longitude and latitude), equirectangular, albers-usa, or
    /// none (default for planar data).
    #[arg(long, value_parser = Projection::NAMES)]
    pub projection: Option<String>,
    /// TopoJSON: the object to read (default: all, one group per object).
    #[arg(long, value_name = "NAME")]
    pub object: Option<String>,
    /// Keep this percentage of the points of straight-edged shapes that can go, shared borders
    /// kept shared (GeoJSON as it is read, any other map shape by shape).
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    pub simplify: Option<f64>,
    /// DXF: the layer whose closed outlines are the rooms (default: found from the texts).
    #[arg(long, value_name = "LAYER")]
    pub area_layer: Option<String>,
    /// DXF: the layer of the texts naming the rooms (default: found from the rooms).
    #[arg(long, value_name = "LAYER")]
    pub label_layer: Option<String>,
}

impl ImportArgs {
    /// The options these arguments set.
    pub fn options(&self) -> ImportOptions {
        ImportOptions {
            id_property: self.id_property.clone(),
            title_property: self.title_property.clone(),
            projection: self.projection.as_deref().and_then(Projection::from_name),
            object: self.object.clone(),
            simplify: self.simplify,
            area_layer: self.area_layer.clone(),
            label_layer: self.label_layer.clone(),
            without_path_text: false,
        }
    }

    /// The options for a map that is checked, exported, rendered or published but never saved.
    pub fn read_only_options(&self) -> ImportOptions {
        ImportOptions { without_path_text: true, ..self.options() }
    }
}

/// A percentage from 0 to 100 (a trailing `%` allowed).
fn percent(text: &str) -> Result<f64, String> {
    match text.trim().trim_end_matches('%').parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!("\"{text}\" is not a percentage from 0 to 100")),
    }
}

/// Where category values come from.
#[derive(Debug, Args)]
pub struct CategoryArgs {
    /// The report's values: CSV, TSV, a list (one value per line), JSON, XLSX, XLS or ODS.
    #[arg(long)]
    pub categories: Option<PathBuf>,
    /// The sheet of a workbook (default: the first with data).
    #[arg(long, requires = "categories")]
    pub sheet: Option<String>,
    /// The column holding the values, by its header (default: the first column).
    #[arg(long, requires = "categories", conflicts_with = "column_index")]
    pub column: Option<String>,
    /// The column holding the values, by number from 1 (for lists without a header).
    #[arg(long, requires = "categories")]
    pub column_index: Option<usize>,
    /// The column of the level above the values (a hierarchy such as Sector > Room): groups
    /// match it, areas inside them the values.
    #[arg(long, requires = "categories")]
    pub parent_column: Option<String>,
}

impl CategoryArgs {
    fn load(&self, measure: Option<&str>) -> anyhow::Result<Option<CategoryTable>> {
        self.categories
            .as_deref()
            .map(|p| {
                let source = categories::Source {
                    sheet: self.sheet.as_deref(),
                    column: self.column.as_deref(),
                    column_index: self.column_index,
                    measure,
                    parent: self.parent_column.as_deref(),
                };
                categories::read(p, &source).with_context(|| format!("{}", p.display()))
            })
            .transpose()
    }
}

/// Runs a headless command; returns the process exit status.
pub fn run(command: Command) -> ExitCode {
    match crate::guard::caught("running the command", || run_inner(command)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => {
            eprintln!("synmap: {}", one_line(&format!("{e:#}")));
            // A read-only output is the author's choice, not a failure: a conflict.
            let read_only = e.downcast_ref::<std::io::Error>().is_some_and(is_read_only);
            ExitCode::from(if read_only { EXIT_CONFLICT } else { EXIT_MAP_ERROR })
        }
        Err(panic) => {
            eprintln!("synmap: {panic}");
            ExitCode::from(EXIT_MAP_ERROR)
        }
    }
}

/// Reads a map the command checks, exports or renders, never saves.
fn load(file: &Path, import: &ImportArgs) -> anyhow::Result<Imported> {
    load_with(file, &import.read_only_options())
}

/// Reads a map the command saves.
fn load_to_save(file: &Path, import: &ImportArgs) -> anyhow::Result<Imported> {
    load_with(file, &import.options())
}

fn load_with(file: &Path, options: &ImportOptions) -> anyhow::Result<Imported> {
    let start = std::time::Instant::now();
    let imported = import_file_with(file, options).with_context(|| format!("{}", file.display()))?;
    log::debug!("imported {} in {:?}; peak memory {:?} KiB", file.display(), start.elapsed(), peak_rss_kib());
    Ok(imported)
}

fn run_inner(command: Command) -> anyhow::Result<u8> {
    match command {
        Command::Publish(args) => Ok(publish::run(args)),
        Command::Trace(args) => trace::run(args),
        Command::Grid(args) => grid::run(args),
        Command::Name { file, import, output, from_labels: _, from_attribute, from_titles } => {
            use crate::naming::{NameSource, changes, propose};
            if is_input(&file, &output) {
                return Ok(EXIT_CONFLICT);
            }
            let mut map = load_to_save(&file, &import)?.map;
            let source = match (from_attribute, from_titles) {
                (Some(attr), _) => NameSource::Attribute(attr),
                (None, true) => NameSource::Titles,
                (None, false) => NameSource::Labels,
            };
            let proposals = propose(&map, &source);
            for change in changes(&map, &proposals, &source) {
                change.apply(&mut map)?;
            }
            for p in &proposals {
                let taken = if p.collided { " (the name was taken: numbered)" } else { "" };
                println!("{} -> {}{taken}", p.old.as_deref().unwrap_or("(no id)"), p.id.as_str());
            }
            crate::svg::save_file(&map, &output)
                .with_context(|| format!("cannot write {}", output.display()))?;
            let collided = proposals.iter().filter(|p| p.collided).count();
            eprintln!("named {} areas ({collided} numbered); wrote {}", proposals.len(), output.display());
            Ok(0)
        }
        Command::Import { file, output, import } => {
            if is_input(&file, &output) {
                return Ok(EXIT_CONFLICT);
            }
            let imported = load_to_save(&file, &import)?;
            for f in &imported.findings {
                eprintln!("{}", one_line(&f.message));
            }
            crate::svg::save_file(&imported.map, &output)
                .with_context(|| format!("cannot write {}", output.display()))?;
            let areas = imported.map.iter().filter(|(_, n)| n.id.is_some()).count();
            eprintln!("wrote {} ({areas} named elements)", output.display());
            Ok(0)
        }
        Command::Diff { old, new, import, json, exit_code } => {
            let d = crate::diff::diff(&load(&old, &import)?.map, &load(&new, &import)?.map);
            if json {
                println!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                print!("{}", human_diff(&d));
            }
            Ok(u8::from(exit_code && !d.is_empty()))
        }
        Command::Check { file, import, categories, json } => {
            let imported = load(&file, &import)?;
            let table = categories.load(None)?;
            let report = check(&imported, table.as_ref());
            log::debug!("checked; peak memory {:?} KiB", peak_rss_kib());
            if json {
                let value = serde_json::json!({ "file": file.display().to_string(), "errors": report.count(Severity::Error), "warnings": report.count(Severity::Warning), "report": report });
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                print!("{}", human_report(&file, &report, table.is_some()));
            }
            Ok(if report.has_errors() { EXIT_MAP_ERROR } else { 0 })
        }
        Command::Export {
            file,
            import,
            output,
            categories,
            precision,
            include_tracing_image,
            optimise: _,
            no_optimise,
            name,
        } => {
            if is_input(&file, &output) {
                return Ok(EXIT_CONFLICT);
            }
            let imported = load(&file, &import)?;
            let table = categories.load(None)?;
            let opts = ExportOptions {
                precision,
                include_tracing_image,
                optimise: !no_optimise,
                ..ExportOptions::default()
            };
            let is_jsvg = matches!(
                output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
                Some("jsvg" | "json")
            );
            let cannot_write = || format!("cannot write {}", output.display());
            let (exported, size) = if is_jsvg {
                let name = name.unwrap_or_else(|| {
                    output.file_stem().map_or("map".into(), |s| s.to_string_lossy().into_owned())
                });
                let (jsvg, exported) = export_jsvg(
                    &imported.map,
                    &opts,
                    table.as_ref().map(|t| &t.categories),
                    &JsvgHeader::new(&name),
                );
                let bytes = serde_json::to_vec(&jsvg)?;
                write_atomic(&output, &bytes).with_context(cannot_write)?;
                (exported, bytes.len() as u64)
            } else {
                // Written to the file as it is made: the text is never held whole.
                let mut exported = None;
                write_atomic_with(&output, |file| {
                    exported = Some(write_svg(&imported.map, &opts, file)?);
                    Ok(())
                })
                .with_context(cannot_write)?;
                (exported.expect("written"), std::fs::metadata(&output)?.len())
            };
            let import_changes = imported.findings.iter().filter(|f| {
                matches!(
                    f.code,
                    "unsafe-content" | "external-reference" | "unsupported-content" | "bad-geometry"
                )
            });
            for f in import_changes {
                eprintln!("{}", one_line(&f.message));
            }
            for r in &exported.renames {
                eprintln!("{}", one_line(&format!("renamed id \"{}\" to \"{}\"", r.from, r.to)));
            }
            for (what, n) in exported.unsafe_removed.iter() {
                eprintln!("removed unsafe {what} ({n}×)");
            }
            for (what, n) in exported.removed.iter() {
                eprintln!("removed unsupported {what} ({n}×)");
            }
            for (what, n) in exported.editor_state.iter() {
                eprintln!("removed editor state {what} ({n}×)");
            }
            eprintln!("wrote {} ({size} bytes)", output.display());
            Ok(0)
        }
        Command::Render { file, import, output, width, categories, measure, no_labels, no_legend } => {
            if is_input(&file, &output) {
                return Ok(EXIT_CONFLICT);
            }
            let imported = load(&file, &import)?;
            let table = categories.load(measure.as_deref())?;
            let opts =
                RenderOptions { width, labels: !no_labels, legend: !no_legend, ..RenderOptions::default() };
            let preview = render(&imported.map, table.as_ref(), &opts)?;
            for note in &preview.notes {
                eprintln!("note: {note}");
            }
            let png = preview.to_png()?;
            write_atomic(&output, &png).with_context(|| format!("cannot write {}", output.display()))?;
            Ok(0)
        }
        Command::Generate { areas, seed, columns, output } => {
            let svg = floor_plan_in_columns(PlanSpec { areas, seed }, columns);
            write_atomic(&output, svg.as_bytes())
                .with_context(|| format!("cannot write {}", output.display()))?;
            Ok(0)
        }
    }
}

/// True (after saying so) when `output` is the input map, which is never overwritten.
fn is_input(input: &Path, output: &Path) -> bool {
    let same = matches!((input.canonicalize(), output.canonicalize()), (Ok(a), Ok(b)) if a == b);
    if same {
        eprintln!(
            "synmap: {}",
            one_line(&format!("refusing to overwrite the input map {}", input.display()))
        );
    }
    same
}

/// The human-readable diff: one line per area, `+` added, `-` removed, `>` renamed, `~` changed.
pub fn human_diff(d: &crate::diff::MapDiff) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for id in &d.added {
        let _ = writeln!(s, "+ {id}");
    }
    for id in &d.removed {
        let _ = writeln!(s, "- {id}");
    }
    for r in &d.renamed {
        let _ = writeln!(s, "> {} -> {}", r.from, r.to);
    }
    for id in &d.changed {
        let _ = writeln!(s, "~ {id}");
    }
    let _ = writeln!(
        s,
        "{} added, {} removed, {} renamed, {} changed",
        d.added.len(),
        d.removed.len(),
        d.renamed.len(),
        d.changed.len()
    );
    s
}

/// The human-readable check report.
pub fn human_report(file: &Path, report: &CheckReport, with_categories: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} error(s), {} warning(s)",
        file.display(),
        report.count(Severity::Error),
        report.count(Severity::Warning)
    );
    for f in &report.findings {
        match &f.element {
            Some(el) => {
                let _ = writeln!(
                    s,
                    "{}[{}] {}: {}",
                    f.severity.as_str(),
                    f.code,
                    one_line(el),
                    one_line(&f.message)
                );
            }
            None => {
                let _ = writeln!(s, "{}[{}] {}", f.severity.as_str(), f.code, one_line(&f.message));
            }
        }
    }
    let st = &report.stats;
    let by: Vec<String> = st.by_status.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(
        s,
        "{} elements, {} areas ({}), exported size {} bytes",
        st.elements,
        st.areas,
        by.join(", "),
        st.export_bytes
    );
    if with_categories {
        let _ = writeln!(s, "\nareas:");
        for a in &report.areas {
            // Category values come from the author's file and may hold line breaks.
            let value = a.value.as_deref().map(|v| format!(" = \"{}\"", one_line(v))).unwrap_or_default();
            let follows = a.follows.as_deref().map(|p| format!(" (follows {p})")).unwrap_or_default();
            let _ = writeln!(s, "  {:<10} {}{}{}", a.status.as_str(), a.id, value, follows);
        }
        if let Some(values) = &report.unmatched_values {
            let _ = writeln!(s, "\ncategory values that match no area ({}):", values.len());
            for v in values {
                let _ = writeln!(s, "  {}", one_line(v));
            }
        }
        if let Some(found) = report.suggestions.as_ref().filter(|f| !f.is_empty()) {
            let _ = writeln!(
                s,
                "
near misses: values that look meant for an area ({}):",
                found.len()
            );
            for f in found {
                let _ = writeln!(s, "  \"{}\" -> {} ({})", one_line(&f.value), f.area, f.reason.as_str());
            }
        }
    }
    s
}

/// Peak resident memory of this process (Linux only), for debug logs.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
