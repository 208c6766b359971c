//! synmap: a map studio for the Synoptic Panel visual — import, name, bind, check, preview
//! and export SVG maps that bind.
//!
//! The engine (`model`, `binding`, `svg`, `check`, `render`) has no GUI dependency and is shared
//! by the command line (`cli`) and the editor (`app`).

pub mod app;
pub mod binding;
pub mod categories;
pub mod check;
pub mod cli;
pub mod edit;
pub mod findings;
pub mod fsutil;
pub mod generate;
pub mod guard;
pub mod model;
pub mod oneline;
pub mod render;
pub mod storage;
pub mod svg;
