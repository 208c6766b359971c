//! The magic wand: click inside a room of the tracing image and the region of like colour
//! around the click (walls' door gaps closed) is outlined as a preview; a second click on it, or
//! Enter, makes it a new area, Escape drops it. Shift-click adds a room to the preview,
//! Ctrl-click takes one away. The picture's regions are worked out once, on another thread, as
//! soon as the wand is over the canvas; each click then takes about a millisecond.

use std::sync::Arc;
use std::thread::JoinHandle;

use kurbo::BezPath;

use super::{
    NumberOption, OptionValue, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKey, ToolKind, ToolOption,
};
use crate::editor::{Document, EditorError};
use crate::model::{Geometry, NodeKey, TracingImage};
use crate::trace::{Picture, TraceOptions, Wand, path_of, pixels_to_map};

/// The picture's regions, ready or being worked out, for one tracing image and options.
enum Regions {
    Working(JoinHandle<Result<Wand, String>>),
    Ready(Arc<Wand>),
    Failed(String),
}

/// What the regions were worked out for: the tracing image (its text's address and length
/// stand for it while it is unchanged), where it lies, and the options.
#[derive(Clone, PartialEq)]
struct Source {
    image: (usize, usize),
    rect: kurbo::Rect,
    opts: TraceOptions,
}

/// The regions of one source, and the transform from the picture's pixels to map units.
struct Worked {
    source: Source,
    to_map: kurbo::Affine,
    regions: Regions,
}

/// The magic wand tool.
pub struct WandTool {
    tolerance: NumberOption,
    close_gaps: NumberOption,
    detail: NumberOption,
    fill_holes: bool,
    regions: Option<Worked>,
    /// The regions in the preview.
    chosen: Vec<u32>,
    /// Their outlines, in map units.
    outline: Option<BezPath>,
}

impl Default for WandTool {
    fn default() -> Self {
        let d = TraceOptions::default();
        WandTool {
            tolerance: NumberOption::new(
                "tolerance",
                "Tolerance",
                "How far a colour may stray within one room (largest difference of a channel)",
                (0.0, 255.0, ""),
                f64::from(d.tolerance),
            ),
            close_gaps: NumberOption::new(
                "close_gaps",
                "Close gaps",
                "Gaps in walls up to this wide (doors) do not join two rooms (picture pixels)",
                (0.0, 200.0, "px"),
                d.close_gaps as f64,
            ),
            detail: NumberOption::new(
                "detail",
                "Node density",
                "How far the outline may stray from the room's edge to save a node (picture pixels; lower keeps more)",
                (0.0, 10.0, "px"),
                d.detail,
            ),
            fill_holes: true,
            regions: None,
            chosen: Vec::new(),
            outline: None,
        }
    }
}

impl WandTool {
    fn opts(&self) -> TraceOptions {
        TraceOptions {
            tolerance: self.tolerance.value.round() as u8,
            close_gaps: self.close_gaps.value.round() as usize,
            detail: self.detail.value,
            ..TraceOptions::default()
        }
    }

    /// Starts working out the tracing image's regions unless they are (being) worked out for
    /// this image and these options.
    fn prepare(&mut self, tracing: Option<&TracingImage>) {
        let Some(tracing) = tracing else {
            self.regions = None;
            return;
        };
        let source = Source {
            image: (tracing.data_url.as_ptr() as usize, tracing.data_url.len()),
            rect: tracing.rect,
            opts: self.opts(),
        };
        if self.regions.as_ref().is_some_and(|w| w.source == source) {
            return;
        }
        self.chosen.clear();
        self.outline = None;
        let Some(size) = Picture::size_of_data_url(&tracing.data_url) else {
            let regions = Regions::Failed("the tracing image cannot be read".into());
            self.regions = Some(Worked { source, to_map: kurbo::Affine::IDENTITY, regions });
            return;
        };
        let (url, opts) = (tracing.data_url.clone(), source.opts.clone());
        let work = std::thread::Builder::new().name("wand".into()).spawn(move || {
            let picture = Picture::from_data_url(&url).ok_or("the tracing image cannot be read")?;
            let pixels = picture.pixels().map_err(|e| e.to_string())?;
            Ok(Wand::new(&pixels, &opts))
        });
        let regions = match work {
            Ok(handle) => Regions::Working(handle),
            Err(e) => Regions::Failed(e.to_string()),
        };
        self.regions = Some(Worked { source, to_map: pixels_to_map(tracing, size), regions });
    }

    /// The regions, waiting for them if they are still being worked out.
    fn wand(&mut self) -> Result<Arc<Wand>, String> {
        let Some(Worked { regions, .. }) = &mut self.regions else {
            return Err("the map has no tracing image".into());
        };
        if let Regions::Working(_) = regions {
            let Regions::Working(handle) = std::mem::replace(regions, Regions::Failed(String::new())) else {
                unreachable!("checked")
            };
            *regions = match handle.join() {
                Ok(Ok(wand)) => Regions::Ready(Arc::new(wand)),
                Ok(Err(e)) => Regions::Failed(e),
                Err(_) => Regions::Failed("the tracing image could not be read into regions".into()),
            };
        }
        match regions {
            Regions::Ready(wand) => Ok(wand.clone()),
            Regions::Failed(e) => Err(e.clone()),
            Regions::Working(_) => unreachable!("joined above"),
        }
    }

    /// The outline of the chosen regions, in map units.
    fn outline_of_chosen(&self, wand: &Wand) -> Option<BezPath> {
        let to_map = self.regions.as_ref()?.to_map;
        let path = path_of(&wand.outlines(&self.chosen, self.fill_holes), to_map);
        (!path.elements().is_empty()).then_some(path)
    }

    /// Makes the preview a new area (one step) and selects it.
    fn apply(&mut self, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        let Some(path) = self.outline.take() else { return Ok(Outcome::IGNORED) };
        self.chosen.clear();
        let node = super::area_node(cx.doc, Geometry::Path(path.into(), None));
        cx.finish("Magic wand", Some(node))?;
        Ok(Outcome::HANDLED)
    }
}

impl Tool for WandTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Wand
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        self.prepare(cx.doc.map().tracing.as_ref());
        match *event {
            ToolEvent::Click(p) => {
                let Some(worked) = &self.regions else { return Ok(Outcome::HANDLED) };
                let at = worked.to_map.inverse() * p;
                let wand = match self.wand() {
                    Ok(wand) => wand,
                    Err(e) => {
                        log::warn!("magic wand: {e}");
                        return Ok(Outcome::HANDLED);
                    }
                };
                let Some(region) = wand.region_at(at) else { return Ok(Outcome::HANDLED) };
                let (add, remove) = (cx.modifiers.shift, cx.modifiers.command);
                if !add && !remove && self.chosen.contains(&region) {
                    return self.apply(cx);
                }
                if remove {
                    self.chosen.retain(|&r| r != region);
                } else if add {
                    if !self.chosen.contains(&region) {
                        self.chosen.push(region);
                    }
                } else {
                    self.chosen = vec![region];
                }
                self.outline = self.outline_of_chosen(&wand);
            }
            ToolEvent::Key(ToolKey::Enter) if self.outline.is_some() => return self.apply(cx),
            ToolEvent::Key(ToolKey::Escape) if self.outline.is_some() => {
                self.chosen.clear();
                self.outline = None;
            }
            _ => return Ok(Outcome::IGNORED),
        }
        Ok(Outcome::HANDLED)
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        self.outline.clone().map(Preview::Outline).into_iter().collect()
    }

    fn busy(&self) -> bool {
        self.outline.is_some()
    }

    fn options(&self) -> Vec<ToolOption> {
        vec![
            self.tolerance.describe(),
            self.close_gaps.describe(),
            self.detail.describe(),
            ToolOption {
                id: "fill_holes",
                label: "Fill holes",
                tooltip: "Labels, furniture and hatching inside a room are part of it; off: holes stay holes",
                value: OptionValue::Toggle(self.fill_holes),
            },
        ]
    }

    fn set_option(&mut self, id: &str, value: &OptionValue) {
        self.tolerance.set(id, value);
        self.close_gaps.set(id, value);
        self.detail.set(id, value);
        if let ("fill_holes", OptionValue::Toggle(on)) = (id, value) {
            self.fill_holes = *on;
        }
        // New options: the preview goes; the regions are worked out again when next needed.
        self.chosen.clear();
        self.outline = None;
    }
}
