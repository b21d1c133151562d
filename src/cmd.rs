//! One module per subcommand: each loads what it needs, calls the library and returns the exit
//! code; none of them parses or checks data itself.

pub mod add;
pub mod build;
pub mod completions;
pub mod export;
pub mod fmt;
pub mod import;
pub mod init;
pub mod links;
pub mod man;
pub mod query;
pub mod refresh;
pub mod remove;
pub mod rename;
pub mod render;
pub mod site;
pub mod stats;
pub mod validate;

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::catalog::query::{Query, VenueFilter, YearRange};
use crate::catalog::{Catalog, Record};
use crate::model::date::PartialDate;
use crate::model::ident::Tag;
use crate::model::paper::{Kind, Stage};
use crate::model::venue::Registry;

/// The records the filters select, in the catalog's order; warns on stderr when some record
/// files could not be read (they cannot be selected, and `validate` says why).
pub(crate) fn select<'c>(
    catalog: &'c Catalog,
    filters: &Filters,
) -> anyhow::Result<Vec<Record<'c>>> {
    let query = filters.query(catalog.registry())?;
    if let Some(id) = filters.ids.iter().find(|id| catalog.get(id).is_none()) {
        anyhow::bail!("--id: {}", rename::unknown_id(catalog, id));
    }
    let skipped = catalog.unreadable();
    if skipped > 0 {
        say(format!(
            "hftlist: warning: {skipped} record file(s) could not be read and are left out; run \
             `hftlist validate`"
        ));
    }
    Ok(catalog.select(&query))
}

/// Writes a command's output to the file (atomically) or, without one or with `-`, to stdout.
pub(crate) fn emit(output: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(path) if path != Path::new("-") => crate::store::atomic::replace(path, text),
        _ => {
            let mut stdout = std::io::stdout().lock();
            // Flushed here: an error left in the buffer at exit would be lost.
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .context("cannot write to stdout")
        }
    }
}

pub(crate) use crate::messages::{say, try_say};

/// The filters shared by `query`, `export`, `stats` and `links`; all given filters must hold.
#[derive(Debug, Default, clap::Args)]
pub struct Filters {
    /// Only papers of this kind; repeat for any of several.
    #[arg(long = "kind", value_name = "KIND", ignore_case = true)]
    pub kinds: Vec<Kind>,

    /// Only defenses of this stage; repeat for any of several.
    #[arg(long = "stage", value_name = "STAGE", ignore_case = true)]
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

    /// Only papers published at this venue: `ICLR` (any year), `ICLR 2025` (its main
    /// proceedings, orals included), `NeurIPS 2024 Workshop`, `ICLR 2026 Oral`, `ICLR 2025 *`
    /// (every track).
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
