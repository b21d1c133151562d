//! `hftlist export`: citations and data files for the papers that match the filters.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Filters;
use crate::catalog::Catalog;
use crate::exit;
use crate::store::db::Entry;
use crate::views::cite;
use crate::views::output;

/// What to export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// BibTeX entries keyed by id, for `.bst` styles (natbib, plain, IEEEtran...).
    #[default]
    Bibtex,
    /// BibLaTeX entries keyed by id, for biber (`@online` with `eprinttype` for preprints).
    Biblatex,
    /// CSL-JSON, for citation processors (Zotero, pandoc, citeproc).
    CslJson,
    /// A JSON array of records.
    Json,
    /// RFC 4180 CSV with a header; cells a spreadsheet would run as formulas start with `'`.
    Csv,
}

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which papers.
    #[command(flatten)]
    pub filters: Filters,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `export`: exit 0 when papers were exported, 1 when none matched.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(dir)?;
    let found = super::select(&catalog, &args.filters)?;
    let entries: Vec<&Entry> = found.iter().map(|r| r.entry).collect();
    if found.is_empty() {
        // JSON formats still give a well-formed empty array, for `jq`.
        let empty = match args.format {
            Format::CslJson | Format::Json => output::json(&entries)?,
            Format::Csv => output::csv(&entries),
            Format::Bibtex | Format::Biblatex => String::new(),
        };
        if !empty.is_empty() {
            super::emit(args.output.as_deref(), &empty)?;
        }
        super::say("hftlist: no papers match");
        return Ok(exit::code(exit::PROBLEMS));
    }
    let text = match args.format {
        Format::Bibtex => cite::bibtex(&found, &catalog),
        Format::Biblatex => cite::biblatex(&found, &catalog),
        Format::CslJson => cite::csl_json(&found, &catalog)?,
        Format::Json => output::json(&entries)?,
        Format::Csv => output::csv(&entries),
    };
    super::emit(args.output.as_deref(), &text)?;
    Ok(exit::code(exit::SUCCESS))
}
