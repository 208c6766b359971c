//! The direct renderer draws what usvg/resvg draws (pixel comparison), and steps aside for
//! content it does not handle.

mod support;

use support::differing_fraction;
use synmap::generate::{PlanSpec, floor_plan};
use synmap::render::{Engine, RenderOptions, render};
use synmap::svg::import_bytes;

fn both(svg: &[u8], width: u32) -> (synmap::render::Preview, synmap::render::Preview) {
    let map = import_bytes(svg).unwrap().map;
    let auto = render(&map, None, &RenderOptions { width, ..RenderOptions::default() }).unwrap();
    let usvg = render(&map, None, &RenderOptions { width, engine: Engine::Usvg, ..RenderOptions::default() })
        .unwrap();
    (auto, usvg)
}

#[test]
fn direct_and_usvg_renders_agree() {
    let sample = std::fs::read(support::sample()).unwrap();
    let plan = floor_plan(PlanSpec { areas: 400, seed: 5 }).into_bytes();
    let illustrator = std::fs::read(support::fixture("illustrator.svg")).unwrap();
    let inkscape = std::fs::read(support::fixture("inkscape.svg")).unwrap();
    for (name, svg) in
        [("sample", sample), ("plan", plan), ("illustrator", illustrator), ("inkscape", inkscape)]
    {
        let (auto, usvg) = both(&svg, 1200);
        assert_eq!(auto.engine, Engine::Direct, "{name} should take the direct path");
        assert_eq!(usvg.engine, Engine::Usvg);
        let diff = differing_fraction(&auto.pixmap, &usvg.pixmap, 64);
        assert!(diff < 0.003, "{name}: {:.3}% of pixels differ", diff * 100.0);
    }
}

#[test]
fn unsupported_content_falls_back_to_usvg() {
    for name in ["figma.svg", "web.svg"] {
        let (auto, usvg) = both(&std::fs::read(support::fixture(name)).unwrap(), 640);
        assert_eq!(auto.engine, Engine::Usvg, "{name} uses gradients, clipping or images");
        assert_eq!(auto.pixmap.data(), usvg.pixmap.data());
    }
}

#[test]
fn the_canvas_render_leaves_out_hidden_elements_and_the_coarse_one_text() {
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50">
        <rect id="A" x="0" y="0" width="50" height="50" style="fill:#ff0000"/>
        <rect id="B" x="50" y="0" width="50" height="50" style="fill:#0000ff"/>
        <text x="5" y="45" style="font-size:40px;fill:#000000">WWW</text></svg>"##;
    let mut map = import_bytes(svg).unwrap().map;
    let b = map.find_id("B").unwrap();
    synmap::edit::Change::Hidden(b, true).apply(&mut map).unwrap();
    let canvas = RenderOptions {
        width: 100,
        legend: false,
        labels: false,
        status_colours: false,
        hidden: false,
        ..Default::default()
    };
    let shown = render(&map, None, &RenderOptions { hidden: true, ..canvas.clone() }).unwrap();
    let hidden = render(&map, None, &canvas).unwrap();
    assert_eq!(support::pixel(&shown.pixmap, 75, 25), [0, 0, 255]);
    assert_eq!(support::pixel(&hidden.pixmap, 75, 25), [255, 255, 255], "a hidden element is not drawn");
    let text = |opts: &RenderOptions| {
        let p = render(&map, None, opts).unwrap().pixmap;
        (0..50)
            .flat_map(|x| (20..48).map(move |y| (x, y)))
            .filter(|&(x, y)| support::pixel(&p, x, y) == [0, 0, 0])
            .count()
    };
    assert!(text(&canvas) > 20, "text is drawn");
    assert_eq!(text(&RenderOptions { text: false, ..canvas.clone() }), 0, "the coarse render has no text");
}

#[test]
fn the_canvas_shows_a_tracing_image_through_the_map() {
    // A small PNG as the tracing image under a room that covers it.
    const PLAN: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAG0lEQVR42mNwKTry/22t4X+GpUuX/v9/gOE/AFzZCsAuHc7GAAAAAElFTkSuQmCC";
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50">
        <rect id="Room" x="0" y="0" width="100" height="50" style="fill:#ff0000"/></svg>"##;
    let mut map = import_bytes(svg).unwrap().map;
    map.tracing = Some(synmap::model::TracingImage {
        data_url: PLAN.into(),
        rect: kurbo::Rect::new(0.0, 0.0, 100.0, 50.0),
        opacity: 1.0,
    });
    let at_centre = |tracing_image: bool| {
        let opts = RenderOptions { width: 100, legend: false, tracing_image, ..RenderOptions::default() };
        render(&map, None, &opts).unwrap().pixmap.pixel(50, 25).unwrap().demultiply()
    };
    let (solid, traced) = (at_centre(false), at_centre(true));
    assert_eq!(solid.alpha(), 255);
    let moved = |a: u8, b: u8| i32::from(a).abs_diff(i32::from(b));
    let difference = moved(solid.red(), traced.red())
        + moved(solid.green(), traced.green())
        + moved(solid.blue(), traced.blue());
    assert!(difference > 30, "the plan shows through the room: {solid:?} without it, {traced:?} with it");
}
