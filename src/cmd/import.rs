//! `hftlist import FILE`: bring a hand-kept awesome list (Markdown), a BibTeX file or CSL-JSON
//! into the database, with the same duplicate and error reporting for all three.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::exit;
use crate::import::{self, Importer, Mapping, Outcome, heading_key};
use crate::import_bib::{self, Defaults};
use crate::model::paper::{Kind, Stage};
use crate::store::db::{self, Db, LIST_FILE};
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

/// Runs `import`: exit 0 when every entry was written or recognised as a duplicate, 1 when
/// some entries could not be read.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    if dir.is_dir() && !dir.join(LIST_FILE).exists() {
        anyhow::bail!(
            "`{}` holds no {LIST_FILE}: start a new list there with `hftlist init {}`",
            dir.display(),
            dir.display()
        );
    }
    let db = Db::load(dir)?;
    let text = std::fs::read_to_string(&args.file)
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
    let source = args.file.display().to_string();
    // Each entry of the file: its line, a name for messages, and what became of it.
    let mut outcomes: Vec<(usize, String, Outcome)> = Vec::new();
    match args.format.unwrap_or_else(|| Format::of(&args.file)) {
        Format::Markdown => {
            if args.kind.is_some() || args.stage.is_some() {
                anyhow::bail!(
                    "--kind and --stage apply to BibTeX and CSL-JSON; a Markdown list takes its \
                     kinds from its headings (see --map)"
                );
            }
            for item in import::parse(&text).into_iter().filter(|i| i.is_entry()) {
                let outcome = importer.take(&item);
                outcomes.push((item.line, item.title.trim().to_owned(), outcome));
            }
        }
        format => {
            let items = match format {
                Format::Bibtex => import_bib::parse_bibtex(&text),
                _ => import_bib::parse_csl_json(&text),
            }
            .map_err(|(line, why)| {
                anyhow::anyhow!("{source}:{line}: cannot read the file: {why}")
            })?;
            let defaults = Defaults {
                kind: args.kind,
                stage: args.stage,
            };
            for item in &items {
                let built = import_bib::to_paper(item, defaults, &importer);
                let outcome = importer.offer(built);
                outcomes.push((item.line, item.title.clone(), outcome));
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    let (read, mut written, mut duplicates, mut unparseable) = (outcomes.len(), 0, 0, 0);
    for (line, name, outcome) in outcomes {
        match outcome {
            Outcome::New { id, paper, notes } => {
                if ui::chatty() {
                    for note in notes {
                        eprintln!("{source}:{line}: note: {note}");
                    }
                }
                if args.dry_run {
                    let text = db::to_yaml(&paper)?;
                    writeln!(stdout, "# {}\n{text}", db::record_path(dir, &id).display())
                        .context("cannot write to stdout")?;
                } else {
                    let path = db::create_record(dir, &id, &paper)?;
                    if ui::chatty() {
                        eprintln!("{source}:{line}: wrote {}", path.display());
                    }
                }
                written += 1;
            }
            Outcome::Duplicate { of, by } => {
                duplicates += 1;
                if ui::chatty() {
                    eprintln!("{source}:{line}: skipped `{name}`: same {by} as `{of}`");
                }
            }
            Outcome::Unparseable { reason } => {
                unparseable += 1;
                eprintln!("{source}:{line}: error: cannot import this entry: {reason}");
            }
        }
    }
    if ui::chatty() {
        let verb = if args.dry_run { "would write" } else { "wrote" };
        eprintln!(
            "read {read} entries: {verb} {written}, skipped {duplicates} duplicates, \
             {unparseable} could not be parsed"
        );
    }
    Ok(exit::code(if unparseable > 0 {
        exit::PROBLEMS
    } else {
        exit::SUCCESS
    }))
}
