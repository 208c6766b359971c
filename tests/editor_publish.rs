//! The editor's Publish panel, driven headless by accessible labels against the reference My
//! Storage server: connect with an Edit Key kept for the session only, upload the open map,
//! see it listed, rename it, download and open it, and read the network log.

mod mystorage_server;
mod support;

use egui_kittest::kittest::Queryable;
use mystorage_server::{Server, StorageSpec};
use support::editor::{Scripted, editor, wait_for, wait_loaded, wait_until};
use synmap::storage::config::{Settings, StorageConfig};

const EDIT_KEY: &str = "ek_panel_77aa01";

#[test]
fn upload_the_open_map_and_rename_it_from_the_panel() {
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

    h.get_by_label("Upload the open map").click();
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
