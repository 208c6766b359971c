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
