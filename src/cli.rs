//! The command line: clap derive, one `Args` struct per subcommand in `cmd/`. Doc comments are
//! the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd::{add, discover, export, fmt, import, query, render, stats, validate};

/// Keep the harmful fine-tuning bibliography: validate the paper records, query them, and
/// generate the awesome list from them.
#[derive(Debug, Parser)]
#[command(name = "hftlist", version, propagate_version = true)]
pub struct Cli {
    /// The database folder: `list.yaml` and one `<id>.yaml` per paper.
    #[arg(
        long,
        global = true,
        env = "HFTLIST_DB",
        default_value = "papers",
        value_name = "DIR"
    )]
    pub db: PathBuf,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every record and report every problem, as `file:line:col: error[rule]: message`.
    Validate(validate::Args),
    /// Add a paper from its arXiv id (or by hand), refusing duplicates.
    Add(Box<add::Args>),
    /// Find papers the list does not have yet: arXiv searches for its phrases and Semantic
    /// Scholar's citations of its key papers, ranked for review.
    Discover(discover::Args),
    /// Import the entries of a hand-kept awesome-list README into the database.
    Import(import::Args),
    /// Find papers: filter, sort, and print them as a table, Markdown, JSON, YAML, CSV, BibTeX or ids.
    Query(query::Args),
    /// Export the papers as BibTeX, CSL-JSON, JSON or CSV.
    Export(export::Args),
    /// Rewrite records in canonical form (`--check`: only list those that are not).
    Fmt(fmt::Args),
    /// Generate the awesome-list README from the papers and `README.template.md`.
    Render(render::Args),
    /// Count the papers by year, kind and venue; draw papers per year as SVG.
    Stats(stats::Args),
}
