//! The font compiled into the binary, so previews look the same on every machine and
//! rendering reads no font files.

use std::sync::{Arc, OnceLock};

use usvg::fontdb;

/// DejaVu Sans, the only font previews use (see `assets/fonts/LICENSE-DejaVu.txt`).
pub const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Family name of [`DEJAVU_SANS`].
pub const FAMILY: &str = "DejaVu Sans";

/// A font database holding only the embedded font, which also stands in for every generic
/// family, so any `font-family` falls back to it.
pub fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(DEJAVU_SANS.to_vec());
        db.set_serif_family(FAMILY);
        db.set_sans_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// usvg options that never touch the file system or the network: the embedded font only,
/// no resources directory, and only `data:` raster images.
pub fn safe_options() -> usvg::Options<'static> {
    let mut opt = usvg::Options {
        resources_dir: None,
        font_family: FAMILY.to_owned(),
        fontdb: database(),
        ..Default::default()
    };
    opt.image_href_resolver = usvg::ImageHrefResolver {
        resolve_data: Box::new(|mime, data, opts| match mime {
            "image/svg+xml" => None,
            _ => (usvg::ImageHrefResolver::default_data_resolver())(mime, data, opts),
        }),
        resolve_string: Box::new(|_, _| None),
    };
    opt
}
