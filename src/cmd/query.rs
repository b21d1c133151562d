//! `hftlist query`: the papers of the database, as JSON records or as ids.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde::Serialize;

use crate::db::{Db, Entry};
use crate::exit;
use crate::ident::PaperId;
use crate::paper::Paper;

/// How to print the papers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A JSON array of records, each with its `id` and every field.
    #[default]
    Json,
    /// One id per line, for scripts.
    Ids,
}

/// Arguments of `query`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// A record with its id, as JSON shows it.
#[derive(Serialize)]
struct WithId<'a> {
    id: &'a PaperId,
    #[serde(flatten)]
    paper: &'a Paper,
}

/// Runs `query`: exit 0 when papers were printed, 1 when none matched.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let db = Db::load(dir)?;
    let skipped = db.files - db.entries.len();
    if skipped > 0 {
        eprintln!(
            "hftlist: warning: {skipped} record file(s) could not be read and are left out; run \
             `hftlist validate`"
        );
    }
    let matches: Vec<&Entry> = db.entries.iter().collect();
    if matches.is_empty() {
        eprintln!("hftlist: no papers match");
        return Ok(exit::code(exit::PROBLEMS));
    }
    let text = match args.format {
        Format::Json => {
            let records: Vec<WithId<'_>> = matches
                .iter()
                .map(|e| WithId {
                    id: &e.id,
                    paper: &e.paper,
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&records).context("cannot write JSON")?;
            s.push('\n');
            s
        }
        Format::Ids => matches.iter().map(|e| format!("{}\n", e.id)).collect(),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .context("cannot write to stdout")?;
    Ok(exit::code(exit::SUCCESS))
}
