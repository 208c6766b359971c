//! The man pages and shell completions, generated from the command-line definition itself so
//! that they never drift from it (`synmap --generate-man DIR`, `--generate-completions DIR`;
//! `scripts/package` puts them in the Debian package).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, EXIT_MAP_ERROR};
use crate::oneline::one_line;

/// The shells completions are written for, with the file name each shell looks for.
pub const SHELLS: [Shell; 5] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Elvish, Shell::PowerShell];

/// Writes what `--generate-man` and `--generate-completions` ask for; returns the exit status.
pub fn run(man: Option<&Path>, completions: Option<&Path>) -> ExitCode {
    let written =
        man.map(write_man_pages).transpose().and_then(|_| completions.map(write_completions).transpose());
    match written {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synmap: {}", one_line(&format!("{e:#}")));
            ExitCode::from(EXIT_MAP_ERROR)
        }
    }
}

/// Writes `synmap.1` and a page per command (`synmap-check.1`, `synmap-publish-mystorage.1`, …)
/// into `dir`.
pub fn write_man_pages(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir).with_context(|| format!("{}", dir.display()))
}

/// Writes the completion scripts of every shell in [`SHELLS`] into `dir`; returns the files.
pub fn write_completions(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
    let mut cmd = Cli::command();
    SHELLS
        .iter()
        .map(|&shell| {
            clap_complete::generate_to(shell, &mut cmd, "synmap", dir)
                .with_context(|| format!("{}", dir.display()))
        })
        .collect()
}
