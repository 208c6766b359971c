//! The id rules and matching rules of `synoptic-maps.md`, row by row, plus properties.

use proptest::prelude::*;
use synmap::binding::{AreaId, matches, normalize};
use synmap::ids::{UniqueIds, is_valid};

#[test]
fn every_row_of_the_matching_table() {
    let rows = [
        ("s202", "s202", true),
        ("s202", "S202", true),
        ("s202", "  s202 ", true),
        ("sec_203", "sec 203", true),
        ("sec_203", "SEC_203", true),
        ("_304", "304", true),
        ("_x24_cost", "$cost", true),
        ("Room_x20_101", "room 101", true),
        ("sec210", "sec 210", false),
        ("r_101", "r-101", false),
    ];
    for (id, value, expected) in rows {
        assert_eq!(matches(id, value), expected, "{id} vs {value:?}");
    }
}

#[test]
fn normalisation_steps_in_order() {
    // 1: one leading underscore before a digit; 2: escapes with 2 to 6 hex digits;
    // 3: remaining underscores become spaces; 4: trim; 5: Unicode lower case.
    assert_eq!(normalize("__304"), "304");
    assert_eq!(normalize("_x1F600_"), "\u{1F600}");
    assert_eq!(normalize("_x1234567_"), "x1234567");
    assert_eq!(normalize("Sector_x5F_A"), "sector a");
    assert_eq!(normalize("_x20_Ωmega_x20_"), "ωmega");
}

#[test]
fn every_row_of_the_encoding_examples() {
    for (name, id) in [
        ("Room 101", "Room_x20_101"),
        ("304", "_304"),
        ("$cost", "_x24_cost"),
        ("a/b", "a_x2F_b"),
        ("a—b", "a_x2014_b"),
    ] {
        assert_eq!(AreaId::from_name(name).unwrap().as_str(), id);
        assert_eq!(AreaId::new(id).unwrap().to_name(), name);
    }
}

#[test]
fn invalid_ids_are_refused_and_duplicates_made_unique() {
    for bad in ["", "1st", "a b", "-x", "x$"] {
        assert!(AreaId::new(bad).is_err(), "{bad:?}");
    }
    let mut taken = UniqueIds::default();
    let id = AreaId::new("Storage").unwrap();
    let ids: Vec<String> = (0..3).map(|_| taken.claim(&id).to_string()).collect();
    assert_eq!(ids, ["Storage", "Storage_2", "Storage_3"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn name_to_id_to_name_is_the_identity(name in "\\PC{1,24}") {
        let id = AreaId::from_name(&name).unwrap();
        prop_assert!(is_valid(id.as_str()), "{} is not valid", id);
        prop_assert_eq!(id.to_name(), name);
    }

    #[test]
    fn underscore_heavy_names_round_trip(name in "[_x0-9A-Fa-f $]{1,16}") {
        let id = AreaId::from_name(&name).unwrap();
        prop_assert!(is_valid(id.as_str()));
        prop_assert_eq!(id.to_name(), name);
    }

    #[test]
    fn an_encoded_name_matches_the_name(name in "[A-Za-z0-9 $/#&.-]{0,20}[A-Za-z0-9$/#&.-]") {
        let id = AreaId::from_name(&name).unwrap();
        prop_assert!(matches(id.as_str(), &name), "{} !~ {}", id, name);
    }
}
