//! The command line: clap derive, one `Args` struct per subcommand in `cmd/`. Doc comments are
//! the help text; this is also the root `completions` and `man` generate from.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd::{
    add, build, completions, export, fmt, import, init, links, man, query, refresh, remove, rename,
    render, site, stats, validate,
};
use crate::ui::ColorChoice;

/// Keep the harmful fine-tuning bibliography: validate the paper records, query them, and
/// generate the awesome list from them.
#[derive(Debug, Parser)]
#[command(name = "hftlist", version, propagate_version = true)]
pub struct Cli {
    /// The database folder: `list.yaml` and one `<id>.yaml` per paper [default: the nearest
    /// `papers/` holding a list.yaml, from the current directory up].
    #[arg(
        long,
        global = true,
        env = "HFTLIST_DB",
        value_name = "DIR",
        value_hint = clap::ValueHint::DirPath
    )]
    pub db: Option<PathBuf>,

    /// Colour diagnostics: `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print only results and errors: no line per record written, no summary.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print what was checked and left unchanged.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every record and report every problem, as `file:line:col: error[rule]: message`.
    Validate(validate::Args),
    /// Add a paper from its arXiv id, DOI or OpenReview forum (or by hand), refusing duplicates.
    Add(Box<add::Args>),
    /// Import papers from a hand-kept awesome-list README, a BibTeX file or CSL-JSON.
    Import(import::Args),
    /// Find papers: filter, sort, and print them as a table, Markdown, JSON, YAML, CSV, BibTeX or ids.
    Query(query::Args),
    /// Export the papers as BibTeX, CSL-JSON, JSON or CSV.
    Export(export::Args),
    /// Check records against arXiv, OpenReview, DBLP and Crossref; propose (`--write`: apply)
    /// authors, venues, identifiers and corrections.
    Refresh(Box<refresh::Args>),
    /// Rewrite records in canonical form (`--check`: only list those that are not).
    Fmt(fmt::Args),
    /// Generate the awesome-list README from the papers and `README.template.md`.
    Render(render::Args),
    /// Count the papers by year, kind and venue; draw papers per year as SVG.
    Stats(stats::Args),
    /// Write the searchable static website (`-o DIR`), or check that DIR is current.
    Site(site::Args),
    /// Write every generated file (the README and the chart), or check that they are current.
    Build(build::Args),
    /// Start a new list: a database folder with list.yaml and a README template.
    Init(init::Args),
    /// Give a record a new id: renames its file.
    Rename(rename::Args),
    /// Delete a record (asks for --yes).
    Remove(remove::Args),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish.
    Completions(completions::Args),
    /// Print the man page (roff).
    Man(man::Args),
    /// Check every link of the records over the network: dead, moved, insecure, anonymous.
    Links(Box<links::Args>),
}
