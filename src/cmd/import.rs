//! `hftlist import FILE`: bring a hand-kept awesome list (Markdown), a BibTeX file or CSL-JSON
//! into the database, with the same duplicate and error reporting for all three.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::catalog::Catalog;
use crate::exit;
use crate::import::{self, Importer, Mapping, Outcome, heading_key};
use crate::import_bib::{self, Defaults};
use crate::model::paper::{Kind, Stage};
use crate::store::db::{self, LIST_FILE};
use crate::ui;

/// What the imported file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An awesome-list README: dated list items under section headings.
    Markdown,
    /// BibTeX or BibLaTeX entries.
    Bibtex,
    /// A CSL-JSON array (Zotero, pandoc).
    CslJson,
}

impl Format {
    /// The format a file's extension suggests: `.bib`, `.json`, else Markdown.
    pub fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("bib") => Self::Bibtex,
            Some(e) if e.eq_ignore_ascii_case("json") => Self::CslJson,
            _ => Self::Markdown,
        }
    }
}

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to import: a Markdown list, a `.bib` file or CSL-JSON.
    pub file: PathBuf,

    /// What the file holds [default: from its extension: `.bib` BibTeX, `.json` CSL-JSON, else
    /// Markdown].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// BibTeX and CSL-JSON: the kind of entries whose keywords name none.
    #[arg(long, ignore_case = true)]
    pub kind: Option<Kind>,

    /// BibTeX and CSL-JSON: the stage of defenses whose keywords name none.
    #[arg(long, ignore_case = true)]
    pub stage: Option<Stage>,

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
    if dir.is_dir() && !dir.join(LIST_FILE).exists() {
        anyhow::bail!(
            "`{}` holds no {LIST_FILE}: start a new list there with `hftlist init {}`",
            dir.display(),
            dir.display()
        );
    }
    let format = args.format.unwrap_or_else(|| Format::of(&args.file));
    if format == Format::Markdown && (args.kind.is_some() || args.stage.is_some()) {
        anyhow::bail!(
            "--kind and --stage apply to BibTeX and CSL-JSON; a Markdown list takes its kinds \
             from its headings (see --map)"
        );
    }
    let _lock = if args.dry_run {
        None
    } else {
        Some(crate::store::lock::Lock::acquire(dir)?)
    };
    let catalog = Catalog::load(dir)?;
    let db = catalog.db();
    let text = crate::store::input::read_text(
        &args.file,
        None,
        crate::store::input::MAX_IMPORT,
        "the file to import",
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
    // Each entry of the file, with its line and a name for messages.
    let entries: Vec<(usize, String, Entry)> = match format {
        Format::Markdown => import::parse(&text)
            .into_iter()
            .filter(|i| i.is_entry())
            .map(|i| (i.line, i.title.trim().to_owned(), Entry::Markdown(i)))
            .collect(),
        Format::Bibtex | Format::CslJson => {
            let parsed = if format == Format::Bibtex {
                import_bib::parse_bibtex(&text)
            } else {
                import_bib::parse_csl_json(&text)
            };
            parsed
                .map_err(|(line, why)| {
                    anyhow::anyhow!("{source}:{line}: cannot read the file: {why}")
                })?
                .into_iter()
                .map(|b| (b.line, b.title.clone(), Entry::Reference(b)))
                .collect()
        }
    };
    let defaults = Defaults {
        kind: args.kind,
        stage: args.stage,
    };
    let mut progress = Progress::default();
    let total = entries.len();
    for (line, title, entry) in &entries {
        progress.read += 1;
        let outcome = match entry {
            Entry::Markdown(item) => importer.take(item),
            Entry::Reference(item) => {
                let built = import_bib::to_paper(item, defaults, &importer);
                importer.offer(built)
            }
        };
        // A new paper whose title a reader would call the same as a listed one's is written (the
        // titles may belong to two papers) but named, as validate's similar-title rule would.
        if let Outcome::New { paper, .. } = &outcome {
            for near in catalog.near_titles(&paper.title) {
                super::try_say(format!(
                    "{source}:{line}: warning: `{}` is nearly the same title as that of `{}`: if \
                     they are one paper, keep one record",
                    crate::model::sanitize::excerpt(title),
                    near.path.display()
                ))?;
            }
        }
        let at = Place {
            source: &source,
            line: *line,
            title,
        };
        if let Err(e) = import_one(dir, args, &at, outcome, &mut progress) {
            super::say(format!(
                "hftlist: import stopped at {source}:{line} (entry {} of {total}): {e:#}; {} \
                 record(s) {} before it",
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
    let _ = chatty(format!(
        "read {} entries: {verb} {}, skipped {} duplicates, {} could not be parsed{failed}",
        progress.read, progress.written, progress.duplicates, progress.unparseable
    ));
    Ok(exit::code(if progress.unparseable + progress.failed > 0 {
        exit::PROBLEMS
    } else {
        exit::SUCCESS
    }))
}

/// One entry of the imported file.
enum Entry {
    /// A Markdown list item.
    Markdown(import::Item),
    /// A BibTeX or CSL-JSON entry.
    Reference(import_bib::BibItem),
}

/// Where an entry stands, for messages.
struct Place<'a> {
    source: &'a str,
    line: usize,
    title: &'a str,
}

/// Says a progress line unless `--quiet`.
fn chatty(line: String) -> std::io::Result<()> {
    if ui::chatty() {
        super::try_say(line)
    } else {
        Ok(())
    }
}

/// Writes (or, with `--dry-run`, prints) what one entry became. A record that cannot be
/// written is reported and counted, and the import goes on; an error returned means the output
/// is gone and the import must stop.
fn import_one(
    dir: &Path,
    args: &Args,
    at: &Place<'_>,
    outcome: Outcome,
    progress: &mut Progress,
) -> anyhow::Result<()> {
    let (source, line) = (at.source, at.line);
    match outcome {
        Outcome::New { id, paper, notes } => {
            for note in notes {
                chatty(format!(
                    "{source}:{}: note: {}",
                    line,
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
                    line, d.message
                ))?;
                return Ok(());
            }
            match db::create_record(dir, &id, &paper) {
                Ok(path) => {
                    progress.written += 1;
                    chatty(format!("{source}:{line}: wrote {}", path.display()))?;
                }
                Err(e) => {
                    progress.failed += 1;
                    super::try_say(format!(
                        "{source}:{line}: error: cannot write this entry: {e:#}"
                    ))?;
                }
            }
        }
        Outcome::Duplicate { of, by } => {
            progress.duplicates += 1;
            chatty(format!(
                "{source}:{}: skipped `{}`: same {by} as `{of}`",
                line,
                crate::model::sanitize::excerpt(at.title)
            ))?;
        }
        Outcome::Unparseable { reason } => {
            progress.unparseable += 1;
            super::try_say(format!(
                "{source}:{}: error: cannot import this entry: {}",
                line,
                crate::model::sanitize::message(&reason)
            ))?;
        }
    }
    Ok(())
}
