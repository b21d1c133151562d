//! `hftlist man`: the man page, generated from the clap definition (the same text as `--help`).

use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit;

/// Arguments of `man`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// The man page in roff, with a section per subcommand.
pub fn page() -> anyhow::Result<String> {
    let command = Cli::command();
    let mut out = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut out)
        .context("cannot write the man page")?;
    man.render_name_section(&mut out)
        .context("cannot write the man page")?;
    man.render_synopsis_section(&mut out)
        .context("cannot write the man page")?;
    man.render_description_section(&mut out)
        .context("cannot write the man page")?;
    man.render_options_section(&mut out)
        .context("cannot write the man page")?;
    man.render_subcommands_section(&mut out)
        .context("cannot write the man page")?;
    // Each subcommand's options, under its own heading: one page documents the whole tool.
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("hftlist {}", sub.get_name());
        let sub = sub.clone();
        let mut roff = clap_mangen::roff::Roff::new();
        roff.control("SH", [name.to_uppercase().as_str()]);
        if let Some(about) = sub.get_about() {
            roff.text([clap_mangen::roff::roman(about.to_string())]);
        }
        roff.to_writer(&mut out)
            .context("cannot write the man page")?;
        clap_mangen::Man::new(sub)
            .render_options_section(&mut out)
            .context("cannot write the man page")?;
    }
    man.render_version_section(&mut out)
        .context("cannot write the man page")?;
    String::from_utf8(out).context("the man page is not UTF-8")
}

/// Runs `man`: prints the page on stdout (`hftlist man > hftlist.1`).
pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    super::emit(None, &page()?)?;
    Ok(exit::code(exit::SUCCESS))
}
