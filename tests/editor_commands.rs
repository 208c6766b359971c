//! The command table in the window: every shortcut it lists, pressed in the editor, runs its
//! command; menus list the commands; the palette finds and runs commands by name; and no
//! source file outside the table and the tool files names a key.

mod support;

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use support::editor::{Scripted, editor, screen_point, select_at, wait_loaded};
use synmap::app::EditorApp;
use synmap::app::command::Command;

const SAMPLE_VIEW_BOX: [f64; 4] = [0.0, 0.0, 1200.0, 800.0];

/// The sample open with Office 101 selected, and one step to undo and one to redo, so every
/// command of the table can run.
fn ready(dir: &std::path::Path) -> Harness<'static, EditorApp> {
    let file = dir.join("floor.svg");
    std::fs::copy(support::sample(), &file).unwrap();
    // Open, Save As and the exports ask for a file: the author cancels.
    let dialogs = Scripted::default();
    for _ in 0..4 {
        dialogs.answer(None);
    }
    let mut h = editor(Some(file), dir, dialogs);
    wait_loaded(&mut h);
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, office);
    for key in [egui::Key::ArrowRight, egui::Key::ArrowRight] {
        h.key_press(key);
        h.run_steps(2);
    }
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    h
}

#[test]
fn every_shortcut_of_the_table_runs_its_command() {
    let mut pressed = 0;
    for command in Command::all() {
        for shortcut in command.spec().shortcuts {
            let dir = tempfile::tempdir().unwrap();
            let mut h = ready(dir.path());
            let (_, before) = h.state().last_command();
            // The platform turns the clipboard shortcuts into clipboard events (it reads and
            // writes the system clipboard for them): send what it sends.
            match command {
                Command::Copy => h.event(egui::Event::Copy),
                Command::Cut => h.event(egui::Event::Cut),
                Command::Paste => h.event(egui::Event::Paste(
                    "<svg xmlns='http://www.w3.org/2000/svg'><rect width='5' height='5'/></svg>".into(),
                )),
                _ => h.key_press_modifiers(shortcut.modifiers, shortcut.logical_key),
            }
            h.run_steps(2);
            let (last, after) = h.state().last_command();
            assert_eq!(last, Some(command), "{shortcut:?} should run {command:?}");
            assert!(after > before, "{shortcut:?} ran nothing");
            pressed += 1;
        }
    }
    assert!(pressed > 50, "only {pressed} shortcuts in the table");
}

#[test]
fn menus_list_commands_and_the_palette_runs_them_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = ready(dir.path());
    h.get_by_label("Edit").click();
    h.run_steps(2);
    assert!(h.query_by_label("Group").is_some(), "the Edit menu lists Group");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);

    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::P);
    h.run_steps(2);
    h.get_by_label("Type a command").type_text("ellip");
    h.run_steps(2);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(
        h.state().tool(),
        synmap::editor::tools::ToolKind::Ellipse,
        "the palette picked the Ellipse tool"
    );
    assert!(h.query_by_label("Type a command").is_none(), "and closed");

    // A disabled command cannot be run from the palette.
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::P);
    h.run_steps(2);
    h.get_by_label("Type a command").type_text("redo");
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().last_command().0, Some(Command::Redo));
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::P);
    h.run_steps(2);
    h.get_by_label("Type a command").type_text("redo");
    let (_, before) = h.state().last_command();
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().last_command().1, before, "nothing is left to redo");
    h.key_press(Key::Escape);
    h.run_steps(2);

    // Arrows move through the matches; Enter runs the highlighted one.
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::P);
    h.run_steps(2);
    h.get_by_label("Type a command").type_text("zoom");
    h.run_steps(2);
    for key in [Key::ArrowDown, Key::ArrowDown, Key::ArrowDown, Key::ArrowUp] {
        h.key_press(key);
        h.run_steps(1);
    }
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(
        h.state().last_command().0,
        Some(Command::ZoomActual),
        "of Zoom to fit, 100 % and selection: down stops at the last, up goes back to the second"
    );
}

/// Files that may name egui's keys: the command table. (The tools name theirs as `ToolKey`s.)
const MAY_NAME_KEYS: [&str; 1] = ["src/app/command.rs"];

#[test]
fn no_key_is_matched_outside_the_command_table() {
    let mut offenders = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative =
                path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            // egui's `Key::…` (not `ToolKey::`, `NodeKey::`, …) or a `KeyboardShortcut`.
            let names_a_key = code
                .match_indices("Key::")
                .any(|(i, _)| !code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
                || code.contains("KeyboardShortcut");
            if names_a_key && !MAY_NAME_KEYS.contains(&relative.as_str()) {
                offenders.push(relative);
            }
        }
    }
    assert!(offenders.is_empty(), "keys named outside the command table: {offenders:?}");
}
