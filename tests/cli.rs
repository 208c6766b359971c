//! The command line on real files: check (text and JSON), export (SVG and JSVG), render and
//! generate, with their exit statuses.

mod support;

use std::time::Duration;

use support::{fixture, run_with_watchdog, synmap};

fn run(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut cmd = synmap();
    cmd.args(args);
    run_with_watchdog(cmd, Duration::from_secs(120))
}

macro_rules! args {
    ($($a:expr),* $(,)?) => { &[$(std::ffi::OsStr::new(&$a)),*] };
}

#[test]
fn check_reports_errors_with_exit_status_1() {
    let out = run(args!["check", fixture("illustrator.svg")]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("error[duplicate-id] Storage"), "{text}");
    assert!(text.contains("warning[css-classes]"), "{text}");
}

#[test]
fn the_sample_map_is_clean() {
    let out =
        run(args!["check", support::sample(), "--categories", "assets/samples/office-floor-values.csv"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("matched"), "{text}");
    assert!(text.contains("Office 999") && text.contains("Roof Terrace"), "unmatched values listed: {text}");
}

#[test]
fn check_warns_of_areas_outside_the_artboard() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("m.svg");
    std::fs::write(
        &map,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
        <rect id="Inside" x="10" y="10" width="20" height="20"/>
        <rect id="Astride" x="90" y="10" width="20" height="20"/>
        <rect id="Beyond" x="200" y="200" width="20" height="20"/></svg>"#,
    )
    .unwrap();
    let out = run(args!["check", map]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("warning[outside-artboard] Beyond: \"Beyond\" is outside the artboard"), "{text}");
    assert!(text.contains("warning[outside-artboard] Astride: \"Astride\" is partly outside"), "{text}");
    assert!(!text.contains("] Inside"), "{text}");
    assert_eq!(out.status.code(), Some(0), "a warning, not an error");
}

#[test]
fn check_json_with_categories() {
    let out = run(args!["check", fixture("web.svg"), "--categories", fixture("categories.txt"), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["errors"], 0);
    let areas = v["report"]["areas"].as_array().unwrap();
    let status =
        |id: &str| areas.iter().find(|a| a["id"] == id).map(|a| a["status"].as_str().unwrap().to_owned());
    assert_eq!(status("Room_x20_A1").as_deref(), Some("matched"));
    assert_eq!(status("Meeting").as_deref(), Some("strong"));
    assert_eq!(status("Lab").as_deref(), Some("unbound"));
    assert_eq!(status("Stairs").as_deref(), Some("link"));
    assert_eq!(status("Room_x20_B3").as_deref(), Some("unmatched"));
    assert_eq!(status("Elevator"), None, "decorations are not areas");
    let a1 = areas.iter().find(|a| a["id"] == "Room_x20_A1").unwrap();
    assert_eq!(a1["value"], "Sector A", "members of a matched group take its value");
    assert_eq!(a1["follows"], "Sector_x20_A");
    let b1 = areas.iter().find(|a| a["id"] == "Room_x20_B1").unwrap();
    assert!(b1.get("follows").is_none(), "an unmatched group passes nothing down");
    let unmatched: Vec<&str> =
        v["report"]["unmatched_values"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    // Values matching members of a matched group, or unbound and decoration elements, bind nothing.
    assert_eq!(unmatched, ["Room A1", "room a2", "ROOM A3", "Desk 1", "Lab", "Elevator", "Lobby", "Room C9"]);
}

#[test]
fn check_csv_column_option() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("c.csv");
    std::fs::write(&csv, "Sales,Where\n1,Room 101\n2,nowhere\n").unwrap();
    let out =
        run(args!["check", fixture("illustrator.svg"), "--categories", csv, "--column", "Where", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["report"]["unmatched_values"], serde_json::json!(["nowhere"]));
    let missing = run(args!["check", fixture("illustrator.svg"), "--categories", csv, "--column", "Nope"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no column named \"Nope\""));
}

#[test]
fn export_svg_reports_renames_and_removals() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("ready.svg");
    let out = run(args!["export", fixture("illustrator.svg"), "-o", out_path]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("renamed id \"Storage\" to \"Storage_2\""), "{err}");
    assert!(err.contains("wrote "), "{err}");
    let hostile = run(args!["export", fixture("hostile.svg"), "-o", dir.path().join("h.svg")]);
    let err = String::from_utf8(hostile.stderr).unwrap();
    assert!(err.contains("removed unsafe non-https data-okviz-drill-url (1×)"), "{err}");
    assert!(err.contains("removed unsafe non-https data-okviz-link-url (1×)"), "{err}");
    let svg = std::fs::read_to_string(&out_path).unwrap();
    assert!(svg.contains("id=\"Storage_2\"") && !svg.contains("class="));
    let again = run(args!["check", out_path]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stdout));
}

#[test]
fn export_jsvg_maps_categories_and_rects() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("plan.jsvg");
    let out = run(args![
        "export",
        fixture("illustrator.svg"),
        "-o",
        out_path,
        "--categories",
        fixture("categories.csv")
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert!(v["id"].as_str().unwrap().starts_with('_'));
    assert_eq!(v["name"], "plan");
    assert_eq!(v["source"], "plan.svg");
    assert_eq!(v["meta"]["size"].as_u64().unwrap() as usize, v["map"].as_str().unwrap().len());
    let matched = v["dataMapping"]["areas"]["matched"].as_object().unwrap();
    let unmatched = v["dataMapping"]["areas"]["unmatched"].as_object().unwrap();
    assert_eq!(matched["_x33_04"]["label"], "304");
    assert_eq!(matched["_x33_04"]["id"], "_x33_04");
    assert_eq!(matched["_x33_04"]["value"], "304");
    assert_eq!(matched["Sector_x5F_A"]["label"], "Sector_A");
    assert!(!matched.contains_key("Room_x20_101"), "members of a matched group are not separate entries");
    assert!(unmatched.contains_key("_x33_05") && unmatched.contains_key("Storage_2"));
    assert_eq!(
        v["mapRects"]["_x33_04"],
        serde_json::json!({"x": 40.0, "y": 220.0, "width": 140.0, "height": 120.0})
    );
    assert_eq!(
        v["mapRects"]["Sector_x5F_A"],
        serde_json::json!({"x": 40.0, "y": 40.0, "width": 600.0, "height": 120.0})
    );
    // The JSVG opens again.
    let back = run(args!["check", out_path]);
    assert_eq!(back.status.code(), Some(0));
}

#[test]
fn export_without_categories_leaves_everything_unmatched() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("m.json");
    run(args!["export", fixture("web.svg"), "-o", out_path]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    assert!(v["dataMapping"]["areas"]["matched"].as_object().unwrap().is_empty());
    assert!(v["dataMapping"]["areas"]["unmatched"].as_object().unwrap().contains_key("Room_x20_A1"));
}

#[test]
fn export_never_overwrites_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("m.svg");
    std::fs::copy(fixture("web.svg"), &p).unwrap();
    let before = std::fs::read(&p).unwrap();
    let out = run(args!["export", p, "-o", p]);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(std::fs::read(&p).unwrap(), before);
}

fn decode_png(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    (info.width, info.height, buf)
}

#[test]
fn render_colours_areas_by_status() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("p.png");
    let out = run(args![
        "render",
        fixture("web.svg"),
        "-o",
        out_path,
        "--width",
        "640",
        "--categories",
        fixture("categories.txt"),
        "--no-labels"
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let (w, h, rgb) = decode_png(&out_path);
    assert_eq!(w, 640);
    assert!(h > 480, "legend below the map: {h}");
    let at = |x: u32, y: u32| {
        let i = ((y * w + x) * 3) as usize;
        [rgb[i], rgb[i + 1], rgb[i + 2]]
    };
    assert_eq!(at(90, 100), [0x3C, 0xB3, 0x71], "Room A1 matched");
    assert_eq!(at(560, 100), [0xF2, 0xB1, 0x34], "Room B1 unmatched");
    assert_eq!(at(400, 220), [0x3B, 0x7D, 0xD8], "Meeting strong");
    assert_eq!(at(60, 350), [0xC8, 0xC8, 0xC8], "Lab unbound");
    assert_eq!(at(390, 400), [0x8E, 0x5B, 0xD0], "Stairs link");
}

#[test]
fn render_labels_and_measure_scale() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("a.png");
    let labelled = dir.path().join("b.png");
    run(args!["render", fixture("illustrator.svg"), "-o", plain, "--width", "800", "--no-labels"]);
    run(args!["render", fixture("illustrator.svg"), "-o", labelled, "--width", "800"]);
    assert_ne!(decode_png(&plain).2, decode_png(&labelled).2, "labels are drawn");
    let scaled = dir.path().join("c.png");
    let out = run(args![
        "render",
        fixture("illustrator.svg"),
        "-o",
        scaled,
        "--width",
        "800",
        "--categories",
        fixture("categories.csv"),
        "--no-labels"
    ]);
    assert_eq!(out.status.code(), Some(0));
    let (w, _, rgb) = decode_png(&scaled);
    let at = |x: u32, y: u32| {
        let i = ((y * w + x) * 3) as usize;
        [rgb[i], rgb[i + 1], rgb[i + 2]]
    };
    // Sector A (5000) is the maximum of the Sales column and colours its member rooms.
    assert_eq!(at(120, 100), [0xC0, 0x39, 0x2B], "highest value: end of the scale");
    assert_eq!(at(250, 280), [0xE0, 0xE0, 0xE0], "305 has no value");
}

#[test]
fn generate_then_check() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("plan.svg");
    let out = run(args!["generate", "--areas", "500", "--seed", "3", "-o", p]);
    assert_eq!(out.status.code(), Some(0));
    let out = run(args!["check", p, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_status = &v["report"]["stats"]["by_status"];
    assert_eq!(by_status["unmatched"].as_u64().unwrap() - 1, 500, "500 rooms and the floor group: {v}");
}

/// A pipe has no size: what it holds is read to its end, as from a file (`<(…)`, `/dev/stdin`).
#[cfg(unix)]
#[test]
fn a_map_piped_in_is_read_whole() {
    use std::io::Write;
    let mut cmd = synmap();
    cmd.args(["check", "--json", "/dev/stdin"]).stdin(std::process::Stdio::piped());
    cmd.stdout(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("start synmap");
    let map = std::fs::read(support::sample()).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&map));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let piped: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let read = run(args!["check", "--json", support::sample()]);
    let read: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    assert!(piped["report"]["stats"]["areas"].as_u64().unwrap() > 30, "{piped}");
    assert_eq!(piped["report"], read["report"], "the piped map is checked as the file is");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(args!["check"]).status.code(), Some(2));
    assert_eq!(run(args!["render", "x.svg"]).status.code(), Some(2));
}

#[test]
fn a_read_only_output_is_refused_as_a_conflict_and_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("ready.svg");
    std::fs::write(&out_path, b"keep me").unwrap();
    std::fs::set_permissions(&out_path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = run(args!["export", fixture("illustrator.svg"), "-o", out_path]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(std::fs::read(&out_path).unwrap(), b"keep me");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left");
}

#[test]
fn a_category_value_with_a_line_break_stays_on_its_line_of_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("values.csv");
    std::fs::write(&csv, "Room,Seats\n\"Storage\nsecond line\",1\nOffice 101,2\n").unwrap();
    let out = run(args!["check", fixture("illustrator.svg"), "--categories", csv]);
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.lines().any(|l| l.trim() == "Storage second line"), "{report}");
    assert!(!report.lines().any(|l| l.trim() == "second line\""), "{report}");
}

#[test]
fn check_suggests_the_area_a_near_miss_was_meant_for() {
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("values.csv");
    // A separator slip, a typing slip, a value two rooms are equally near, and an exact match.
    std::fs::write(&values, "Room,Sales\nOffice-102,2\nMeeting Room Stockholmm,3\nOffice 1O1,1\nKitchen,4\n")
        .unwrap();
    let out = run(args!["check", support::sample(), "--categories", values, "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let suggestions = &report["report"]["suggestions"];
    assert_eq!(
        suggestions,
        &serde_json::json!([
            {"value": "Office-102", "area": "Office_x20_102", "reason": "separators"},
            {"value": "Meeting Room Stockholmm", "area": "Meeting_x20_Room_x20_Stockholm", "reason": "edit-distance"}
        ]),
        "Office 1O1 is as near Office 101 as Office 111: no suggestion"
    );
    let text = run(args!["check", support::sample(), "--categories", values]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("\"Office-102\" -> Office_x20_102 (separators)"), "{text}");
}

#[test]
fn diff_lists_added_removed_renamed_and_changed_areas() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| {
        let path = dir.path().join(name);
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">{body}</svg>");
        std::fs::write(&path, svg).unwrap();
        path
    };
    let old = write(
        "old.svg",
        r#"<rect id="A" width="10" height="10"/><rect id="B" x="20" width="10" height="10"/><rect id="C" x="40" width="10" height="10"/>"#,
    );
    let new = write(
        "new.svg",
        r#"<rect id="A" y="5" width="10" height="10"/><rect id="B2" x="20" width="10" height="10"/><rect id="D" x="60" width="10" height="10"/>"#,
    );
    let out = run(args!["diff", old, new, "--json"]);
    assert_eq!(out.status.code(), Some(0), "maps that differ are no failure without --exit-code");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"added": ["D"], "removed": ["C"], "renamed": [{"from": "B", "to": "B2"}], "changed": ["A"]})
    );
    let out = run(args!["diff", old, new, "--exit-code"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("> B -> B2") && text.ends_with("1 added, 1 removed, 1 renamed, 1 changed\n"),
        "{text}"
    );
    assert_eq!(run(args!["diff", old, old, "--exit-code"]).status.code(), Some(0));
}

#[test]
fn name_gives_unnamed_rooms_the_labels_drawn_inside_them() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.svg");
    std::fs::write(
        &plan,
        concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 100\">",
            "<g id=\"layer1\"><path id=\"path12\" d=\"M0 0H100V100H0Z\"/><rect id=\"rect7\" x=\"100\" width=\"100\" height=\"100\"/>",
            "<rect x=\"200\" width=\"100\" height=\"100\"/><rect id=\"Store\" x=\"0\" y=\"0\" width=\"10\" height=\"10\"/></g>",
            "<g id=\"labels\"><text x=\"50\" y=\"50\">Room 101</text><text x=\"150\" y=\"50\">Room 102</text>",
            "<text x=\"250\" y=\"50\">Room 101</text></g>",
            "</svg>"
        ),
    )
    .unwrap();
    let named = dir.path().join("named.svg");
    let out = run(args!["name", plan, "--from-labels", "-o", named]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        said,
        "path12 -> Room_x20_101\nrect7 -> Room_x20_102\n(no id) -> Room_x20_101_2 (the name was taken: numbered)\n"
    );
    let map = synmap::svg::import_file(&named).unwrap().map;
    let room = map.find_id("Room_x20_101").unwrap();
    assert_eq!(map.node(room).title.as_deref(), Some("Room 101"));
    assert!(map.find_id("Store").is_some() && map.find_id("layer1").is_some(), "named ids and groups stay");
    assert_eq!(run(args!["name", plan, "-o", named]).status.code(), Some(2), "a source is required");
    assert_eq!(
        run(args!["name", plan, "--from-titles", "-o", plan]).status.code(),
        Some(4),
        "never over the input"
    );
}

#[test]
fn check_matches_a_hierarchy_level_by_level() {
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("zones.csv");
    std::fs::write(&values, "Zone,Room\nZone North,Office 101\nZone North,Office 111\nZone East,Office 110\nZone East,Office 404\nZone South,Office 999\n").unwrap();
    let out = run(args![
        "check",
        support::sample(),
        "--categories",
        values,
        "--column",
        "Room",
        "--parent-column",
        "Zone",
        "--json"
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let h = &report["report"]["hierarchy"];
    assert_eq!(h["unmatched_parents"], serde_json::json!(["Zone South"]));
    assert_eq!(h["unmatched_values"], serde_json::json!([["Zone East", "Office 404"]]));
    assert_eq!(h["misplaced"][0]["value"], "Office 111");
    assert_eq!(h["misplaced"][0]["group"], "Zone_x20_East");
    assert_eq!(h["misplaced"].as_array().unwrap().len(), 1);
    let text = String::from_utf8(
        run(args![
            "check",
            support::sample(),
            "--categories",
            values,
            "--column",
            "Room",
            "--parent-column",
            "Zone"
        ])
        .stdout,
    )
    .unwrap();
    assert!(
        text.contains(
            "warning[hierarchy-misplaced] Office_x20_111: \"Office 111\" belongs under \"Zone North\""
        ),
        "{text}"
    );
}

#[test]
fn check_warns_of_overlapping_areas_but_not_of_rooms_sharing_a_wall() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("overlap.svg");
    std::fs::write(
        &map,
        concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\">",
            "<rect id=\"A\" width=\"10\" height=\"10\"/><rect id=\"B\" x=\"10\" width=\"10\" height=\"10\"/>",
            "<rect id=\"C\" x=\"15\" y=\"5\" width=\"10\" height=\"10\"/>",
            "<circle id=\"D\" cx=\"50\" cy=\"50\" r=\"10\"/><rect id=\"E\" x=\"58\" y=\"58\" width=\"10\" height=\"10\"/></svg>"
        ),
    )
    .unwrap();
    let out = run(args!["check", map]);
    let text = String::from_utf8(out.stdout).unwrap();
    let overlaps: Vec<&str> = text.lines().filter(|l| l.contains("overlapping-areas")).collect();
    assert_eq!(overlaps.len(), 1, "{text}");
    assert!(overlaps[0].contains("\"B\" and \"C\" overlap (25 % of the smaller)"), "{text}");
}

#[test]
fn geojson_maps_are_read_by_every_command_and_imported_with_options() {
    let dir = tempfile::tempdir().unwrap();
    let geo = dir.path().join("regions.geojson");
    std::fs::write(
        &geo,
        r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "Nord", "code": "N1"}, "geometry": {"type": "Polygon",
             "coordinates": [[[2.0, 50.0], [4.0, 50.0], [4.0, 51.0], [2.0, 51.0], [2.0, 50.0]]]}},
            {"type": "Feature", "properties": {"name": "Sud", "code": "S1"}, "geometry": {"type": "MultiPolygon",
             "coordinates": [[[[2.0, 43.0], [4.0, 43.0], [4.0, 44.0], [2.0, 43.0]]], [[[8.5, 41.5], [9.5, 41.5], [9.0, 43.0], [8.5, 41.5]]]]}}
        ]}"#,
    )
    .unwrap();
    let out = run(args!["check", geo, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> =
        report["report"]["areas"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Nord", "Sud"], "one area per feature, named by its name property");
    let png = dir.path().join("regions.png");
    assert_eq!(run(args!["render", geo, "-o", png, "--width", "256"]).status.code(), Some(0));
    let svg = dir.path().join("regions.svg");
    let out = run(args![
        "import",
        geo,
        "-o",
        svg,
        "--id-property",
        "code",
        "--title-property",
        "name",
        "--projection",
        "equirectangular"
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let map = synmap::svg::import_file(&svg).unwrap().map;
    let nord = map.find_id("N1").expect("named by --id-property");
    assert_eq!(map.node(nord).title.as_deref(), Some("Nord"));
    let (n, s) = (map.bbox_in_doc(nord).unwrap(), map.bbox_in_doc(map.find_id("S1").unwrap()).unwrap());
    assert!(n.y1 < s.y0, "north is up");
    assert!((n.height() / n.width() - 0.5).abs() < 1e-6, "equirectangular keeps degrees as they are: {n:?}");
}

#[test]
fn version_says_the_commit_it_was_built_from() {
    let out = run(args!["--version"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let inner = text
        .trim()
        .strip_prefix(&format!("synmap {} (", env!("CARGO_PKG_VERSION")))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        inner == "unknown" || (inner.len() == 12 && inner.bytes().all(|b| b.is_ascii_hexdigit())),
        "{text}"
    );
    let head = std::process::Command::new("git").args(["rev-parse", "--short=12", "HEAD"]).output();
    if let Some(head) = head.ok().filter(|h| h.status.success()) {
        assert_eq!(inner, String::from_utf8_lossy(&head.stdout).trim(), "built from this checkout's commit");
    }
}

/// The commands that save a map (import, name) keep each path's text as it was written; those
/// that only read it (check, export) leave it out, and export the same map.
#[test]
fn commands_that_save_keep_the_path_text_and_those_that_only_read_export_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("plan.svg");
    std::fs::write(
        &map,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><path id="Hall" d="m 10.5,10 h 30.25 v 20 h -30.25 z"/><path d="m 50,50 l 10,0 0,10 z"/></svg>"#,
    )
    .unwrap();
    for command in [&["import"][..], &["name", "--from-titles"]] {
        let saved = dir.path().join(format!("{}.svg", command[0]));
        let mut arguments: Vec<&std::ffi::OsStr> = command.iter().map(std::ffi::OsStr::new).collect();
        arguments.extend(args![map, "-o", saved]);
        let out = run(&arguments);
        assert_eq!(out.status.code(), Some(0), "{command:?}: {}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(&saved).unwrap();
        assert!(
            text.contains(r#"d="m 10.5,10 h 30.25 v 20 h -30.25 z""#),
            "{command:?} rewrote the path:\n{text}"
        );
    }
    let exported = dir.path().join("export.svg");
    assert_eq!(run(args!["export", map, "-o", exported]).status.code(), Some(0));
    let text = std::fs::read_to_string(&exported).unwrap();
    let expected = synmap::svg::export_svg(
        &synmap::svg::import_file(&map).unwrap().map,
        &synmap::svg::ExportOptions::default(),
    )
    .svg;
    assert_eq!(text, expected, "the export of a map read only to be exported is the same");
}
