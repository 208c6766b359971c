//! The canvas tools, one state machine per file: pointer and key events in map coordinates
//! in; edits (through the document's transactions), requests to the window, previews to
//! draw and a cursor out. No tool knows about egui: the window turns its input into
//! [`ToolEvent`]s and draws [`Preview`]s, and the headless [`super::harness`] does the same
//! without a window.
//!
//! A drag is an undo transaction: the tool begins it on [`ToolEvent::Press`], applies its
//! changes as the pointer moves (with [`Document::sync`] so the map shows them), commits it on
//! release and aborts it on Escape.
//!
//! Adding a tool: a file here (and its `mod` line) with a type that implements [`Tool`]; a
//! variant of [`ToolKind`] with its lines in [`ToolKind::ALL`] and [`ToolKind::make`]; and its
//! line in the window's command table (name, key, icon). Menus, toolbar, help and palette
//! list it from there.

mod ellipse;
mod eraser;
mod freehand;
mod grid;
mod line;
mod nodes;
mod pan;
mod pen;
mod rectangle;
mod select;
mod shape_drag;
mod split;
mod text;
mod wand;

use kurbo::{Affine, BezPath, Point, Vec2};

use super::document::Document;
use super::error::EditorError;
use super::snap::Snap;
use crate::edit::Change;
use crate::model::{Geometry, Node, NodeKey, NodeKind, Style};

/// The tools, in toolbar order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ToolKind {
    /// Select, move, resize and rotate.
    #[default]
    Select,
    /// Move, insert and delete the nodes of the selected shape.
    Nodes,
    /// Draw rectangles.
    Rectangle,
    /// Draw ellipses.
    Ellipse,
    /// Draw polygons point by point.
    Pen,
    /// Draw a closed outline freehand.
    Freehand,
    /// Draw lines as decoration.
    Line,
    /// Place text labels as decoration.
    Text,
    /// Cut an area in pieces along a drawn line.
    Split,
    /// Outline a room of the tracing image with a click.
    Wand,
    /// Lay out a grid of cells.
    Grid,
    /// Delete the shapes a stroke passes over.
    Eraser,
    /// Delete a node of a shape with a click.
    EraseNode,
    /// Pan the view.
    Pan,
}

impl ToolKind {
    /// Every tool, in toolbar order.
    pub const ALL: [ToolKind; 14] = [
        ToolKind::Select,
        ToolKind::Nodes,
        ToolKind::Rectangle,
        ToolKind::Ellipse,
        ToolKind::Pen,
        ToolKind::Freehand,
        ToolKind::Line,
        ToolKind::Text,
        ToolKind::Split,
        ToolKind::Wand,
        ToolKind::Grid,
        ToolKind::Eraser,
        ToolKind::EraseNode,
        ToolKind::Pan,
    ];

    /// A new tool of this kind, in its resting state.
    pub fn make(self) -> Box<dyn Tool> {
        match self {
            ToolKind::Select => Box::<select::SelectTool>::default(),
            ToolKind::Nodes => Box::<nodes::NodesTool>::default(),
            ToolKind::Rectangle => Box::<rectangle::RectangleTool>::default(),
            ToolKind::Ellipse => Box::<ellipse::EllipseTool>::default(),
            ToolKind::Pen => Box::<pen::PenTool>::default(),
            ToolKind::Freehand => Box::<freehand::FreehandTool>::default(),
            ToolKind::Line => Box::<line::LineTool>::default(),
            ToolKind::Text => Box::<text::TextTool>::default(),
            ToolKind::Split => Box::<split::SplitTool>::default(),
            ToolKind::Wand => Box::<wand::WandTool>::default(),
            ToolKind::Grid => Box::<grid::GridTool>::default(),
            ToolKind::Eraser => Box::<eraser::EraserTool>::default(),
            ToolKind::EraseNode => Box::<eraser::EraseNodeTool>::default(),
            ToolKind::Pan => Box::<pan::PanTool>::default(),
        }
    }
}

/// Keys a tool can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToolKey {
    /// Finish what is being drawn.
    Enter,
    /// Cancel what is being drawn or dragged.
    Escape,
    /// Delete (Delete or Backspace).
    Delete,
}

/// Modifier keys held during an event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Modifiers {
    /// Shift: add to the selection, constrain, snap angles.
    pub shift: bool,
    /// Alt: no snapping.
    pub alt: bool,
    /// Ctrl (Cmd on macOS): a click selects the area itself, even inside a group.
    pub command: bool,
}

/// What the pointer or keyboard did, in map (document) coordinates.
#[derive(Clone, Debug, PartialEq)]
pub enum ToolEvent {
    /// A drag begins where the button went down.
    Press(Point),
    /// The pointer moved with the button down.
    Drag(Point),
    /// The button came up at the end of a drag.
    Release(Point),
    /// A press and release without a drag.
    Click(Point),
    /// A second click in quick succession.
    DoubleClick(Point),
    /// The pointer moved with no button down (or left the canvas: `None`).
    Hover(Option<Point>),
    /// A key went down while the canvas has the keyboard.
    Key(ToolKey),
}

/// What a tool asks of the window beyond editing the document.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Ask the author for a label's text, then place it here.
    AskText {
        /// Where the label goes.
        at: Point,
        /// Its font size.
        font_size: f64,
    },
    /// Move the view so the map moves this many map units on screen.
    Pan(Vec2),
}

/// The pointer shape over the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// The arrow.
    Default,
    /// Crosshair, for drawing.
    Crosshair,
    /// An open hand, for panning.
    Grab,
    /// A closed hand, while panning.
    Grabbing,
    /// A text caret.
    Text,
    /// Moving the selection.
    Move,
}

/// What a tool draws over the map while it works, in map coordinates.
#[derive(Clone, Debug, PartialEq)]
pub enum Preview {
    /// The outline of a shape being drawn.
    Outline(BezPath),
    /// A rubber band selecting what it encloses.
    Band(kurbo::Rect),
    /// Square handles (corners, nodes).
    Handles(Vec<Point>),
    /// A round handle joined to a point (the rotation knob and the edge it stands on).
    Knob {
        /// The knob.
        at: Point,
        /// The point it stands on.
        from: Point,
    },
    /// A ring marking a point that finishes the shape when clicked.
    Ring(Point),
    /// The box of the group the author has entered.
    Group(kurbo::Rect),
}

/// A tool's option as data: the window draws the options bar from it.
#[derive(Clone, Debug, PartialEq)]
pub struct ToolOption {
    /// Stable name, for [`Tool::set_option`].
    pub id: &'static str,
    /// Label in the options bar.
    pub label: &'static str,
    /// What it does, on hover.
    pub tooltip: &'static str,
    /// Its value and range.
    pub value: OptionValue,
}

/// The value of a tool option.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    /// A number in a range, with its unit.
    Number {
        /// The value.
        value: f64,
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
        /// Unit shown after it.
        unit: &'static str,
    },
    /// On or off.
    Toggle(bool),
    /// One of a few named choices.
    Choice {
        /// The index of the one chosen.
        value: usize,
        /// The choices' names.
        choices: &'static [&'static str],
    },
    /// A short text.
    Text(String),
}

/// The editor state a tool works on during one event.
pub struct ToolContext<'a> {
    /// The document; tools change it only through its transactions.
    pub doc: &'a mut Document,
    /// The selection, which tools may change.
    pub selection: &'a mut Vec<NodeKey>,
    /// Snapping settings.
    pub snap: Snap,
    /// Modifier keys held.
    pub modifiers: Modifiers,
    /// Map units per screen pixel at the current zoom (handles and snapping are a few pixels
    /// wide whatever the zoom).
    pub units_per_pixel: f64,
    /// Smart guide lines the tool snapped to during this event, for the window to draw.
    pub guides: Vec<kurbo::Line>,
}

impl ToolContext<'_> {
    /// `pixels` screen pixels in map units.
    pub fn pixels(&self, pixels: f64) -> f64 {
        pixels * self.units_per_pixel
    }

    /// Where `p` snaps to (nothing with Alt held); `editing` is the shape whose own nodes are
    /// not snapped to.
    pub fn snapped(&mut self, p: Point, editing: Option<NodeKey>) -> Point {
        let p = if self.modifiers.alt {
            p
        } else {
            let radius = self.pixels(8.0);
            self.snap.apply_with_guides(self.doc, p, radius, editing, &mut self.guides)
        };
        self.rounded(p)
    }

    /// `p` rounded to five significant digits of the artboard's larger side (0.1 on a
    /// 1200-unit plan, 0.01 on a map in degrees), so drawn coordinates are saved clean.
    pub fn rounded(&self, p: Point) -> Point {
        // Divided by a whole power of ten, so 101 / 10 is the double nearest 10.1.
        let per_unit = steps_per_unit(self.doc.map().view_box.rect());
        Point::new((p.x * per_unit).round() / per_unit, (p.y * per_unit).round() / per_unit)
    }

    /// Ends a drawing: adds `node` at the top level and selects it, within the transaction the
    /// tool began on press (or as a step of its own named `name` when none is open); with no
    /// node (too small to keep), the open transaction is aborted and nothing is recorded.
    pub fn finish(&mut self, name: &str, node: Option<Node>) -> Result<(), EditorError> {
        let Some(node) = node else {
            self.doc.abort();
            return Ok(());
        };
        let key = if self.doc.in_transaction() {
            let key = self.doc.apply(Change::Add(None, usize::MAX, Box::new(node)))?;
            self.doc.commit();
            key.expect("an added node is named by its inverse")
        } else {
            self.doc.add(name, None, node)?
        };
        *self.selection = vec![key];
        Ok(())
    }
}

/// What a tool did with an event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// The tool used the event (a key it used is not also a command's shortcut).
    pub handled: bool,
    /// What it asks of the window.
    pub request: Option<Request>,
}

impl Outcome {
    /// The event was used.
    pub const HANDLED: Outcome = Outcome { handled: true, request: None };
    /// The event was not for this tool.
    pub const IGNORED: Outcome = Outcome { handled: false, request: None };

    /// The event was used and the window is asked for `request`.
    pub fn request(request: Request) -> Outcome {
        Outcome { handled: true, request: Some(request) }
    }
}

/// A canvas tool: a state machine fed events.
pub trait Tool {
    /// Which tool this is.
    fn kind(&self) -> ToolKind;

    /// Handles one event. An error leaves the document as it was before the event.
    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError>;

    /// What to draw over the map now.
    fn preview(&self, doc: &Document, selection: &[NodeKey], units_per_pixel: f64) -> Vec<Preview>;

    /// The pointer shape.
    fn cursor(&self) -> Cursor {
        Cursor::Crosshair
    }

    /// True while the tool is in the middle of something (a drag, a shape being drawn): the
    /// hover tooltip waits.
    fn busy(&self) -> bool;

    /// The tool's options.
    fn options(&self) -> Vec<ToolOption> {
        Vec::new()
    }

    /// Sets an option by its id (values are clamped to its range).
    fn set_option(&mut self, _id: &str, _value: &OptionValue) {}

    /// The group the author has entered (clicks select among its members), if any.
    fn entered(&self) -> Option<NodeKey> {
        None
    }
}

/// How many steps per map unit drawn coordinates are rounded to: a power of ten that keeps
/// five significant digits of the artboard's larger side (10 for 1200 units, 100 for 360).
fn steps_per_unit(artboard: kurbo::Rect) -> f64 {
    let side = artboard.width().max(artboard.height());
    if side.is_finite() && side > 0.0 { 10f64.powi(4 - side.log10().floor() as i32) } else { 1.0 }
}

/// A new area with a fresh, valid, unique id and the default area style.
pub fn area_node(doc: &Document, geometry: Geometry) -> Node {
    let mut node = Node::new(NodeKind::Shape(geometry));
    node.id = Some(doc.fresh_id("Area").into());
    node.style = Style::new_area();
    node
}

/// A new area with `geometry`, or `None` when it is under one unit across (a slip of the
/// pointer, not a shape).
fn sized_area(doc: &Document, geometry: Geometry) -> Option<Node> {
    let b = geometry.bounding_box_with(Affine::IDENTITY);
    (b.width() >= 1.0 && b.height() >= 1.0).then(|| area_node(doc, geometry))
}

/// A closed outline through `points` as a new area (none for fewer than three points or an
/// outline under one unit across).
fn polygon_area(doc: &Document, points: Vec<Point>) -> Option<Node> {
    if points.len() < 3 {
        return None;
    }
    sized_area(doc, Geometry::Polygon(points))
}

/// A polyline through `points` (open), for outlines being drawn.
/// A closed path through `points` (a lasso).
fn polygon_path(points: &[Point]) -> BezPath {
    let mut path = polyline(points);
    if points.len() > 2 {
        path.close_path();
    }
    path
}

fn polyline(points: &[Point]) -> BezPath {
    let mut path = BezPath::new();
    for (i, p) in points.iter().enumerate() {
        if i == 0 {
            path.move_to(*p);
        } else {
            path.line_to(*p);
        }
    }
    path
}

/// A tool's number option: what it is and its current value.
pub struct NumberOption {
    id: &'static str,
    label: &'static str,
    tooltip: &'static str,
    min: f64,
    max: f64,
    unit: &'static str,
    /// The current value.
    pub value: f64,
}

impl NumberOption {
    /// An option `id` shown as `label` with `tooltip`, in `min..=max` `unit`s, set to `value`.
    pub const fn new(
        id: &'static str,
        label: &'static str,
        tooltip: &'static str,
        (min, max, unit): (f64, f64, &'static str),
        value: f64,
    ) -> Self {
        NumberOption { id, label, tooltip, min, max, unit, value }
    }

    /// The option as the options bar draws it.
    pub fn describe(&self) -> ToolOption {
        ToolOption {
            id: self.id,
            label: self.label,
            tooltip: self.tooltip,
            value: OptionValue::Number { value: self.value, min: self.min, max: self.max, unit: self.unit },
        }
    }

    /// Takes a new value when `id` is this option's, clamped to its range.
    pub fn set(&mut self, id: &str, value: &OptionValue) {
        if let OptionValue::Number { value, .. } = value
            && id == self.id
            && value.is_finite()
        {
            self.value = value.clamp(self.min, self.max);
        }
    }
}
