//! Tracing rooms from pictures of plans whose rooms are known: architect-style plans (thick
//! walls, door gaps with swings, labels and furniture inside rooms, corridors) and rendered
//! `synmap generate` plans (coloured rooms, L-shaped ones among them), clean and degraded (a 1°
//! rotation, blur σ = 1, JPEG quality 50). Recall and precision at IoU ≥ 0.85 and the corners
//! of rectangular rooms are asserted here on small pictures; the 8-megapixel figures are in
//! `benches/trace.rs`. Also `synmap trace` on picture files, the wand, and bad pictures.

mod support;

use std::time::Duration;

use kurbo::Point;
use synmap::generate::plan_picture::{PictureSpec, blurred, draw, jpeg, plan_picture, png};
use synmap::generate::{PlanSpec, floor_plan};
use synmap::trace::score::{Score, score};
use synmap::trace::{Pixels, TraceOptions, Wand, trace_all};

/// The settings every architect-style plan is traced with: its doors are 26 px wide.
fn architect_options() -> TraceOptions {
    TraceOptions { close_gaps: 28, ..TraceOptions::default() }
}

/// The fixed degradation: blur σ = 1, then JPEG at quality 50 (the rotation is drawn).
fn degraded(pixels: &Pixels) -> Pixels {
    jpeg(&blurred(pixels, 1.0), 50)
}

fn assert_goals(what: &str, s: &Score) {
    eprintln!(
        "{what}: {} rooms, {} traced, recall {:.3}, precision {:.3}, median corners of rectangles {}",
        s.rooms,
        s.traced,
        s.recall(),
        s.precision(),
        s.median_rectangle_corners
    );
    assert!(s.recall() >= 0.95, "{what}: recall {s:?}");
    assert!(s.precision() >= 0.90, "{what}: precision {s:?}");
    assert_eq!(s.median_rectangle_corners, 4.0, "{what}: corners {s:?}");
}

#[test]
fn architect_plans_clean_and_degraded() {
    let plan = plan_picture(PictureSpec { wings: 1, rooms_per_row: 5, seed: 3, rotate_degrees: 0.0 });
    let clean = draw(&plan.svg, plan.width);
    assert_goals("architect, clean", &score(&plan.rooms, &trace_all(&clean, &architect_options())));
    let turned = plan_picture(PictureSpec {
        rotate_degrees: 1.0,
        ..PictureSpec { wings: 1, rooms_per_row: 5, seed: 4, rotate_degrees: 0.0 }
    });
    let noisy = degraded(&draw(&turned.svg, turned.width));
    assert_goals("architect, degraded", &score(&turned.rooms, &trace_all(&noisy, &architect_options())));
}

/// A generated plan drawn `width` pixels wide, and its rooms' outlines in those pixels.
fn generated(areas: usize, width: u32) -> (Pixels, Vec<Vec<Point>>) {
    let svg = floor_plan(PlanSpec { areas, seed: 5 });
    let map = synmap::svg::import_bytes(svg.as_bytes()).unwrap().map;
    let vb = map.view_box;
    let scale = f64::from(width) / vb.width;
    let rooms = map
        .iter()
        .filter(|(_, node)| node.id.is_some())
        .filter_map(|(key, _)| synmap::polygons::contours(&map, key))
        .map(|poly| {
            poly[0].iter().map(|p| Point::new((p[0] - vb.x) * scale, (p[1] - vb.y) * scale)).collect()
        })
        .collect();
    (draw(&svg, width), rooms)
}

#[test]
fn generated_plans_with_coloured_and_l_shaped_rooms_clean_and_degraded() {
    let (clean, rooms) = generated(40, 1000);
    assert!(rooms.iter().any(|r: &Vec<Point>| r.len() > 4), "L-shaped rooms are among them");
    assert_goals("generated, clean", &score(&rooms, &trace_all(&clean, &TraceOptions::default())));
    assert_goals(
        "generated, degraded",
        &score(&rooms, &trace_all(&degraded(&clean), &TraceOptions::default())),
    );
}

#[test]
fn the_wand_finds_the_room_under_a_click_and_adds_rooms_together() {
    let plan = plan_picture(PictureSpec { wings: 1, rooms_per_row: 4, seed: 9, rotate_degrees: 0.0 });
    let pixels = draw(&plan.svg, plan.width);
    let wand = Wand::new(&pixels, &architect_options());
    let (a, b) = (&plan.rooms[0], &plan.rooms[1]);
    let id_a = wand.region_at(a[0].lerp(a[2], 0.25)).expect("a room under the click");
    let one = wand.outlines(&[id_a], true);
    assert_eq!(one.len(), 1);
    assert!(synmap::trace::score::iou(a, &one[0]) >= 0.85, "{one:?}");
    assert_eq!(one[0].len(), 4, "a rectangular room is its four corners: {one:?}");
    // A second room, apart from the first (a wall between): one area of two outlines.
    let id_b = wand.region_at(b[0].lerp(b[2], 0.25)).unwrap();
    assert_ne!(id_a, id_b);
    assert_eq!(wand.outlines(&[id_a, id_b], true).len(), 2);
    // On a wall, or outside the picture: nothing.
    assert_eq!(wand.region_at(Point::new(-5.0, 10.0)), None);
    assert_eq!(wand.region_at(Point::new(45.0, 45.0)), None, "the outer wall");
}

fn run(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut cmd = support::synmap();
    cmd.args(args);
    support::run_with_watchdog(cmd, Duration::from_secs(120))
}

#[test]
fn synmap_trace_writes_a_map_of_the_rooms_over_the_picture() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_picture(PictureSpec { wings: 1, rooms_per_row: 5, seed: 3, rotate_degrees: 0.0 });
    let pixels = draw(&plan.svg, plan.width);
    let picture = dir.path().join("plan.png");
    std::fs::write(&picture, png(&pixels)).unwrap();
    let out = dir.path().join("plan.svg");
    let status = run(&[
        "trace".as_ref(),
        picture.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--close-gaps".as_ref(),
        "28".as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert_eq!(status.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("traced 11 rooms"), "{stderr}");
    let map = synmap::svg::import_bytes(&std::fs::read(&out).unwrap()).unwrap().map;
    assert_eq!(
        (map.view_box.width, map.view_box.height),
        (f64::from(pixels.width as u32), f64::from(pixels.height as u32))
    );
    let ids: Vec<String> =
        map.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str().to_owned())).collect();
    assert_eq!(ids.len(), 11);
    assert_eq!(ids[0], "Area_1", "named in reading order from the prefix: {ids:?}");
    assert!(ids.contains(&"Area_11".to_owned()));
    let tracing = map.tracing.as_ref().expect("the picture is the tracing image");
    assert!(tracing.data_url.starts_with("data:image/png;base64,"));
    // The export leaves the tracing image out unless asked.
    let exported = synmap::svg::export_svg(&map, &synmap::svg::ExportOptions::default()).svg;
    assert!(!exported.contains("<image"), "{}", &exported[..200]);

    // Naming options; JPEG, WebP, BMP and greyscale pictures too.
    let raw = pixels.rgb.iter().flatten().copied().collect();
    let colour = image::DynamicImage::ImageRgb8(
        image::RgbImage::from_raw(pixels.width as u32, pixels.height as u32, raw).unwrap(),
    );
    for (name, picture, format) in [
        ("plan.jpg", colour.clone(), image::ImageFormat::Jpeg),
        ("plan.webp", colour.clone(), image::ImageFormat::WebP),
        ("plan.bmp", colour.clone(), image::ImageFormat::Bmp),
        ("grey.png", image::DynamicImage::ImageLuma8(colour.to_luma8()), image::ImageFormat::Png),
    ] {
        let path = dir.path().join(name);
        picture.save_with_format(&path, format).unwrap();
        let status = run(&[
            "trace".as_ref(),
            path.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--close-gaps".as_ref(),
            "28".as_ref(),
            "--prefix".as_ref(),
            "Seat-".as_ref(),
            "--start".as_ref(),
            "7".as_ref(),
            "--digits".as_ref(),
            "3".as_ref(),
        ]);
        assert_eq!(status.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&status.stderr));
        let map = synmap::svg::import_bytes(&std::fs::read(&out).unwrap()).unwrap().map;
        assert!(map.find_id("Seat-007").is_some() && map.find_id("Seat-017").is_some(), "{name}");
    }
}

#[test]
fn synmap_trace_says_when_there_is_no_room_or_no_picture() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.png");
    std::fs::write(&blank, png(&Pixels { width: 64, height: 48, rgb: vec![[255; 3]; 64 * 48] })).unwrap();
    let out = dir.path().join("out.svg");
    let status = run(&["trace".as_ref(), blank.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(status.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(stderr.contains("no room found"), "{stderr}");
    assert!(!out.exists(), "nothing written");
    for (name, bytes) in [
        ("text.png", b"this is not a picture".to_vec()),
        ("cut.png", png(&Pixels { width: 64, height: 48, rgb: vec![[0; 3]; 64 * 48] })[..60].to_vec()),
        ("bomb.png", {
            let mut b = b"\\x89PNG\\r\\n\\x1a\\n\\0\\0\\0\\rIHDR".to_vec();
            b.extend(100_000u32.to_be_bytes());
            b.extend(100_000u32.to_be_bytes());
            b
        }),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let status = run(&["trace".as_ref(), path.as_os_str(), "-o".as_ref(), out.as_os_str()]);
        let stderr = String::from_utf8_lossy(&status.stderr);
        assert_eq!(status.status.code(), Some(1), "{name}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{name}: one line: {stderr}");
        assert!(stderr.starts_with("synmap: "), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: nothing written");
    }
}

#[test]
fn traced_rooms_take_the_names_of_the_plans_labels_laid_over_them() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan_picture(PictureSpec { wings: 1, rooms_per_row: 5, seed: 3, rotate_degrees: 0.0 });
    let picture = dir.path().join("plan.png");
    std::fs::write(&picture, png(&draw(&plan.svg, plan.width))).unwrap();
    let traced = dir.path().join("traced.svg");
    let status = run(&[
        "trace".as_ref(),
        picture.as_os_str(),
        "-o".as_ref(),
        traced.as_os_str(),
        "--close-gaps".as_ref(),
        "28".as_ref(),
    ]);
    assert_eq!(status.status.code(), Some(0), "{}", String::from_utf8_lossy(&status.stderr));
    // The plan's labels as vector text (an SVG export of the same plan) laid over the traced map.
    let labels_start = plan.svg.find("<g font-family").unwrap();
    let labels = &plan.svg[labels_start..plan.svg.rfind("</g></svg>").unwrap()];
    let text = std::fs::read_to_string(&traced).unwrap();
    let with_labels = text.replacen("</svg>", &format!("{labels}</svg>"), 1);
    let overlaid = dir.path().join("overlaid.svg");
    std::fs::write(&overlaid, with_labels).unwrap();
    let named = dir.path().join("named.svg");
    let status = run(&[
        "name".as_ref(),
        overlaid.as_os_str(),
        "--from-labels".as_ref(),
        "-o".as_ref(),
        named.as_os_str(),
    ]);
    assert_eq!(status.status.code(), Some(0), "{}", String::from_utf8_lossy(&status.stderr));
    let map = synmap::svg::import_bytes(&std::fs::read(&named).unwrap()).unwrap().map;
    for n in 1..=10 {
        let id = synmap::ids::AreaId::from_name(&format!("Office {n}")).unwrap();
        assert!(map.find_id(id.as_str()).is_some(), "Office {n} named from its label");
    }
}
