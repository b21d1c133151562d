//! `hftlist query`: the papers that match the filters, sorted, in the chosen format.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use super::Filters;
use crate::catalog::Catalog;
use crate::catalog::query::{self, SortKey};
use crate::exit;
use crate::store::db::Entry;
use crate::views::cite;
use crate::views::output;

/// How to print the papers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns fitted to the terminal, long titles cut with `…`.
    #[default]
    Table,
    /// Lines exactly as in the README.
    Markdown,
    /// A JSON array of records, each with its `id` and every field.
    Json,
    /// A YAML list of records, each with its `id`.
    Yaml,
    /// RFC 4180 CSV with a header.
    Csv,
    /// BibTeX entries keyed by id.
    Bibtex,
    /// One id per line, for scripts.
    Ids,
}

/// Arguments of `query`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which papers.
    #[command(flatten)]
    pub filters: Filters,

    /// Sort by date (then title), title, or venue (preprints last).
    #[arg(long, default_value = "date", value_name = "KEY")]
    pub sort: SortKey,

    /// Reverse the order.
    #[arg(long)]
    pub reverse: bool,

    /// Print at most N papers.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// The width to fit a table to: `COLUMNS`, else the terminal's, else none (no cutting).
fn table_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(n);
    }
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
}

/// Runs `query`: exit 0 when papers matched, 1 when none did (like grep).
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(dir)?;
    let mut found = super::select(&catalog, &args.filters)?;
    query::sort(&mut found, args.sort, args.reverse);
    if let Some(n) = args.limit {
        found.truncate(n);
    }
    let entries: Vec<&Entry> = found.iter().map(|r| r.entry).collect();
    if found.is_empty() {
        // Formats for programs still give a well-formed empty answer (`[]`, a CSV header), so a
        // pipe into `jq` or a CSV reader works; the exit code says there was no match.
        let empty = match args.format {
            Format::Json => output::json(&entries)?,
            Format::Yaml => "[]\n".to_owned(),
            Format::Csv => output::csv(&entries),
            _ => String::new(),
        };
        super::emit(None, &empty)?;
        super::say("hftlist: no papers match");
        return Ok(exit::code(exit::PROBLEMS));
    }
    let text = match args.format {
        Format::Table => output::table(&entries, table_width()),
        Format::Markdown => output::markdown(&entries),
        Format::Json => output::json(&entries)?,
        Format::Yaml => output::yaml(&entries)?,
        Format::Csv => output::csv(&entries),
        Format::Bibtex => cite::bibtex(&found, &catalog),
        Format::Ids => output::ids(&entries),
    };
    super::emit(None, &text)?;
    Ok(exit::code(exit::SUCCESS))
}
