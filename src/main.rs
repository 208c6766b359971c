//! The synmap executable: a headless command, or the editor window.

use std::process::ExitCode;

use clap::Parser;
use synmap::cli::{Cli, run};

fn main() -> ExitCode {
    env_logger::Builder::from_env(
        env_logger::Env::default()
            .default_filter_or("warn,simplecss=error,usvg=error,resvg=error,tiny_skia=error"),
    )
    .init();
    let cli = Cli::parse();
    match cli.command {
        Some(command) => run(command),
        None => synmap::app::run(cli.file),
    }
}
