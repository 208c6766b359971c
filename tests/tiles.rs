//! The canvas's tiles: put together they draw what the whole render draws, an edit changes
//! exactly the tiles it touches, and far-out geometry at a deep zoom draws without a panic.

mod support;

use kurbo::{Rect, Vec2};
use support::differing_fraction;
use synmap::edit::Change;
use synmap::editor::Document;
use synmap::generate::{PlanSpec, floor_plan};
use synmap::render::tiles::{Changed, Look, TILE, TileId, TileScene};
use synmap::render::{RenderOptions, render};
use synmap::svg::import_bytes;
use tiny_skia::{Pixmap, PixmapPaint, Transform};

fn look() -> Look {
    Look { text: true, ..Look::default() }
}

/// `synmap render`'s options for what the canvas shows: own styles, no labels or legend, hidden
/// elements left out.
fn as_the_canvas(width: u32) -> RenderOptions {
    RenderOptions {
        width,
        legend: false,
        labels: false,
        status_colours: false,
        hidden: false,
        ..Default::default()
    }
}

/// The tiles of `level` over `area`, put together into one picture of `area`.
fn stitched(scene: &TileScene, level: i32, area: Rect) -> Pixmap {
    let scale = TileId::scale(level);
    let (w, h) = ((area.width() * scale).ceil() as u32, (area.height() * scale).ceil() as u32);
    let mut out = Pixmap::new(w, h).unwrap();
    for tile in TileId::covering(level, area) {
        let pixels = scene.render(tile).unwrap();
        let x = (tile.x as f64 * f64::from(TILE) - area.x0 * scale).round() as i32;
        let y = (tile.y as f64 * f64::from(TILE) - area.y0 * scale).round() as i32;
        out.draw_pixmap(x, y, pixels.as_ref(), &PixmapPaint::default(), Transform::identity(), None);
    }
    out
}

#[test]
fn tiles_put_together_draw_what_the_whole_render_draws() {
    let sample = std::fs::read(support::sample()).unwrap();
    let plan = floor_plan(PlanSpec { areas: 200, seed: 3 }).into_bytes();
    // web.svg takes the usvg path (gradients, clipping).
    let web = std::fs::read(support::fixture("web.svg")).unwrap();
    for (name, svg) in [("sample", sample), ("plan", plan), ("web", web)] {
        let map = import_bytes(&svg).unwrap().map;
        let (scene, changed) = TileScene::build(&map, &look(), None);
        assert_eq!(changed, Changed::All);
        let vb = map.view_box;
        // A level whose tiles do not line up with the artboard's edges.
        let level = TileId::level_for(1000.0 / vb.width);
        let area = Rect::new(0.0, 0.0, vb.x + vb.width, vb.y + vb.height);
        let scale = TileId::scale(level);
        let tiles = stitched(&scene, level, area);
        let whole = scene.render_area(area, scale, 0.0).unwrap();
        let diff = differing_fraction(&tiles, &whole, 8);
        assert!(diff < 0.001, "{name}: {:.3}% of the tiles' pixels differ from the whole", diff * 100.0);
        // The same as `synmap render` draws, where the artboard starts at the origin.
        if vb.x == 0.0 && vb.y == 0.0 {
            let width = (vb.width * scale).ceil() as u32;
            let preview = render(&map, None, &as_the_canvas(width)).unwrap().pixmap;
            let whole = scene.render_area(area, f64::from(width) / vb.width, 0.0).unwrap();
            let (w, h) = (whole.width().min(preview.width()) - 1, whole.height().min(preview.height()) - 1);
            let common =
                |p: &Pixmap| p.clone_rect(tiny_skia::IntRect::from_xywh(0, 0, w, h).unwrap()).unwrap();
            let diff = differing_fraction(&common(&whole), &common(&preview), 8);
            assert!(diff < 0.005, "{name}: {:.3}% differ from the render", diff * 100.0);
        }
    }
}

#[test]
fn an_edit_changes_exactly_the_tiles_it_touches() {
    let plan = floor_plan(PlanSpec { areas: 400, seed: 9 });
    let mut doc = Document::from_map(import_bytes(plan.as_bytes()).unwrap().map, "plan".into());
    let (before, _) = TileScene::build(doc.map(), &look(), None);
    let revision = doc.revision;
    let (key, old_box) = {
        let a = &doc.areas[doc.areas.len() / 2];
        (a.key, a.bbox)
    };
    let moved = doc.map().node(key).transform().then_translate(Vec2::new(37.0, 11.0));
    doc.edit("Move", vec![Change::Transform(key, moved)]).unwrap();
    let touched = doc.touched_since(revision).expect("the revision is recent");
    let (after, changed) = TileScene::build(doc.map(), &look(), Some((&before, &touched)));
    let (fresh, _) = TileScene::build(doc.map(), &look(), None);
    let new_box = doc.areas.iter().find(|a| a.key == key).unwrap().bbox;
    let Changed::Places(places) = &changed else { panic!("a move changes places, not everything") };
    let covers = |b: Rect| places.iter().any(|p| p.contains_rect(b.inset(-0.01)) || p.union(b) == *p);
    assert!(covers(old_box) && covers(new_box), "{places:?} should cover {:?} and {new_box:?}", old_box);
    let level = TileId::level_for(4.0);
    let around = old_box.union(new_box).inflate(200.0, 200.0);
    let (mut same, mut redrawn) = (0, 0);
    for tile in TileId::covering(level, around) {
        let (old, new) = (before.render(tile).unwrap(), after.render(tile).unwrap());
        assert_eq!(new.data(), fresh.render(tile).unwrap().data(), "{tile:?}: the updated scene is stale");
        if changed.touches(tile.rect()) {
            redrawn += 1;
        } else {
            same += 1;
            assert_eq!(old.data(), new.data(), "{tile:?} changed but is not among the changed places");
        }
    }
    assert!(redrawn > 0 && same > redrawn, "{redrawn} tiles redrawn, {same} kept");
    // A removal (the scene walked again) and a restyle (patched in place) draw what a scene made
    // from scratch draws.
    let mut scene = after;
    let doomed = doc.areas[10].key;
    let restyled = doc.areas[11].key;
    let mut red = doc.map().node(restyled).style.clone();
    red.set("fill", "#ff0000");
    for change in [Change::Remove(doomed), Change::Style(restyled, red)] {
        let revision = doc.revision;
        doc.edit("Edit", vec![change]).unwrap();
        let touched = doc.touched_since(revision).unwrap();
        let (next, changed) = TileScene::build(doc.map(), &look(), Some((&scene, &touched)));
        let (fresh, _) = TileScene::build(doc.map(), &look(), None);
        let Changed::Places(places) = &changed else { panic!("an edit of one room changes places") };
        for tile in places.iter().flat_map(|p| TileId::covering(level, *p)) {
            assert_eq!(
                next.render(tile).unwrap().data(),
                fresh.render(tile).unwrap().data(),
                "{tile:?} is stale"
            );
        }
        scene = next;
    }
    let after = scene;
    // Nothing touched since: nothing changed.
    let none = doc.touched_since(doc.revision).unwrap();
    let (_, changed) = TileScene::build(doc.map(), &look(), Some((&after, &none)));
    assert_eq!(changed, Changed::Places(Vec::new()));
}

#[test]
fn far_geometry_at_a_deep_zoom_draws_without_a_panic() {
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
        <rect id="Floor" x="-1e7" y="-1e7" width="2e7" height="2e7" style="fill:#0000ff"/>
        <path id="Wall" d="M 0 50 L 100 50" style="stroke:#ff0000;stroke-width:1e6"/></svg>"##;
    let map = import_bytes(svg).unwrap().map;
    let (scene, _) = TileScene::build(&map, &look(), None);
    for level in [-4, 0, 20, 40] {
        // The middle of the wall.
        let at = kurbo::Point::new(50.0, 50.0);
        let tile = TileId::covering(level, Rect::from_points(at, at))[0];
        let scale = TileId::scale(level);
        let (x, y) = (at.x * scale - tile.x as f64 * 256.0, at.y * scale - tile.y as f64 * 256.0);
        let p = scene.render(tile).unwrap();
        let c = p.pixel(x as u32, y as u32).unwrap().demultiply();
        assert_eq!((c.red(), c.green(), c.blue()), (255, 0, 0), "level {level}: the wall's stroke covers it");
    }
}

#[test]
fn tiles_draw_the_tracing_image_under_the_map_as_the_render_does() {
    // A plan picture: white with a dark wall across it, under a room that covers half of it.
    let mut plan = image::RgbImage::from_pixel(120, 80, image::Rgb([255, 255, 255]));
    for x in 0..120 {
        for y in 38..42 {
            plan.put_pixel(x, y, image::Rgb([20, 20, 20]));
        }
    }
    let mut png = Vec::new();
    plan.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    use base64::Engine;
    let url = format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(&png));
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80">
        <rect id="Room" x="0" y="0" width="60" height="80" style="fill:#4a90d9"/></svg>"##;
    let mut map = import_bytes(svg).unwrap().map;
    map.tracing = Some(synmap::model::TracingImage {
        data_url: url.into(),
        rect: Rect::new(0.0, 0.0, 120.0, 80.0),
        opacity: 0.8,
    });
    let (scene, _) = TileScene::build(&map, &look(), None);
    let opts = RenderOptions { tracing_image: true, ..as_the_canvas(480) };
    let preview = render(&map, None, &opts).unwrap().pixmap;
    let whole = scene.render_area(Rect::new(0.0, 0.0, 120.0, 80.0), 4.0, 0.0).unwrap();
    let diff = differing_fraction(&whole, &preview, 8);
    assert!(diff < 0.005, "{:.3}% of pixels differ from the render with the tracing image", diff * 100.0);
    // The wall shows through the room, and the white plan stays white.
    assert!(support::pixel(&whole, 100, 160)[0] < 120, "the plan's wall shows");
    assert_eq!(support::pixel(&whole, 400, 40), [255, 255, 255]);
    // A new opacity for the plan changes every tile.
    let mut doc = Document::from_map(map, "traced".into());
    let revision = doc.revision;
    let mut dimmer = doc.map().tracing.clone().unwrap();
    dimmer.opacity = 0.3;
    doc.edit("Tracing opacity", vec![Change::Tracing(Some(dimmer))]).unwrap();
    let touched = doc.touched_since(revision).unwrap();
    let (_, changed) = TileScene::build(doc.map(), &look(), Some((&scene, &touched)));
    assert_eq!(changed, Changed::All);
}

#[test]
fn a_drawing_that_leaves_out_specks_leaves_out_hairlines_too() {
    // A line a twentieth of a pixel wide at the overview's scale, and one two pixels wide.
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 1000">
        <path d="M0 250H1000" stroke="#000" stroke-width="0.5"/>
        <path d="M0 750H1000" stroke="#000" stroke-width="20"/></svg>"##;
    let map = import_bytes(svg.as_bytes()).unwrap().map;
    let (scene, _) = TileScene::build(&map, &look(), None);
    let area = Rect::new(0.0, 0.0, 1000.0, 1000.0);
    let darkest_row = |pixmap: &Pixmap, y: u32| {
        (0..pixmap.width()).map(|x| pixmap.pixel(x, y).unwrap().red()).min().unwrap()
    };
    let all = scene.render_area(area, 0.1, 0.0).unwrap();
    assert!(darkest_row(&all, 25) < 255, "drawn whole, the hairline shows faintly");
    let overview = scene.render_area(area, 0.1, 1.0).unwrap();
    assert_eq!(darkest_row(&overview, 25), 255, "the overview leaves the hairline out");
    assert!(darkest_row(&overview, 75) < 64, "and keeps the wide line");
}

/// A map of one grey floor with 400 small red rooms on it.
fn floor_of_specks() -> String {
    let rooms: String = (0..400)
        .map(|i| {
            format!(
                "<rect id=\"R{i}\" x=\"{}\" y=\"{}\" width=\"30\" height=\"30\" fill=\"#f00\"/>",
                500 + (i % 20) * 450,
                500 + (i / 20) * 450
            )
        })
        .collect();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10000 10000">
        <rect id="Floor" width="10000" height="10000" fill="#888"/>{rooms}</svg>"##
    )
}

#[test]
fn a_coarse_scene_leaves_out_what_is_smaller_than_asked_and_keeps_the_rest() {
    let map = import_bytes(floor_of_specks().as_bytes()).unwrap().map;
    let area = Rect::new(0.0, 0.0, 10000.0, 10000.0);
    let reds = |pixmap: &Pixmap| pixmap.pixels().iter().filter(|p| p.red() > p.green() + 40).count();
    let greys =
        |pixmap: &Pixmap| pixmap.pixels().iter().filter(|p| p.red() == 0x88 && p.green() == 0x88).count();
    let (full, _) = TileScene::build(&map, &look(), None);
    let drawn = full.render_area(area, 0.1, 0.0).unwrap();
    assert!(reds(&drawn) >= 400, "drawn whole, each room shows: {}", reds(&drawn));
    // Rooms of 30 units are 3 pixels at this scale: a scene without shapes under 50 units.
    let coarse = TileScene::coarse(&map, &look(), 50.0).render_area(area, 0.1, 0.0).unwrap();
    assert_eq!(reds(&coarse), 0, "the rooms are left out");
    assert!(greys(&coarse) > 900_000, "the floor is drawn");
    let kept = TileScene::coarse(&map, &look(), 20.0).render_area(area, 0.1, 0.0).unwrap();
    assert_eq!(reds(&kept), reds(&drawn), "what is larger than asked is kept");
}
