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

/// A web map as D3 writes one: projected paths in a scaled, moved group, thin strokes, shape
/// opacity, and text labels.
const WEB_MAP: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 500">
  <g transform="translate(480 250) scale(1.7) rotate(-4)">
    <path id="IT" d="M-40 -80 L10 -95 L35 -40 Q60 10 30 60 L-5 90 L-30 40 Z" style="fill:#1f77b4;fill-opacity:0.6;stroke:#fff;stroke-width:0.5"/>
    <path id="FR" d="M-160 -90 L-60 -110 L-40 -80 L-30 40 L-120 30 C-170 0 -180 -40 -160 -90 Z" style="fill:#ff7f0e;opacity:0.8"/>
    <path id="CH" d="M-60 -110 L10 -95 L-40 -80 Z" style="fill:#2ca02c;stroke:#000;stroke-width:1;stroke-dasharray:2 1"/>
    <text x="-100" y="-20" style="font-size:14px;fill:#222;text-anchor:middle">France</text>
    <text x="5" y="10" style="font-size:9px;fill:#222">Italia</text>
  </g>
</svg>"##;

/// Maps the direct renderer takes: the sample, a generated plan, the three editors' files, a
/// web map, and the styling fixtures it supports (transforms, strokes).
fn direct_maps() -> Vec<(String, Vec<u8>)> {
    let mut maps = vec![
        ("sample".to_owned(), std::fs::read(support::sample()).unwrap()),
        ("plan".to_owned(), floor_plan(PlanSpec { areas: 400, seed: 5 }).into_bytes()),
        ("web map".to_owned(), WEB_MAP.as_bytes().to_vec()),
    ];
    for name in
        ["illustrator.svg", "inkscape.svg", "legit-styling/transforms.svg", "legit-styling/strokes.svg"]
    {
        maps.push((name.to_owned(), std::fs::read(support::fixture(name)).unwrap()));
    }
    maps
}

#[test]
fn direct_and_usvg_renders_agree() {
    for (name, svg) in direct_maps() {
        let map = import_bytes(&svg).unwrap().map;
        // In their own styles (the canvas) and coloured by status (the preview).
        for status_colours in [false, true] {
            let opts = RenderOptions { width: 1200, status_colours, ..RenderOptions::default() };
            let auto = render(&map, None, &opts).unwrap();
            let usvg = render(&map, None, &RenderOptions { engine: Engine::Usvg, ..opts }).unwrap();
            assert_eq!(auto.engine, Engine::Direct, "{name} should take the direct path");
            assert_eq!(usvg.engine, Engine::Usvg);
            // Pixel for pixel, text included: glyphs are rasterised at their exact positions
            // with tiny-skia's arithmetic (`render::supersample`).
            let diff = differing_fraction(&auto.pixmap, &usvg.pixmap, 8);
            assert!(diff < 0.005, "{name}: {:.3}% of pixels differ by more than 8/255", diff * 100.0);
        }
    }
}

/// A plan large enough that its scene is built on every core, in chunks put back in paint
/// order, draws what resvg draws.
#[test]
fn a_scene_built_on_every_core_draws_what_resvg_draws() {
    let (auto, usvg) = both(floor_plan(PlanSpec { areas: 2_500, seed: 9 }).as_bytes(), 900);
    assert_eq!(auto.engine, synmap::render::Engine::Direct);
    let diff = differing_fraction(&auto.pixmap, &usvg.pixmap, 8);
    assert!(diff < 0.005, "{:.3}% of pixels differ by more than 8/255", diff * 100.0);
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
