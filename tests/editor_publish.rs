//! The editor's Publish panel, driven headless by accessible labels against the reference My
//! Storage server: connect with an Edit Key kept for the session only, upload the open map,
//! see it listed, rename it, download and open it, and read the network log.

mod mystorage_server;
mod support;

use egui_kittest::kittest::{NodeT, Queryable};
use mystorage_server::{Server, StorageSpec};
use support::editor::{Scripted, editor, wait_for, wait_loaded, wait_until};
use synmap::storage::config::{Settings, StorageConfig};

const EDIT_KEY: &str = "ek_panel_77aa01";

/// The reference server with one storage, and a settings folder where it is configured.
fn configured_storage() -> (Server, String, tempfile::TempDir) {
    let server = Server::start();
    let storage = uuid::Uuid::new_v4().to_string();
    server.add_storage(StorageSpec::new(&storage, EDIT_KEY));
    let settings = Settings {
        storages: vec![StorageConfig {
            id: storage.clone(),
            base_url: server.base_url(),
            kdf: None,
            envelope_warning_shown: false,
        }],
        ..Settings::default()
    };
    let dir = tempfile::tempdir().unwrap();
    settings.save_to(&dir.path().join("settings.toml")).unwrap();
    (server, storage, dir)
}

/// The editor on the sample with the Publish panel open and connected to the configured
/// storage, its Edit Key typed and kept for the session only.
fn connected_editor(dir: &std::path::Path) -> egui_kittest::Harness<'static, synmap::app::EditorApp> {
    let mut h = editor(Some(support::sample()), dir, Scripted::default());
    wait_loaded(&mut h);
    h.get_by_label("Publish").click();
    h.run_steps(4);
    h.get_by_label("Remember in the OS keyring").click();
    h.run_steps(2);
    type_into(&mut h, "Edit Key of the storage", EDIT_KEY);
    h.get_by_label("Connect").click();
    wait_for(&mut h, "0 map(s) in the storage");
    h
}

/// Clicks a button of the panel once it is enabled: the panel disables its buttons while a job
/// runs, and a click on a disabled button is lost.
fn click_when_enabled(h: &mut egui_kittest::Harness<'static, synmap::app::EditorApp>, label: &str) {
    wait_until(h, &format!("{label} enabled"), |h| !h.get_by_label(label).accesskit_node().is_disabled());
    h.get_by_label(label).click();
}

#[test]
fn the_panel_publishes_optimised_unless_told_otherwise() {
    let (server, storage, dir) = configured_storage();
    let mut h = connected_editor(dir.path());
    let imported = synmap::svg::import_file(&support::sample()).unwrap();
    let svg_of = |optimise| {
        let opts = synmap::svg::ExportOptions { optimise, ..synmap::svg::ExportOptions::default() };
        synmap::svg::export_svg(&imported.map, &opts).svg
    };
    let stored = |i: usize| {
        let jsvg: serde_json::Value = serde_json::from_slice(&server.maps(&storage)[i].body).unwrap();
        jsvg["map"].as_str().unwrap().to_string()
    };
    click_when_enabled(&mut h, "Upload the open map");
    wait_for(&mut h, "Uploaded \"office-floor\"");
    assert_eq!(stored(0), svg_of(true));
    h.get_by_label("Optimise: the smallest map with the same picture").click();
    h.run_steps(2);
    click_when_enabled(&mut h, "Upload the open map");
    wait_until(&mut h, "the second upload", |_| server.maps(&storage).len() == 2);
    assert_eq!(stored(1), svg_of(false));
    assert_ne!(svg_of(false), svg_of(true));
}

#[test]
fn upload_the_open_map_and_rename_it_from_the_panel() {
    let (server, storage, dir) = configured_storage();
    let mut h = editor(Some(support::sample()), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    h.get_by_label("Publish").click();
    h.run_steps(4);
    assert!(server.requests().is_empty(), "nothing is sent before the author connects");

    h.get_by_label("Remember in the OS keyring").click();
    h.run_steps(4);
    let field = h.get_by_label("Edit Key of the storage");
    field.click();
    h.run_steps(4);
    h.get_by_label("Edit Key of the storage").type_text(EDIT_KEY);
    h.run_steps(4);
    h.get_by_label("Connect").click();
    wait_for(&mut h, "0 map(s) in the storage");

    click_when_enabled(&mut h, "Upload the open map");
    wait_for(&mut h, "Uploaded \"office-floor\"");
    let maps = server.maps(&storage);
    assert_eq!(maps.len(), 1);
    let jsvg: serde_json::Value = serde_json::from_slice(&maps[0].body).unwrap();
    assert_eq!(jsvg["name"], "office-floor");
    assert!(jsvg["map"].as_str().unwrap().contains("Office"));

    wait_for(&mut h, "1 stored map(s)");
    h.get_by_label("office-floor").click();
    h.run_steps(4);
    let field = h.get_by_label("New name");
    field.click();
    h.run_steps(4);
    h.get_by_label("New name").type_text(" v2");
    h.run_steps(4);
    h.get_by_label("Rename").click();
    wait_for(&mut h, "Renamed to \"office-floor v2\"");
    assert_eq!(server.maps(&storage)[0].name, "office-floor v2");

    // Download and open: the stored map comes back into the editor.
    wait_until(&mut h, "the renamed map listed", |h| h.query_by_label("office-floor v2").is_some());
    h.get_by_label("office-floor v2").click();
    h.run_steps(4);
    h.get_by_label("Download and open").click();
    wait_for(&mut h, "Downloaded \"office-floor\"");
    let files: Vec<_> = std::fs::read_dir(dir.path().join("data/downloads")).unwrap().collect();
    assert_eq!(files.len(), 1);
    wait_for(&mut h, "34 areas; drag rows");

    h.get_by_label("Network log").click();
    h.run_steps(4);
    assert!(h.query_by_label_contains("POST 127.0.0.1:").is_some());
    // The Edit Key was kept for this session only: not in the keyring.
    synmap::storage::credentials::use_platform_store().unwrap();
    let account = synmap::storage::credentials::Account::EditKey(storage);
    assert!(synmap::storage::credentials::get(&account).unwrap().is_none());
}

/// Types at the end of the field labelled `label`.
fn type_into(h: &mut egui_kittest::Harness<'_, synmap::app::EditorApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
    h.key_press(egui::Key::End);
    h.run_steps(1);
    h.get_by_label(label).type_text(text);
    h.run_steps(2);
}

#[test]
fn a_storage_its_encryption_and_an_azure_target_are_set_up_from_the_panel() {
    let server = Server::start();
    let storage = uuid::Uuid::new_v4().to_string();
    server.add_storage(StorageSpec::new(&storage, EDIT_KEY));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.toml");
    let mut h = editor(Some(support::sample()), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    h.get_by_label("Publish").click();
    h.run_steps(4);
    h.get_by_label("Region").click();
    h.run_steps(2);
    h.get_by_label("Another address").click();
    h.run_steps(2);
    type_into(&mut h, "Storage address (https://…)", &server.base_url());
    type_into(&mut h, "Storage id", &storage);
    // A wrong Edit Key: the server's refusal is shown and nothing is kept.
    type_into(&mut h, "Edit Key", &format!("{EDIT_KEY}x"));
    h.get_by_label("Add storage").click();
    wait_for(&mut h, "the Edit Key is missing or wrong for this storage");
    assert!(
        Settings::load_from(&path).unwrap().storages.is_empty(),
        "nothing is kept when the server refuses"
    );
    let field = h.get_by_label("Edit Key");
    field.click();
    h.run_steps(1);
    h.key_press(egui::Key::End);
    h.key_press(egui::Key::Backspace);
    h.run_steps(2);
    h.get_by_label("Add storage").click();
    wait_for(&mut h, "added");
    let settings = Settings::load_from(&path).unwrap();
    assert_eq!(settings.storages.len(), 1);
    assert_eq!(settings.storages[0].id, storage);
    assert_eq!(settings.storages[0].base_url, server.base_url());
    use synmap::storage::credentials::{self, Account};
    credentials::use_platform_store().unwrap();
    assert_eq!(
        credentials::get(&Account::EditKey(storage.clone())).unwrap().unwrap().expose(),
        EDIT_KEY,
        "the Edit Key went to the keyring, as the CLI puts it"
    );
    wait_for(&mut h, "Encryption: off");

    // Encryption: two entries that differ are refused, as in the CLI.
    h.get_by_label("Encrypt maps on this computer").click();
    h.run_steps(2);
    type_into(&mut h, "New passphrase", "correct horse battery staple");
    type_into(&mut h, "New passphrase again", "correct horse battery stapler");
    h.get_by_label("Set up encryption").click();
    h.run_steps(2);
    assert!(h.query_by_label_contains("The two entries differ.").is_some());
    h.get_by_label("New passphrase again").click();
    h.run_steps(1);
    h.key_press(egui::Key::End);
    h.key_press(egui::Key::Backspace);
    h.run_steps(2);
    h.get_by_label("Set up encryption").click();
    wait_for(&mut h, "Encryption is set up");
    let settings = Settings::load_from(&path).unwrap();
    assert!(settings.storages[0].kdf.is_some(), "the new key parameters are pinned");
    assert_eq!(
        credentials::get(&Account::Passphrase(storage.clone())).unwrap().unwrap().expose(),
        "correct horse battery staple"
    );
    wait_for(&mut h, "Encryption: on");

    // An Azure target: a URL without a signature is refused with the CLI's message.
    h.get_by_label("Azure Blob Storage").click();
    h.run_steps(2);
    type_into(&mut h, "Target name", "plans");
    type_into(
        &mut h,
        "Container SAS URL (needs write permission)",
        "https://acct.blob.core.windows.net/maps",
    );
    h.get_by_label("Add target").click();
    h.run_steps(2);
    assert!(h.query_by_label_contains("Not a container SAS URL: no SAS signature (sig=).").is_some());
    type_into(&mut h, "Container SAS URL (needs write permission)", "?sv=2024-08-04&sp=cw&sig=abc");
    h.get_by_label("Add target").click();
    h.run_steps(2);
    let settings = Settings::load_from(&path).unwrap();
    assert_eq!(settings.azure.len(), 1);
    assert_eq!(settings.azure[0].container_url, "https://acct.blob.core.windows.net/maps");
    assert_eq!(settings.storages.len(), 1, "adding a target keeps the storage");
    assert!(
        credentials::get(&Account::SasUrl("plans".into())).unwrap().unwrap().expose().contains("sig=abc")
    );

    // Offline mode, switched on from the panel.
    h.get_by_label("Offline mode").click();
    h.run_steps(2);
    assert!(Settings::load_from(&path).unwrap().offline);
    assert!(h.query_by_label_contains("Offline mode is on").is_some());
    for account in
        [Account::EditKey(storage.clone()), Account::Passphrase(storage), Account::SasUrl("plans".into())]
    {
        credentials::forget(&account).unwrap();
    }
}

#[test]
fn a_replace_that_would_remove_a_bound_area_asks_first_naming_it() {
    let (server, _, dir) = configured_storage();
    let mut h = connected_editor(dir.path());
    click_when_enabled(&mut h, "Upload the open map");
    wait_for(&mut h, "1 stored map(s)");
    // Office 101 deleted from the open map, then Replace.
    let office = support::editor::screen_point(&h, support::editor::SAMPLE_VIEW_BOX, (85.0, 150.0));
    support::editor::select_at(&mut h, office);
    h.key_press(egui::Key::Delete);
    h.run_steps(2);
    h.get_by_label("office-floor").click();
    h.run_steps(2);
    h.get_by_label("Replace with the open map").click();
    wait_for(&mut h, "would remove or rename areas the report's data binds to: Office_x20_101");
    let puts = || server.requests().iter().filter(|r| r.method == "PUT").count();
    assert_eq!(puts(), 0, "nothing replaced before the author says so");
    h.get_by_label("Replace anyway").click();
    wait_for(&mut h, "0 added, 1 removed, 0 renamed");
    assert_eq!(puts(), 1);
}
