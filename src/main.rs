//! The synmap executable: a headless command, or the editor window.

use std::process::ExitCode;

use clap::Parser;
use synmap::cli::{Cli, run};

/// mimalloc: the engine makes many small strings and lists, and glibc's allocator took about a
/// quarter of the time of exporting and checking a large map.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    env_logger::Builder::from_env(
        env_logger::Env::default()
            .default_filter_or("warn,simplecss=error,usvg=error,resvg=error,tiny_skia=error"),
    )
    // The HTTP stack's own logs stay at info even when RUST_LOG asks for more: its trace output
    // can include raw bytes on the wire.
    .filter_module("reqwest", log::LevelFilter::Info)
    .filter_module("hyper", log::LevelFilter::Info)
    .filter_module("hyper_util", log::LevelFilter::Info)
    .filter_module("h2", log::LevelFilter::Info)
    .filter_module("rustls", log::LevelFilter::Info)
    .init();
    let cli = Cli::parse();
    if cli.generate_man.is_some() || cli.generate_completions.is_some() {
        return synmap::cli::manual::run(cli.generate_man.as_deref(), cli.generate_completions.as_deref());
    }
    // The command line reports a caught panic itself; the editor logs it.
    synmap::guard::quiet_panics(if cli.command.is_some() { log::Level::Debug } else { log::Level::Error });
    match cli.command {
        Some(command) => run(command),
        None => editor(cli.file),
    }
}

/// Opens the editor window.
#[cfg(feature = "gui")]
fn editor(file: Option<std::path::PathBuf>) -> ExitCode {
    synmap::app::run(file)
}

/// This build has no window: says so and how to get one.
#[cfg(not(feature = "gui"))]
fn editor(_: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "synmap: this build has no editor window (built without the \"gui\" feature); run a command, see --help"
    );
    ExitCode::from(2)
}
