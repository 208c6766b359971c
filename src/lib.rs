//! synmap: a map studio for the Synoptic Panel visual — import, name, bind, check, preview
//! and export SVG maps that bind.
//!
//! The engine (`model`, `ids`, `binding`, `svg`, `check`, `render`) and the editor core
//! (`editor`) have no GUI dependency and are shared by the command line (`cli`) and the editor
//! window (`app`, built with the `gui` feature).

#[cfg(feature = "gui")]
pub mod app;
pub mod binding;
pub mod categories;
pub mod check;
pub mod cli;
pub mod convert;
pub mod diff;
pub mod edit;
pub mod editor;
pub mod findings;
pub mod fsutil;
pub mod generate;
pub mod grid;
pub mod guard;
pub mod ids;
pub mod model;
pub mod naming;
pub mod oneline;
pub mod polygons;
pub mod render;
pub mod storage;
pub mod svg;
pub mod trace;

/// The application's reverse-DNS id: the window's app id, and the name of its desktop entry,
/// AppStream metadata and icons (Cargo.toml's `[package.metadata.synmap-app]`; a packaging
/// test keeps the two equal).
pub const APP_ID: &str = "io.github.synmap.Synmap";
