//! `hftlist stats`: counts by year, kind and venue, and the papers-per-year chart.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::Filters;
use crate::catalog::Catalog;
use crate::exit;
use crate::views::stats;

/// How to print the figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned tables.
    #[default]
    Text,
    /// The same figures as JSON.
    Json,
}

/// Arguments of `stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which papers.
    #[command(flatten)]
    pub filters: Filters,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Write the chart of papers per year, stacked by kind, to FILE (SVG) instead.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,

    /// With --svg: exit 0 when FILE is current, 1 when not; write nothing.
    #[arg(long, requires = "svg")]
    pub check: bool,
}

/// Runs `stats`: exit 0 when papers matched, 1 when none did (the figures are still printed);
/// with `--svg --check`, 1 when the chart is not current.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(dir)?;
    let found = super::select(&catalog, &args.filters)?;
    let figures = stats::compute(&catalog, &found);
    if let Some(path) = &args.svg {
        let chart = stats::svg(&figures);
        if args.check {
            let current = match crate::store::input::read_bytes(
                path,
                Some(dir),
                crate::store::input::MAX_SVG,
            ) {
                Ok(bytes) => bytes == chart.as_bytes(),
                Err(crate::store::input::ReadError::NotFound) => false,
                // Larger than any chart this tool draws: not current.
                Err(crate::store::input::ReadError::TooLarge { .. }) => false,
                Err(e) => anyhow::bail!(
                    "cannot read the chart `{}`: {e}",
                    crate::model::sanitize::escape(&path.display().to_string())
                ),
            };
            if !current {
                super::say(format!(
                    "hftlist: `{}` is not current; run `hftlist stats --svg {}`",
                    path.display(),
                    path.display()
                ));
                return Ok(exit::code(exit::PROBLEMS));
            }
            return Ok(exit::code(exit::SUCCESS));
        }
        super::emit(Some(path), &chart)?;
        return Ok(exit::code(exit::SUCCESS));
    }
    let text = match args.format {
        Format::Text => stats::text(&figures),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&figures).context("cannot write JSON")?;
            s.push('\n');
            s
        }
    };
    super::emit(None, &text)?;
    // Like `query`: the (zero) figures are printed, and the exit code says nothing matched.
    if found.is_empty() {
        super::say("hftlist: no papers match");
        return Ok(exit::code(exit::PROBLEMS));
    }
    Ok(exit::code(exit::SUCCESS))
}
