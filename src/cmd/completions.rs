//! `hftlist completions SHELL`: the shell completion script, generated from the clap definition
//! so it always knows every subcommand, option and closed set of values.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum, ignore_case = true)]
    pub shell: clap_complete::Shell,
}

/// The completion script for a shell.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "hftlist", &mut out);
    out
}

/// Runs `completions`: prints the script on stdout.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let text = String::from_utf8_lossy(&script(args.shell)).into_owned();
    super::emit(None, &text)?;
    Ok(exit::code(exit::SUCCESS))
}
