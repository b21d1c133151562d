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

/// Runs `import`: exit 0 when every entry was written or recognised as a duplicate, 1 when
/// some entries could not be read.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let db = Db::load(dir)?;
    let markdown = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read `{}`", args.file.display()))?;
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
    let source = args.file.display();
    let mut stdout = std::io::stdout().lock();
    let (mut read, mut written, mut duplicates, mut unparseable) = (0, 0, 0, 0);
    for item in import::parse(&markdown) {
        if !item.is_entry() {
            continue;
        }
        read += 1;
        match importer.take(&item) {
            Outcome::New { id, paper, notes } => {
                for note in notes {
                    eprintln!("{source}:{}: note: {note}", item.line);
                }
                if args.dry_run {
                    let text = db::to_yaml(&paper)?;
                    writeln!(stdout, "# {}\n{text}", db::record_path(dir, &id).display())
                        .context("cannot write to stdout")?;
                } else {
                    let path = db::create_record(dir, &id, &paper)?;
                    eprintln!("{source}:{}: wrote {}", item.line, path.display());
                }
                written += 1;
            }
            Outcome::Duplicate { of, by } => {
                duplicates += 1;
                eprintln!(
                    "{source}:{}: skipped `{}`: same {by} as `{of}`",
                    item.line,
                    item.title.trim()
                );
            }
            Outcome::Unparseable { reason } => {
                unparseable += 1;
                eprintln!(
                    "{source}:{}: error: cannot import this entry: {reason}",
                    item.line
                );
            }
        }
    }
    let verb = if args.dry_run { "would write" } else { "wrote" };
    eprintln!(
        "read {read} entries: {verb} {written}, skipped {duplicates} duplicates, \
         {unparseable} could not be parsed"
    );
    Ok(exit::code(if unparseable > 0 {
        exit::PROBLEMS
    } else {
        exit::SUCCESS
    }))
}
