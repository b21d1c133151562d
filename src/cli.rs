//! The command line: clap derive, one `Args` struct per subcommand in `cmd/`. Doc comments are
//! the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cmd::{add, export, import, query, render, stats, validate};
use crate::date::PartialDate;
use crate::ident::Tag;
use crate::paper::{Kind, Stage};
use crate::query::{Query, VenueFilter, YearRange};
use crate::venue::Registry;

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
    /// Import the entries of a hand-kept awesome-list README into the database.
    Import(import::Args),
    /// Find papers: filter, sort, and print them as a table, Markdown, JSON, YAML, CSV, BibTeX or ids.
    Query(query::Args),
    /// Export the papers as BibTeX, CSL-JSON, JSON or CSV.
    Export(export::Args),
    /// Generate the awesome-list README from the papers and `README.template.md`.
    Render(render::Args),
    /// Count the papers by year, kind and venue; draw papers per year as SVG.
    Stats(stats::Args),
}

/// The filters shared by `query`, `export` and `stats`; all given filters must hold.
#[derive(Debug, Default, clap::Args)]
pub struct Filters {
    /// Only papers of this kind; repeat for any of several.
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<Kind>,

    /// Only defenses of this stage; repeat for any of several.
    #[arg(long = "stage", value_name = "STAGE")]
    pub stages: Vec<Stage>,

    /// Only papers with this tag; repeat for any of several.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<Tag>,

    /// Only papers of this year, or range of years: `2025`, `2024..2025`, `2024..`, `..2025`.
    #[arg(long, value_name = "YEARS")]
    pub year: Option<YearRange>,

    /// Only papers dated on or after this date (`YYYY[-MM[-DD]]`).
    #[arg(long, value_name = "DATE")]
    pub since: Option<PartialDate>,

    /// Only papers dated on or before this date (`YYYY[-MM[-DD]]`).
    #[arg(long, value_name = "DATE")]
    pub until: Option<PartialDate>,

    /// Only papers published at this venue: a series (`ICLR`, any year) or a series and year.
    #[arg(long, value_name = "VENUE")]
    pub venue: Option<String>,

    /// Only papers with a venue.
    #[arg(long, conflicts_with = "preprint")]
    pub published: bool,

    /// Only preprints (papers without a venue).
    #[arg(long)]
    pub preprint: bool,

    /// Only papers with a code link.
    #[arg(long)]
    pub has_code: bool,

    /// Only papers whose title, authors or note contain every one of these words (any case).
    #[arg(long, value_name = "WORDS")]
    pub text: Option<String>,

    /// Only the paper with this id; repeat for several.
    #[arg(long = "id", value_name = "ID")]
    pub ids: Vec<String>,
}

impl Filters {
    /// The query these filters describe; the venue is checked against the registry.
    pub fn query(&self, registry: &Registry) -> anyhow::Result<Query> {
        let venue = match &self.venue {
            Some(v) => Some(
                VenueFilter::parse(v, registry)
                    .map_err(|e| anyhow::anyhow!("invalid value for --venue: {e}"))?,
            ),
            None => None,
        };
        let published = match (self.published, self.preprint) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        };
        Ok(Query {
            kinds: self.kinds.clone(),
            stages: self.stages.clone(),
            tags: self.tags.clone(),
            years: self.year,
            since: self.since,
            until: self.until,
            venue,
            published,
            has_code: self.has_code,
            words: self
                .text
                .as_deref()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            ids: self.ids.clone(),
        })
    }
}
