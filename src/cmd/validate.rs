//! `hftlist validate`: every problem in the database, sorted by file, then a summary line.

use std::path::Path;
use std::process::ExitCode;

use crate::catalog::Catalog;
use crate::checks::lint;
use crate::exit;
use crate::model::diag::{self, Tally};

/// How to print the diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: error[rule]: message` lines and a summary.
    #[default]
    Human,
    /// One JSON object with the diagnostics and the counts.
    Json,
}

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Print each rule's name, severity and description, and exit.
    #[arg(long)]
    pub list_rules: bool,
}

/// Runs `validate`: exit 0 when clean, 1 when errors (or denied warnings) were found.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    if args.list_rules {
        super::emit(None, &diag::rules_table())?;
        return Ok(exit::code(exit::SUCCESS));
    }
    let catalog = Catalog::load(dir)?;
    let diagnostics = lint::check(&catalog, lint::today());
    let files = catalog.db().files;
    let report = match args.format {
        Format::Human => diag::human_report(&diagnostics, files),
        Format::Json => diag::json_report(&diagnostics, files),
    };
    super::emit(None, &report)?;
    let tally = Tally::of(&diagnostics);
    let failed = tally.errors > 0 || (args.deny_warnings && tally.warnings > 0);
    Ok(exit::code(if failed {
        exit::PROBLEMS
    } else {
        exit::SUCCESS
    }))
}
