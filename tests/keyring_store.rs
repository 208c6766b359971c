//! Credentials in the real OS keyring: the Secret Service (gnome-keyring) on the test D-Bus
//! session that `scripts/test` starts.

use synmap::storage::Secret;
use synmap::storage::credentials::{self, Account};

fn platform_store() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no D-Bus session for the Secret Service: run the tests with scripts/test, which runs them as \
         `dbus-run-session -- scripts/with-keyring cargo test` (Debian packages dbus and gnome-keyring)"
    );
    credentials::use_platform_store()
        .expect("a Secret Service on the session bus (see scripts/with-keyring)");
}

#[test]
fn secrets_round_trip_through_the_secret_service() {
    platform_store();
    let storage = uuid::Uuid::new_v4().to_string();
    let edit = Account::EditKey(storage.clone());
    let phrase = Account::Passphrase(storage.clone());
    assert!(credentials::get(&edit).unwrap().is_none());
    credentials::set(&edit, &Secret::new("ek_real_keyring")).unwrap();
    credentials::set(&phrase, &Secret::new("a passphrase of some length")).unwrap();
    assert_eq!(credentials::get(&edit).unwrap().unwrap().expose(), "ek_real_keyring");
    // Replacing keeps one entry with the new value.
    credentials::set(&edit, &Secret::new("ek_second")).unwrap();
    assert_eq!(credentials::get(&edit).unwrap().unwrap().expose(), "ek_second");
    assert!(credentials::forget(&edit).unwrap());
    assert!(credentials::get(&edit).unwrap().is_none());
    assert_eq!(credentials::get(&phrase).unwrap().unwrap().expose(), "a passphrase of some length");
    assert!(credentials::forget(&phrase).unwrap());
    assert!(!credentials::forget(&phrase).unwrap());
}

#[test]
fn entries_are_filed_under_the_documented_service_and_account() {
    platform_store();
    let target = format!("site-{}", uuid::Uuid::new_v4());
    let account = Account::SasUrl(target.clone());
    credentials::set(&account, &Secret::new("https://a.blob.core.windows.net/c?sig=x")).unwrap();
    // Read back through keyring-core directly with the documented names.
    let entry = keyring_core::Entry::new("synmap", &format!("azure/{target}/sas-url")).unwrap();
    assert_eq!(entry.get_password().unwrap(), "https://a.blob.core.windows.net/c?sig=x");
    credentials::forget(&account).unwrap();
}
