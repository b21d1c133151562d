//! `hftlist import FILE.md`: bring a hand-kept awesome list into the database.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::exit;
use crate::import::{self, Importer, Mapping, Outcome, heading_key};
use crate::store::db::{self, Db};

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Markdown list to import.
    pub file: PathBuf,

    /// Map a heading to a kind, stage and tags, e.g. `--map 'Federated=attack+federated'`;
    /// overrides what list.yaml says. Repeatable.
    #[arg(long, value_name = "HEADING=KIND[/STAGE][+TAG]", value_parser = parse_map)]
    pub map: Vec<(String, Mapping)>,

    /// Print the records that would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

fn parse_map(s: &str) -> Result<(String, Mapping), String> {
    let (heading, mapping) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("`{s}` is not HEADING=KIND[/STAGE][+TAG]"))?;
    Ok((heading_key(heading), mapping.parse()?))
}

/// How far an import got.
#[derive(Debug, Default)]
struct Progress {
    read: usize,
    written: usize,
    duplicates: usize,
    unparseable: usize,
    failed: usize,
}

/// Runs `import`: exit 0 when every entry was written or recognised as a duplicate, 1 when
/// some entries could not be read or written, 2 when the run was cut short (a closed or full
/// output), after saying how far it got.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let _lock = if args.dry_run {
        None
    } else {
        Some(crate::store::lock::Lock::acquire(dir)?)
    };
    let db = Db::load(dir)?;
    let markdown = crate::store::input::read_text(
        &args.file,
        None,
        crate::store::input::MAX_IMPORT,
        "the list",
    )?;
    let extra: HashMap<String, Mapping> = args.map.iter().cloned().collect();
    let mut importer = Importer::new(&db.list, extra);
    for entry in &db.entries {
        importer.know(entry.id.as_str(), &entry.paper);
    }
    // Files that did not load still own their names.
    for item in
        std::fs::read_dir(dir).with_context(|| format!("cannot list `{}`", dir.display()))?
    {
        let name = item
            .with_context(|| format!("cannot list `{}`", dir.display()))?
            .file_name();
        if let Some(stem) = name.to_string_lossy().strip_suffix(".yaml") {
            importer.reserve(stem);
        }
    }
    let source = args.file.display().to_string();
    let mut progress = Progress::default();
    let items = import::parse(&markdown);
    let total = items.iter().filter(|i| i.is_entry()).count();
    for item in &items {
        if !item.is_entry() {
            continue;
        }
        progress.read += 1;
        if let Err(e) = import_one(dir, args, &source, &mut importer, item, &mut progress) {
            super::say(format!(
                "hftlist: import stopped at {source}:{} (entry {} of {total}): {e:#}; {} record(s) \
                 {} before it",
                item.line,
                progress.read,
                progress.written,
                if args.dry_run { "printed" } else { "written" },
            ));
            return Ok(exit::code(exit::FAILURE));
        }
    }
    let verb = if args.dry_run { "would write" } else { "wrote" };
    let failed = if progress.failed > 0 {
        format!(", {} could not be written", progress.failed)
    } else {
        String::new()
    };
    super::say(format!(
        "read {} entries: {verb} {}, skipped {} duplicates, {} could not be parsed{failed}",
        progress.read, progress.written, progress.duplicates, progress.unparseable
    ));
    Ok(exit::code(if progress.unparseable + progress.failed > 0 {
        exit::PROBLEMS
    } else {
        exit::SUCCESS
    }))
}

/// Imports one entry. A record that cannot be written is reported and counted, and the import
/// goes on; an error returned means the output is gone and the import must stop.
fn import_one(
    dir: &Path,
    args: &Args,
    source: &str,
    importer: &mut Importer<'_>,
    item: &import::Item,
    progress: &mut Progress,
) -> anyhow::Result<()> {
    match importer.take(item) {
        Outcome::New { id, paper, notes } => {
            for note in notes {
                super::try_say(format!(
                    "{source}:{}: note: {}",
                    item.line,
                    crate::model::sanitize::message(&note)
                ))?;
            }
            if args.dry_run {
                let text = db::to_yaml(&paper)?;
                let mut stdout = std::io::stdout().lock();
                writeln!(
                    stdout,
                    "# {}\n{text}",
                    dir.join(format!("{id}.yaml")).display()
                )
                .and_then(|()| stdout.flush())
                .context("cannot write to stdout")?;
                progress.written += 1;
                return Ok(());
            }
            // The record as it will be read back must load without error (no control
            // characters from the Markdown, for one); otherwise it is reported, not written.
            let path = dir.join(format!("{id}.yaml"));
            let problem = db::to_yaml(&paper)
                .map(|text| db::parse_record(&path, &text).2)
                .unwrap_or_default()
                .into_iter()
                .find(|d| d.severity == crate::model::diag::Severity::Error);
            if let Some(d) = problem {
                progress.failed += 1;
                super::try_say(format!(
                    "{source}:{}: error: cannot import this entry: {}",
                    item.line, d.message
                ))?;
                return Ok(());
            }
            match db::create_record(dir, &id, &paper) {
                Ok(path) => {
                    progress.written += 1;
                    super::try_say(format!("{source}:{}: wrote {}", item.line, path.display()))?;
                }
                Err(e) => {
                    progress.failed += 1;
                    super::try_say(format!(
                        "{source}:{}: error: cannot write this entry: {e:#}",
                        item.line
                    ))?;
                }
            }
        }
        Outcome::Duplicate { of, by } => {
            progress.duplicates += 1;
            super::try_say(format!(
                "{source}:{}: skipped `{}`: same {by} as `{of}`",
                item.line,
                crate::model::sanitize::excerpt(item.title.trim())
            ))?;
        }
        Outcome::Unparseable { reason } => {
            progress.unparseable += 1;
            super::try_say(format!(
                "{source}:{}: error: cannot import this entry: {}",
                item.line,
                crate::model::sanitize::message(&reason)
            ))?;
        }
    }
    Ok(())
}
