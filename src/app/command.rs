//! Every command of the editor in one table: label, icon, tooltip, shortcuts and where they
//! work. The menus (with their shortcuts), the toolbar, the F1 help, the command palette and
//! the keyboard are all made from it, and it is the only place that names keys: the canvas
//! hands tools the keys of [`TOOL_KEYS`], lists and trees move with [`ROW_KEYS`], and dialogs
//! use [`LIST_KEYS`], [`CONFIRM_KEY`] and [`CLOSE_KEY`].

use egui::{Key, KeyboardShortcut, Modifiers};
use egui_material_icons::MaterialIcon;
use egui_material_icons::icons as i;

use crate::editor::shaping::{Align, AlignTo, Boolean};
use crate::editor::tools::{ToolKey, ToolKind};

/// A user command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    /// A new blank map.
    NewMap,
    /// A new map traced over an image.
    NewFromImage,
    /// Open a map.
    Open,
    /// Load the report's values into the Data panel.
    LoadData,
    /// Save in place (or Save As).
    Save,
    /// Save to a new file.
    SaveAs,
    /// Export a Synoptic-ready map.
    Export,
    /// Export the preview as PNG.
    ExportPng,
    /// Close the window.
    Quit,
    /// Undo the last step.
    Undo,
    /// Redo the last undone step.
    Redo,
    /// Cut the selection to the clipboard.
    Cut,
    /// Copy the selection to the clipboard.
    Copy,
    /// Paste shapes from the clipboard.
    Paste,
    /// Copies of the selection beside it.
    Duplicate,
    /// Delete the selection.
    Delete,
    /// Select every area.
    SelectAll,
    /// Clear the selection.
    Deselect,
    /// Put the keyboard in the name field (bulk rename for several).
    Rename,
    /// Name unnamed areas from labels, an attribute or titles.
    NameAreas,
    /// Find every room of the tracing image and add them as areas.
    TraceAll,
    /// Group the selection.
    Group,
    /// Ungroup the selected groups.
    Ungroup,
    /// Hide or show the selection.
    Hide,
    /// Lock or unlock the selection.
    Lock,
    /// Show every hidden element.
    ShowAll,
    /// Unlock every locked element.
    UnlockAll,
    /// On top of its siblings.
    BringToFront,
    /// One step up.
    BringForward,
    /// One step down.
    SendBackward,
    /// Below its siblings.
    SendToBack,
    /// Move the selection by a step (10 with `big`).
    Nudge(Nudge, bool),
    /// A boolean operation between the selected shapes.
    Shape(Boolean),
    /// Line the selection up (relative to itself; to the artboard with one element).
    Align(Align),
    /// Spread the selection with equal gaps, horizontally (`true`) or vertically.
    Distribute(bool),
    /// What Align lines the selection up with.
    AlignTo(AlignTo),
    /// Cut the upper of two overlapping areas out of the lower.
    ResolveOverlap,
    /// Fit the map in the window.
    ZoomFit,
    /// One map unit per pixel.
    ZoomActual,
    /// Frame the selection.
    ZoomSelection,
    /// Fit the artboard to the map's content.
    FitArtboard,
    /// Snap to other areas.
    SnapToAreas,
    /// Snap to the grid.
    SnapToGrid,
    /// Smart guides on or off.
    SmartGuides,
    /// Colour areas by binding status.
    StatusOverlay,
    /// Show the preview pane.
    PreviewPane,
    /// Show the Publish panel.
    PublishPanel,
    /// Show or hide the Data panel.
    DataPanel,
    /// Dark theme.
    DarkTheme,
    /// Pick a tool.
    Tool(ToolKind),
    /// The keyboard shortcuts.
    Help,
    /// Find and run any command by name.
    Palette,
}

/// A nudge direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Nudge {
    /// To the left.
    Left,
    /// To the right.
    Right,
    /// Up.
    Up,
    /// Down.
    Down,
}

/// Where a command's shortcuts work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere, even while a text field has the keyboard.
    Anywhere,
    /// While the map has the keyboard: not while typing in a text field (where the same keys
    /// edit text).
    Map,
}

/// What the table says about a command.
pub struct Spec {
    /// Menu and palette label.
    pub label: &'static str,
    /// Toolbar and menu icon.
    pub icon: MaterialIcon,
    /// One sentence on what it does.
    pub tooltip: &'static str,
    /// Its shortcuts, the first one shown in menus.
    pub shortcuts: &'static [KeyboardShortcut],
    /// Where the shortcuts work.
    pub scope: Scope,
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}
const fn shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::SHIFT, key)
}
/// Ctrl on Linux and Windows, Cmd on macOS.
const fn cmd(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}
const fn cmd_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
}

/// The keys the canvas hands to the active tool before they reach commands (a tool that
/// uses one, such as Delete over a node, keeps it from the command bound to it).
pub const TOOL_KEYS: [(Key, ToolKey); 4] = [
    (Key::Enter, ToolKey::Enter),
    (Key::Escape, ToolKey::Escape),
    (Key::Delete, ToolKey::Delete),
    (Key::Backspace, ToolKey::Delete),
];

/// Held down, the primary button pans the canvas whatever the tool.
pub const PAN_KEY: Key = Key::Space;

/// In the command palette: the previous and next command.
pub const LIST_KEYS: [Key; 2] = [Key::ArrowUp, Key::ArrowDown];
/// Where a key moves the current row of a list or tree (`rows.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowMove {
    /// The row above.
    Up,
    /// The row below.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// The first row.
    First,
    /// The last row.
    Last,
    /// Close a group, or go to its parent.
    Close,
    /// Open a group, or go to its first member.
    Open,
}

/// In the Areas tree, the search results and the Problems list: the keys that move the
/// current row (with Shift, the moves up and down add to the selection).
pub const ROW_KEYS: [(Key, RowMove); 8] = [
    (Key::ArrowUp, RowMove::Up),
    (Key::ArrowDown, RowMove::Down),
    (Key::PageUp, RowMove::PageUp),
    (Key::PageDown, RowMove::PageDown),
    (Key::Home, RowMove::First),
    (Key::End, RowMove::Last),
    (Key::ArrowLeft, RowMove::Close),
    (Key::ArrowRight, RowMove::Open),
];
/// Confirms a dialog's text field (the palette, a new label).
pub const CONFIRM_KEY: Key = Key::Enter;
/// Closes the palette.
pub const CLOSE_KEY: Key = Key::Escape;

impl Command {
    /// The commands other than picking a tool, in menu order.
    const GENERAL: &'static [Command] = &[
        Command::NewMap,
        Command::NewFromImage,
        Command::Open,
        Command::LoadData,
        Command::Save,
        Command::SaveAs,
        Command::Export,
        Command::ExportPng,
        Command::Quit,
        Command::Undo,
        Command::Redo,
        Command::Cut,
        Command::Copy,
        Command::Paste,
        Command::Duplicate,
        Command::Delete,
        Command::SelectAll,
        Command::Deselect,
        Command::Rename,
        Command::NameAreas,
        Command::TraceAll,
        Command::Group,
        Command::Ungroup,
        Command::Hide,
        Command::Lock,
        Command::ShowAll,
        Command::UnlockAll,
        Command::BringToFront,
        Command::BringForward,
        Command::SendBackward,
        Command::SendToBack,
        Command::Nudge(Nudge::Left, false),
        Command::Nudge(Nudge::Right, false),
        Command::Nudge(Nudge::Up, false),
        Command::Nudge(Nudge::Down, false),
        Command::Nudge(Nudge::Left, true),
        Command::Nudge(Nudge::Right, true),
        Command::Nudge(Nudge::Up, true),
        Command::Nudge(Nudge::Down, true),
        Command::Shape(Boolean::Combine),
        Command::Shape(Boolean::Subtract),
        Command::Shape(Boolean::Intersect),
        Command::Shape(Boolean::Exclude),
        Command::ResolveOverlap,
        Command::Align(Align::Left),
        Command::Align(Align::Centre),
        Command::Align(Align::Right),
        Command::Align(Align::Top),
        Command::Align(Align::Middle),
        Command::Align(Align::Bottom),
        Command::Distribute(true),
        Command::Distribute(false),
        Command::AlignTo(AlignTo::Selection),
        Command::AlignTo(AlignTo::First),
        Command::AlignTo(AlignTo::Artboard),
        Command::ZoomFit,
        Command::ZoomActual,
        Command::ZoomSelection,
        Command::FitArtboard,
        Command::SnapToAreas,
        Command::SnapToGrid,
        Command::SmartGuides,
        Command::StatusOverlay,
        Command::PreviewPane,
        Command::PublishPanel,
        Command::DataPanel,
        Command::DarkTheme,
        Command::Help,
        Command::Palette,
    ];

    /// Every command: the general ones, then one per tool.
    pub fn all() -> impl Iterator<Item = Command> {
        Self::GENERAL.iter().copied().chain(ToolKind::ALL.map(Command::Tool))
    }

    /// The command's entry in the table.
    pub fn spec(self) -> Spec {
        use Scope::{Anywhere, Map};
        let s = |label, icon, tooltip, shortcuts, scope| Spec { label, icon, tooltip, shortcuts, scope };
        match self {
            Command::NewMap => s(
                "New map…",
                i::ICON_NOTE_ADD,
                "Start a blank map of a given size",
                const { &[cmd(Key::N)] },
                Anywhere,
            ),
            Command::NewFromImage => s(
                "New from image…",
                i::ICON_IMAGE,
                "Start a map over a floor-plan image to trace",
                const { &[] },
                Anywhere,
            ),
            Command::Open => s(
                "Open…",
                i::ICON_FOLDER_OPEN,
                "Open an SVG, SVGZ or JSVG map",
                const { &[cmd(Key::O)] },
                Anywhere,
            ),
            Command::LoadData => s(
                "Load data list…",
                i::ICON_UPLOAD_FILE,
                "Load the report's values (CSV, TSV, text, JSON, XLSX, XLS, ODS) to see which areas bind",
                const { &[cmd_shift(Key::O)] },
                Anywhere,
            ),
            Command::Save => {
                s("Save", i::ICON_SAVE, "Save the map in place", const { &[cmd(Key::S)] }, Anywhere)
            }
            Command::SaveAs => s(
                "Save As…",
                i::ICON_SAVE_AS,
                "Save the map to a new file",
                const { &[cmd_shift(Key::S)] },
                Anywhere,
            ),
            Command::Export => s(
                "Export…",
                i::ICON_UPLOAD,
                "Write a Synoptic-ready SVG or JSVG",
                const { &[cmd(Key::E)] },
                Anywhere,
            ),
            Command::ExportPng => s(
                "Export preview as PNG…",
                i::ICON_SCREENSHOT_MONITOR,
                "Save what the visual shows as an image",
                const { &[] },
                Anywhere,
            ),
            Command::Quit => s(
                "Quit",
                i::ICON_LOGOUT,
                "Close the window (asks about unsaved changes)",
                const { &[cmd(Key::Q)] },
                Anywhere,
            ),
            Command::Undo => {
                s("Undo", i::ICON_UNDO, "Take back the last step", const { &[cmd(Key::Z)] }, Map)
            }
            Command::Redo => s(
                "Redo",
                i::ICON_REDO,
                "Do the undone step again",
                const { &[cmd_shift(Key::Z), cmd(Key::Y)] },
                Map,
            ),
            Command::Cut => s(
                "Cut",
                i::ICON_CONTENT_CUT,
                "Move the selection to the clipboard, as SVG",
                const { &[cmd(Key::X)] },
                Map,
            ),
            Command::Copy => s(
                "Copy",
                i::ICON_CONTENT_COPY,
                "Copy the selection to the clipboard, as SVG",
                const { &[cmd(Key::C)] },
                Map,
            ),
            Command::Paste => s(
                "Paste",
                i::ICON_CONTENT_PASTE,
                "Paste shapes from SVG on the clipboard",
                const { &[cmd(Key::V)] },
                Map,
            ),
            Command::Duplicate => s(
                "Duplicate",
                i::ICON_FILE_COPY,
                "Copies of the selection beside it",
                const { &[cmd(Key::D)] },
                Map,
            ),
            Command::Delete => s(
                "Delete",
                i::ICON_DELETE,
                "Delete the selection",
                const { &[plain(Key::Delete), plain(Key::Backspace)] },
                Map,
            ),
            Command::SelectAll => {
                s("Select all", i::ICON_SELECT_ALL, "Select every area", const { &[cmd(Key::A)] }, Map)
            }
            Command::Deselect => {
                s("Deselect", i::ICON_DESELECT, "Clear the selection", const { &[plain(Key::Escape)] }, Map)
            }
            Command::Rename => s(
                "Rename",
                i::ICON_EDIT,
                "Type a new name (bulk rename for several)",
                const { &[cmd(Key::R)] },
                Map,
            ),
            Command::NameAreas => s(
                "Name areas…",
                i::ICON_LABEL,
                "Name the areas without a meaningful id from the labels drawn inside them, an attribute or their titles",
                const { &[] },
                Map,
            ),
            Command::TraceAll => s(
                "Trace all rooms…",
                i::ICON_AUTO_FIX_NORMAL,
                "Find every room of the tracing image enclosed by walls and add them as areas, after a preview",
                const { &[] },
                Map,
            ),
            Command::Group => s(
                "Group",
                i::ICON_GROUP_WORK,
                "Group the selection (a group can be one area)",
                const { &[cmd(Key::G)] },
                Map,
            ),
            Command::Ungroup => {
                s("Ungroup", i::ICON_UNGROUP, "Dissolve the selected groups", const { &[cmd(Key::U)] }, Map)
            }
            Command::Hide => s(
                "Hide / show",
                i::ICON_VISIBILITY_OFF,
                "Hide the selection in the editor, or show it",
                const { &[cmd(Key::H)] },
                Map,
            ),
            Command::Lock => s(
                "Lock / unlock",
                i::ICON_LOCK,
                "Keep the selection from being moved on the canvas",
                const { &[cmd(Key::L)] },
                Map,
            ),
            Command::ShowAll => s(
                "Show all",
                i::ICON_VISIBILITY,
                "Show every element hidden in the editor",
                const { &[cmd_shift(Key::H)] },
                Map,
            ),
            Command::UnlockAll => s(
                "Unlock all",
                i::ICON_LOCK_OPEN,
                "Unlock every locked element",
                const { &[cmd_shift(Key::L)] },
                Map,
            ),
            // With Shift held most layouts report `}` and `{`, not `]` and `[`: both are bound.
            Command::BringToFront => s(
                "Bring to front",
                i::ICON_FLIP_TO_FRONT,
                "Draw on top of its siblings",
                const { &[cmd_shift(Key::CloseBracket), cmd_shift(Key::CloseCurlyBracket)] },
                Map,
            ),
            Command::BringForward => s(
                "Bring forward",
                i::ICON_MOVE_UP,
                "One step up in drawing order",
                const { &[cmd(Key::CloseBracket)] },
                Map,
            ),
            Command::SendBackward => s(
                "Send backward",
                i::ICON_MOVE_DOWN,
                "One step down in drawing order",
                const { &[cmd(Key::OpenBracket)] },
                Map,
            ),
            Command::SendToBack => s(
                "Send to back",
                i::ICON_FLIP_TO_BACK,
                "Draw below its siblings",
                const { &[cmd_shift(Key::OpenBracket), cmd_shift(Key::OpenCurlyBracket)] },
                Map,
            ),
            Command::Nudge(Nudge::Left, false) => s(
                "Nudge left",
                i::ICON_ARROW_BACK,
                "Move the selection one unit",
                const { &[plain(Key::ArrowLeft)] },
                Map,
            ),
            Command::Nudge(Nudge::Right, false) => s(
                "Nudge right",
                i::ICON_ARROW_FORWARD,
                "Move the selection one unit",
                const { &[plain(Key::ArrowRight)] },
                Map,
            ),
            Command::Nudge(Nudge::Up, false) => s(
                "Nudge up",
                i::ICON_ARROW_UPWARD,
                "Move the selection one unit",
                const { &[plain(Key::ArrowUp)] },
                Map,
            ),
            Command::Nudge(Nudge::Down, false) => s(
                "Nudge down",
                i::ICON_ARROW_DOWNWARD,
                "Move the selection one unit",
                const { &[plain(Key::ArrowDown)] },
                Map,
            ),
            Command::Nudge(Nudge::Left, true) => s(
                "Nudge left by 10",
                i::ICON_ARROW_BACK,
                "Move the selection ten units",
                const { &[shift(Key::ArrowLeft)] },
                Map,
            ),
            Command::Nudge(Nudge::Right, true) => s(
                "Nudge right by 10",
                i::ICON_ARROW_FORWARD,
                "Move the selection ten units",
                const { &[shift(Key::ArrowRight)] },
                Map,
            ),
            Command::Nudge(Nudge::Up, true) => s(
                "Nudge up by 10",
                i::ICON_ARROW_UPWARD,
                "Move the selection ten units",
                const { &[shift(Key::ArrowUp)] },
                Map,
            ),
            Command::Nudge(Nudge::Down, true) => s(
                "Nudge down by 10",
                i::ICON_ARROW_DOWNWARD,
                "Move the selection ten units",
                const { &[shift(Key::ArrowDown)] },
                Map,
            ),
            Command::Shape(Boolean::Combine) => s(
                "Combine",
                i::ICON_JOIN_FULL,
                "Join the selected shapes into one area; the first selected keeps its name and binding",
                const { &[cmd(Key::K)] },
                Map,
            ),
            Command::Shape(Boolean::Subtract) => s(
                "Subtract",
                i::ICON_JOIN_LEFT,
                "Cut the upper selected shapes out of the lowest",
                const { &[] },
                Map,
            ),
            Command::Shape(Boolean::Intersect) => s(
                "Intersect",
                i::ICON_JOIN_INNER,
                "Keep only what all the selected shapes cover",
                const { &[] },
                Map,
            ),
            Command::Shape(Boolean::Exclude) => s(
                "Exclude",
                i::ICON_JOIN,
                "Keep what an odd number of the selected shapes cover",
                const { &[] },
                Map,
            ),
            Command::ResolveOverlap => s(
                "Resolve overlap",
                i::ICON_FLIP_TO_BACK,
                "Cut the upper of two overlapping areas out of the lower (the visual binds clicks there unpredictably)",
                const { &[] },
                Map,
            ),
            Command::Align(how) => {
                let (label, icon, tooltip) = match how {
                    Align::Left => ("Align left", i::ICON_ALIGN_HORIZONTAL_LEFT, "Line up the left edges"),
                    Align::Centre => (
                        "Align centres",
                        i::ICON_ALIGN_HORIZONTAL_CENTER,
                        "Line up the vertical centre lines",
                    ),
                    Align::Right => {
                        ("Align right", i::ICON_ALIGN_HORIZONTAL_RIGHT, "Line up the right edges")
                    }
                    Align::Top => ("Align top", i::ICON_ALIGN_VERTICAL_TOP, "Line up the top edges"),
                    Align::Middle => (
                        "Align middles",
                        i::ICON_ALIGN_VERTICAL_CENTER,
                        "Line up the horizontal centre lines",
                    ),
                    Align::Bottom => {
                        ("Align bottom", i::ICON_ALIGN_VERTICAL_BOTTOM, "Line up the bottom edges")
                    }
                };
                s(label, icon, tooltip, const { &[] }, Map)
            }
            Command::Distribute(horizontally) => s(
                if horizontally { "Distribute horizontally" } else { "Distribute vertically" },
                if horizontally { i::ICON_HORIZONTAL_DISTRIBUTE } else { i::ICON_VERTICAL_DISTRIBUTE },
                "Spread three or more so the gaps between them are equal",
                const { &[] },
                Map,
            ),
            Command::AlignTo(to) => {
                let (label, tooltip) = match to {
                    AlignTo::Selection => {
                        ("Align to the selection", "Align lines up with the box around the whole selection")
                    }
                    AlignTo::First => (
                        "Align to the first selected",
                        "Align lines up with the first selected element, which stays",
                    ),
                    AlignTo::Artboard => {
                        ("Align to the artboard", "Align lines up with the artboard's edges and centre")
                    }
                };
                s(label, i::ICON_ALIGN_HORIZONTAL_LEFT, tooltip, const { &[] }, Anywhere)
            }
            Command::ZoomFit => s(
                "Zoom to fit",
                i::ICON_FIT_SCREEN,
                "Fit the whole map in the window",
                const { &[cmd(Key::Num0)] },
                Anywhere,
            ),
            Command::ZoomActual => s(
                "Zoom 100 %",
                i::ICON_ZOOM_IN,
                "One map unit per screen pixel",
                const { &[cmd(Key::Num1)] },
                Anywhere,
            ),
            Command::ZoomSelection => s(
                "Zoom to selection",
                i::ICON_CENTER_FOCUS_STRONG,
                "Frame the selection",
                const { &[cmd(Key::Num2)] },
                Anywhere,
            ),
            Command::FitArtboard => s(
                "Fit artboard to content",
                i::ICON_SETTINGS_OVERSCAN,
                "Make the artboard (what the visual shows) just hold every shape not hidden",
                const { &[] },
                Map,
            ),
            Command::SnapToAreas => s(
                "Snap to areas",
                i::ICON_SHAPE_LINE,
                "Snap to the corners and edges of other areas (Alt: off while held)",
                const { &[] },
                Map,
            ),
            Command::SmartGuides => s(
                "Smart guides",
                i::ICON_STRAIGHTEN,
                "While moving or drawing, line edges and centres up with other areas' (Alt: off while held)",
                const { &[] },
                Map,
            ),
            Command::SnapToGrid => s(
                "Snap to grid",
                i::ICON_GRID_4X4,
                "Snap to the grid (Alt: off while held)",
                const { &[] },
                Map,
            ),
            Command::StatusOverlay => s(
                "Binding overlay",
                i::ICON_LAYERS,
                "Colour areas by binding status",
                const { &[cmd(Key::B)] },
                Anywhere,
            ),
            Command::PreviewPane => s(
                "Preview",
                i::ICON_PREVIEW,
                "Show what the visual will show",
                const { &[cmd(Key::P)] },
                Anywhere,
            ),
            Command::PublishPanel => s(
                "Publish",
                i::ICON_CLOUD_UPLOAD,
                "Publish to My Storage or your own hosting",
                const { &[cmd_shift(Key::U)] },
                Anywhere,
            ),
            Command::DataPanel => s(
                "Data",
                i::ICON_TABLE,
                "The report's values: what binds, what does not, and near misses to fix",
                const { &[cmd_shift(Key::D)] },
                Anywhere,
            ),
            Command::DarkTheme => {
                s("Dark theme", i::ICON_DARK_MODE, "Switch between light and dark", const { &[] }, Anywhere)
            }
            Command::Tool(ToolKind::Select) => s(
                "Select",
                i::ICON_ARROW_SELECTOR_TOOL,
                "Click, Shift-click or drag a band to select; drag to move; corner handles resize, the knob rotates",
                const { &[plain(Key::V)] },
                Map,
            ),
            Command::Tool(ToolKind::Nodes) => s(
                "Nodes",
                i::ICON_POLYLINE,
                "Drag a node; double-click an edge to add one; Delete over a node removes it",
                const { &[plain(Key::A)] },
                Map,
            ),
            Command::Tool(ToolKind::Rectangle) => s(
                "Rectangle",
                i::ICON_RECTANGLE,
                "Drag to draw a rectangular area",
                const { &[plain(Key::R)] },
                Map,
            ),
            Command::Tool(ToolKind::Ellipse) => s(
                "Ellipse",
                i::ICON_CIRCLE,
                "Drag to draw an elliptical area",
                const { &[plain(Key::L)] },
                Map,
            ),
            Command::Tool(ToolKind::Pen) => s(
                "Pen",
                i::ICON_INK_PEN,
                "Click points; click the first point, double-click or press Enter to close",
                const { &[plain(Key::B)] },
                Map,
            ),
            Command::Tool(ToolKind::Freehand) => {
                s("Freehand", i::ICON_GESTURE, "Drag an outline freehand", const { &[plain(Key::P)] }, Map)
            }
            Command::Tool(ToolKind::Line) => s(
                "Line",
                i::ICON_HORIZONTAL_RULE,
                "Drag a line (decoration, never bound)",
                const { &[plain(Key::Backslash)] },
                Map,
            ),
            Command::Tool(ToolKind::Text) => s(
                "Text",
                i::ICON_TITLE,
                "Click to place a label (decoration, never bound)",
                const { &[plain(Key::T)] },
                Map,
            ),
            Command::Tool(ToolKind::Split) => s(
                "Split",
                i::ICON_CONTENT_CUT,
                "Click a line across an area, then double-click or Enter: the area is cut along it",
                const { &[plain(Key::K)] },
                Map,
            ),
            Command::Tool(ToolKind::Wand) => s(
                "Magic wand",
                i::ICON_AUTO_FIX_HIGH,
                "Click inside a room of the tracing image to outline it; click it again or press Enter to add it as an area (Shift adds a room, Ctrl takes one away)",
                const { &[plain(Key::Y)] },
                Map,
            ),
            Command::Tool(ToolKind::Grid) => s(
                "Grid",
                i::ICON_GRID_VIEW,
                "A grid of cells (seats, parking bays, racks) follows the pointer; click to add every cell as an area",
                const { &[plain(Key::G)] },
                Map,
            ),
            Command::Tool(ToolKind::Eraser) => s(
                "Eraser",
                i::ICON_INK_ERASER,
                "Drag over shapes to delete them (one undo step per stroke), or click one",
                const { &[plain(Key::E)] },
                Map,
            ),
            Command::Tool(ToolKind::EraseNode) => s(
                "Erase node",
                i::ICON_SCATTER_PLOT,
                "Click a node of a shape to delete it",
                const { &[shift(Key::E)] },
                Map,
            ),
            Command::Tool(ToolKind::Pan) => s(
                "Pan",
                i::ICON_PAN_TOOL,
                "Drag to move the view (or hold Space, or drag with the middle button)",
                const { &[plain(Key::H)] },
                Map,
            ),
            Command::Help => s(
                "Keyboard shortcuts",
                i::ICON_HELP,
                "List every command and its keys",
                const { &[plain(Key::F1)] },
                Anywhere,
            ),
            Command::Palette => s(
                "Command palette",
                i::ICON_SEARCH,
                "Type to find any command",
                const { &[cmd_shift(Key::P)] },
                Anywhere,
            ),
        }
    }
}

/// The clipboard commands the platform delivers as clipboard events rather than key presses
/// (it reads and writes the system clipboard for them).
pub fn clipboard_command(event: &egui::Event) -> Option<Command> {
    match event {
        egui::Event::Copy => Some(Command::Copy),
        egui::Event::Cut => Some(Command::Cut),
        egui::Event::Paste(_) => Some(Command::Paste),
        _ => None,
    }
}

/// The commands whose shortcuts were pressed this frame, once per press, taking their key
/// presses out of the input. While `typing`, only shortcuts that work [`Scope::Anywhere`] count. Shortcuts with
/// more modifiers are tried first, so Ctrl+Shift+Z is not taken for Ctrl+Z.
pub fn pressed(ctx: &egui::Context, typing: bool) -> Vec<Command> {
    let mut bindings: Vec<(KeyboardShortcut, Command)> = Command::all()
        .map(|c| (c, c.spec()))
        .filter(|(_, spec)| !typing || spec.scope == Scope::Anywhere)
        .flat_map(|(c, spec)| spec.shortcuts.iter().map(move |s| (*s, c)))
        .collect();
    bindings.sort_by_key(|(s, _)| std::cmp::Reverse(modifier_count(s.modifiers)));
    let mut out = Vec::new();
    ctx.input_mut(|input| {
        for (shortcut, command) in bindings {
            // Each press counts: three quick arrow presses in one frame nudge three times.
            let presses = input.count_and_consume_key(shortcut.modifiers, shortcut.logical_key);
            out.extend(std::iter::repeat_n(command, presses));
        }
    });
    out
}

fn modifier_count(m: Modifiers) -> u8 {
    u8::from(m.alt) + u8::from(m.shift) + u8::from(m.command || m.ctrl || m.mac_cmd)
}

/// The first shortcut of a command as the platform writes it (`Ctrl+S`, `⌘S`), or "".
pub fn shortcut_text(ctx: &egui::Context, command: Command) -> String {
    command.spec().shortcuts.first().map(|s| format(ctx, s)).unwrap_or_default()
}

/// Every shortcut of a command, joined with " or ".
pub fn all_shortcuts_text(ctx: &egui::Context, command: Command) -> String {
    command.spec().shortcuts.iter().map(|s| format(ctx, s)).collect::<Vec<_>>().join(" or ")
}

/// A shortcut with modifiers by name (symbols on macOS) and the key by its symbol where the
/// fonts have one (`]`, not `CloseBracket`; arrows by name).
fn format(ctx: &egui::Context, shortcut: &KeyboardShortcut) -> String {
    if ctx.os().is_mac() {
        return ctx.format_shortcut(shortcut);
    }
    let key = match shortcut.logical_key {
        Key::ArrowLeft => "Left",
        Key::ArrowRight => "Right",
        Key::ArrowUp => "Up",
        Key::ArrowDown => "Down",
        other => other.symbol_or_name(),
    };
    let names = egui::ModifierNames::NAMES;
    let modifiers = names.format(&shortcut.modifiers, false);
    if modifiers.is_empty() { key.to_owned() } else { format!("{modifiers}{}{key}", names.concat) }
}

impl super::EditorApp {
    /// True when the command can run now (menus and the toolbar grey it out otherwise, and
    /// its shortcut does nothing).
    pub(super) fn is_enabled(&self, command: Command) -> bool {
        let has_doc = self.doc.is_some();
        let some = has_doc && !self.selection.is_empty();
        match command {
            Command::Save | Command::SaveAs | Command::Export | Command::ExportPng | Command::Paste => {
                has_doc
            }
            Command::SelectAll
            | Command::ZoomFit
            | Command::ZoomActual
            | Command::FitArtboard
            | Command::NameAreas
            | Command::ShowAll
            | Command::UnlockAll
            | Command::Tool(_) => has_doc,
            Command::TraceAll => self.doc.as_ref().is_some_and(|d| d.map().tracing.is_some()),
            Command::Undo => self.doc.as_ref().is_some_and(|d| d.undo_name().is_some()),
            Command::Redo => self.doc.as_ref().is_some_and(|d| d.redo_name().is_some()),
            Command::Cut
            | Command::Copy
            | Command::Duplicate
            | Command::Delete
            | Command::Deselect
            | Command::Rename
            | Command::Group
            | Command::Ungroup
            | Command::Hide
            | Command::Lock
            | Command::BringToFront
            | Command::BringForward
            | Command::SendBackward
            | Command::SendToBack
            | Command::Nudge(..)
            | Command::Align(_)
            | Command::Shape(_)
            | Command::ResolveOverlap
            | Command::Distribute(_)
            | Command::ZoomSelection => some,
            Command::NewMap
            | Command::NewFromImage
            | Command::Open
            | Command::Quit
            | Command::SnapToAreas
            | Command::SnapToGrid
            | Command::SmartGuides
            | Command::AlignTo(_)
            | Command::StatusOverlay
            | Command::PreviewPane
            | Command::PublishPanel
            | Command::DataPanel
            | Command::LoadData
            | Command::DarkTheme
            | Command::Help
            | Command::Palette => true,
        }
    }

    /// Whether a switch is on (`None` for commands that are not switches).
    pub(super) fn is_checked(&self, command: Command) -> Option<bool> {
        match command {
            Command::SnapToAreas => Some(self.canvas.snap.geometry),
            Command::SnapToGrid => Some(self.canvas.snap.grid),
            Command::SmartGuides => Some(self.canvas.snap.guides),
            Command::AlignTo(to) => Some(self.align_to == to),
            Command::StatusOverlay => Some(self.canvas.status_overlay),
            Command::PreviewPane => Some(self.show_preview),
            Command::PublishPanel => Some(self.show_publish),
            Command::DataPanel => Some(self.show_data),
            Command::DarkTheme => Some(self.dark),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn no_shortcut_is_bound_twice_in_one_scope() {
        let mut seen = HashSet::new();
        for c in Command::all() {
            for s in c.spec().shortcuts {
                // A shortcut that works anywhere also works over the map: one set for both.
                assert!(seen.insert((s.logical_key, s.modifiers)), "{s:?} is bound twice (again by {c:?})");
            }
        }
        for (key, _) in TOOL_KEYS {
            let tool_keys_with_commands: Vec<_> =
                Command::all().filter(|c| c.spec().shortcuts.iter().any(|s| s.logical_key == key)).collect();
            // Tool keys that also run a command are given to the tool first, by design:
            // Escape (deselect) and Delete (delete the selection).
            assert!(tool_keys_with_commands.len() <= 1, "{key:?}: {tool_keys_with_commands:?}");
        }
    }

    #[test]
    fn every_command_is_listed_once_with_a_label_and_tooltip() {
        let unique: HashSet<_> = Command::all().collect();
        assert_eq!(unique.len(), Command::all().count());
        for c in Command::all() {
            let spec = c.spec();
            assert!(!spec.label.is_empty() && !spec.tooltip.is_empty(), "{c:?}");
        }
    }
}
