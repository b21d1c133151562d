//! `hftlist add`: a new paper in one command, from its arXiv id, DOI (Crossref) or OpenReview
//! forum, or by hand. A venue a source states is read through the registry the way `refresh`
//! reads it, so the record written is one `refresh` leaves unchanged.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::bail;

use crate::catalog::Catalog;
use crate::checks::lint;
use crate::exit;
use crate::import::slug_for;
use crate::model::date::PartialDate;
use crate::model::diag::Severity;
use crate::model::ident::{ArxivId, Doi, OpenReviewId, PaperId, Tag};
use crate::model::link::Url;
use crate::model::paper::{Field, Kind, Paper, Stage};
use crate::sources::refresh;
use crate::sources::{self, arxiv, crossref, openreview};
use crate::store::db::{self, Db, Entry, Spans};

/// Arguments of `add`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The arXiv id (`2501.17433`) or URL of the paper. Leave it out and give --title and --date
    /// for a paper that is not on arXiv.
    pub arxiv: Option<String>,

    /// What the paper contributes.
    #[arg(long, ignore_case = true)]
    pub kind: Kind,

    /// For a defense, the stage it acts in.
    #[arg(long, ignore_case = true)]
    pub stage: Option<Stage>,

    /// Where it was published, e.g. `NeurIPS 2024`.
    #[arg(long)]
    pub venue: Option<String>,

    /// A tag; repeatable.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<Tag>,

    /// A short remark shown in the list.
    #[arg(long)]
    pub note: Option<String>,

    /// The code repository (overrides one found in the abstract).
    #[arg(long)]
    pub code: Option<Url>,

    /// A project page.
    #[arg(long)]
    pub project: Option<Url>,

    /// The record's id [default: a slug of the title].
    #[arg(long)]
    pub id: Option<PaperId>,

    /// The date of first appearance [default: arXiv version 1].
    #[arg(long)]
    pub date: Option<PartialDate>,

    /// The title, for a paper not on arXiv.
    #[arg(long)]
    pub title: Option<String>,

    /// An author, for a paper not on arXiv; repeatable, in order.
    #[arg(long = "author", value_name = "NAME")]
    pub authors: Vec<String>,

    /// The paper's link, when no identifier gives it.
    #[arg(long)]
    pub paper: Option<Url>,

    /// The OpenReview forum id.
    #[arg(long)]
    pub openreview: Option<OpenReviewId>,

    /// The DOI.
    #[arg(long)]
    pub doi: Option<Doi>,

    /// Seconds the service may take to answer, waits it asks for included (1 to 3600).
    #[arg(long, default_value_t = 30, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,

    /// Use only answers already in the cache; never connect.
    #[arg(long)]
    pub offline: bool,

    /// Print the record and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `add`: exit 0 when the record was written (or printed), 1 when it was refused (a
/// duplicate, a taken id, a record that fails validation), 2 when the source could not be asked.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    check_kind_and_stage(args.kind, args.stage)?;
    // Held until the record is written: two runs cannot both find the paper new.
    let _lock = if args.dry_run {
        None
    } else {
        Some(crate::store::lock::Lock::acquire(dir)?)
    };
    let catalog = Catalog::load(dir)?;
    let given = match &args.arxiv {
        Some(given) => Some(parse_identifier(given)?),
        None => None,
    };
    let arxiv_id = match &given {
        Some(Identifier::Arxiv(id)) => Some(id.clone()),
        _ => None,
    };
    let doi = match &given {
        Some(Identifier::Doi(doi)) => Some(doi.clone()),
        _ => args.doi.clone(),
    };
    let openreview_id = match &given {
        Some(Identifier::OpenReview(id)) => Some(id.clone()),
        _ => args.openreview.clone(),
    };
    // Refuse a known paper before asking any service.
    let known = crate::model::paper::identity_keys(
        arxiv_id.as_ref(),
        doi.as_ref(),
        openreview_id.as_ref(),
        args.paper.as_ref(),
        args.title.as_deref().unwrap_or_default(),
    );
    if let Some(code) = refuse_duplicate(&catalog, &known) {
        return Ok(code);
    }
    let client = || {
        sources::Client::new(sources::Options {
            timeout: Duration::from_secs(args.timeout),
            offline: args.offline,
        })
    };
    let pick_authors = |fetched: Vec<String>| {
        if args.authors.is_empty() {
            fetched
        } else {
            args.authors.clone()
        }
    };
    let mut venue = args.venue.clone();
    let (title, authors, date, code) = match &given {
        Some(Identifier::Arxiv(id)) => {
            let record = arxiv::fetch(&client(), id)?;
            (
                args.title.clone().unwrap_or(record.title),
                pick_authors(record.authors),
                args.date.unwrap_or(record.published),
                args.code.clone().or(record.code),
            )
        }
        Some(Identifier::Doi(doi)) => {
            let mailto = super::refresh::mailto(&catalog);
            let work = crossref::fetch(&client(), doi, mailto.as_deref())?;
            if venue.is_none() {
                venue = source_venue(refresh::crossref_venue(&work, catalog.registry()));
            }
            let Some(date) = args.date.or(work.published) else {
                bail!("Crossref gives no date for {doi}: give it with --date");
            };
            (
                args.title.clone().unwrap_or(work.title),
                pick_authors(work.authors),
                date,
                args.code.clone(),
            )
        }
        Some(Identifier::OpenReview(id)) => {
            let Some(date) = args.date else {
                bail!(
                    "the OpenReview API gives no date of first appearance: give it with --date \
                     (the forum's first public version); nothing was fetched"
                );
            };
            let note = openreview::fetch(&client(), id)?;
            if venue.is_none() {
                venue = source_venue(refresh::openreview_venue(&note, catalog.registry()));
            }
            (
                args.title.clone().unwrap_or(note.title),
                pick_authors(note.authors),
                date,
                args.code.clone(),
            )
        }
        None => {
            let (Some(title), Some(date)) = (&args.title, args.date) else {
                bail!(
                    "give an arXiv id, a DOI or an OpenReview forum, or --title and --date (with \
                     --paper, --openreview or --doi) for a paper none of them knows"
                );
            };
            (title.clone(), args.authors.clone(), date, args.code.clone())
        }
    };
    let paper = Paper {
        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
        kind: args.kind,
        stage: args.stage,
        date,
        // The registry's spelling (`nips 2025` -> `NeurIPS 2025`); an unknown venue is kept
        // as given, and the check below reports it.
        venue: venue.as_deref().map(|v| {
            catalog
                .registry()
                .resolve(v)
                .map_or_else(|| v.to_owned(), |r| r.canonical)
        }),
        authors,
        arxiv: arxiv_id,
        doi,
        openreview: openreview_id,
        paper: args.paper.clone(),
        code,
        project: args.project.clone(),
        tags: args.tags.clone(),
        note: args.note.clone(),
    };
    if paper.title.is_empty() {
        bail!("the title is empty");
    }
    // The fetched title may match a record whose identifiers differ.
    if let Some(code) = refuse_duplicate(&catalog, &paper.identity_keys()) {
        return Ok(code);
    }
    // A title a reader would call the same is likely the same paper under another id (a
    // retitled version, a typo): said before writing, so the maintainer can check.
    for near in catalog.near_titles(&paper.title) {
        super::say(format!(
            "hftlist: warning: the title is nearly the same as that of `{}`: if they are one \
             paper, keep one record",
            near.path.display()
        ));
    }
    let id = match &args.id {
        Some(id) => id.clone(),
        None => slug_for(&paper.title)
            .parse()
            .map_err(|e: crate::model::ident::IdError| {
                anyhow::anyhow!("{e}; choose one with --id")
            })?,
    };
    let path = db::record_path(dir, &id);
    if path.exists() || catalog.get(id.as_str()).is_some() {
        let free = (2..)
            .filter_map(|n| format!("{id}-{n}").parse::<PaperId>().ok())
            .find(|c| !db::record_path(dir, c).exists() && catalog.get(c.as_str()).is_none())
            .map(|c| c.to_string())
            .unwrap_or_default();
        super::say(format!(
            "hftlist: the id `{id}` is taken by `{}`; choose another with --id (e.g. `--id {free}`)",
            path.display()
        ));
        return Ok(exit::code(exit::PROBLEMS));
    }
    if !check_record(catalog.into_db(), &id, &path, &paper) {
        return Ok(exit::code(exit::PROBLEMS));
    }
    if args.dry_run {
        super::emit(None, &db::to_yaml(&paper)?)?;
        return Ok(exit::code(exit::SUCCESS));
    }
    let written = db::create_record(dir, &id, &paper)?;
    super::emit(None, &format!("{}\n", written.display()))?;
    Ok(exit::code(exit::SUCCESS))
}

/// Refuses a kind and stage that cannot go together, before anything is fetched.
fn check_kind_and_stage(kind: Kind, stage: Option<Stage>) -> anyhow::Result<()> {
    match (kind, stage) {
        (Kind::Defense, None) => bail!(
            "a defense needs --stage: `pre-training`, `alignment`, `fine-tuning` or \
             `post-fine-tuning`; nothing was fetched"
        ),
        (kind, Some(stage)) if kind != Kind::Defense => bail!(
            "only a defense has a stage: drop `--stage {stage}` for this {kind}; nothing was \
             fetched"
        ),
        _ => Ok(()),
    }
}

/// What the positional argument names.
#[derive(Debug, PartialEq, Eq)]
enum Identifier {
    Arxiv(ArxivId),
    Doi(Doi),
    OpenReview(OpenReviewId),
}

/// An arXiv id or URL, a DOI (bare, `doi:` or a doi.org URL), or an OpenReview forum id or
/// URL.
fn parse_identifier(given: &str) -> anyhow::Result<Identifier> {
    let given = given.trim();
    let doi = Doi::strip_url_prefix(given)
        .or_else(|| given.strip_prefix("doi:"))
        .or_else(|| given.starts_with("10.").then_some(given));
    if let Some(doi) = doi {
        return doi
            .parse()
            .map(Identifier::Doi)
            .map_err(|e: crate::model::ident::IdError| anyhow::anyhow!("{e}"));
    }
    if let Some(id) = OpenReviewId::from_url(given) {
        return Ok(Identifier::OpenReview(id));
    }
    let arxiv_like = given.contains('.')
        && given
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'v'));
    if arxiv_like || given.contains("arxiv.org") || given.starts_with("arXiv:") {
        return parse_arxiv_arg(given).map(Identifier::Arxiv);
    }
    if let Ok(id) = parse_arxiv_arg(given) {
        return Ok(Identifier::Arxiv(id));
    }
    given.parse().map(Identifier::OpenReview).map_err(|_| {
        anyhow::anyhow!(
            "`{given}` is not an arXiv id (`2501.17433`), a DOI (`10.1145/3712003`) or an \
             OpenReview forum id (`ERNpUGr8M5`), nor a URL of one"
        )
    })
}

/// A source's venue in registry spelling; a series the registry does not know is a warning and
/// no venue.
fn source_venue(claim: Option<refresh::VenueClaim>) -> Option<String> {
    match claim?.venue {
        Ok(placed) => Some(placed.canonical()),
        Err(what) => {
            sources::warn(&format!("the venue is left out: {what}"));
            None
        }
    }
}

/// An arXiv id from an id or an abs/pdf/html URL, with any version dropped.
fn parse_arxiv_arg(given: &str) -> anyhow::Result<ArxivId> {
    if let Some(id) = ArxivId::from_url(given) {
        return Ok(id);
    }
    let bare = given.strip_prefix("arXiv:").unwrap_or(given);
    let bare = crate::model::ident::strip_version(bare);
    bare.parse::<ArxivId>()
        .map_err(|e| anyhow::anyhow!("{e}; give an id such as `2501.17433` or an arxiv.org URL"))
}

/// Prints the record that shares one of the keys and returns exit 1, or `None` when the paper
/// is new.
fn refuse_duplicate(catalog: &Catalog, keys: &[(Field, &'static str, String)]) -> Option<ExitCode> {
    let found = catalog.identity().find(keys)?;
    super::say(format!(
        "hftlist: this paper is already in `{}` (same {}); nothing was written",
        catalog.record(found.index).path.display(),
        found.what
    ));
    Some(exit::code(exit::PROBLEMS))
}

/// Runs every rule on the database with the new record in it; prints what concerns the record.
/// Returns whether it may be written (no errors).
fn check_record(mut db: Db, id: &PaperId, path: &Path, paper: &Paper) -> bool {
    db.entries.push(Entry {
        id: id.clone(),
        path: PathBuf::from(path),
        paper: paper.clone(),
        spans: Spans::default(),
    });
    let diagnostics = lint::check(&Catalog::new(db), lint::today());
    // The record as it will be read back: what loading checks (control characters...) too.
    let own = db::to_yaml(paper)
        .map(|text| db::parse_record(path, &text).2)
        .unwrap_or_default();
    let mine: Vec<_> = own
        .iter()
        .chain(diagnostics.iter().filter(|d| d.file == path))
        .collect();
    let color = crate::ui::use_color(crate::ui::Stream::Stderr);
    for d in &mine {
        crate::ui::say_painted(&crate::ui::diagnostic_line(d, color));
    }
    let errors = mine
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        super::say(format!(
            "hftlist: the new record has {errors} error(s); nothing was written"
        ));
    }
    errors == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_of_every_service_and_their_urls() {
        let arxiv = |s: &str| Identifier::Arxiv(s.parse().unwrap());
        let doi = |s: &str| Identifier::Doi(s.parse().unwrap());
        let forum = |s: &str| Identifier::OpenReview(s.parse().unwrap());
        for (given, expected) in [
            ("2402.01109", arxiv("2402.01109")),
            ("arXiv:2402.01109v3", arxiv("2402.01109")),
            ("https://arxiv.org/abs/2402.01109v2", arxiv("2402.01109")),
            ("10.1145/3712003", doi("10.1145/3712003")),
            ("doi:10.1145/3712003", doi("10.1145/3712003")),
            ("https://doi.org/10.1145/3712003", doi("10.1145/3712003")),
            ("h4rmFtExmp", forum("h4rmFtExmp")),
            (
                "https://openreview.net/forum?id=h4rmFtExmp&noteId=x",
                forum("h4rmFtExmp"),
            ),
        ] {
            assert_eq!(parse_identifier(given).unwrap(), expected, "{given}");
        }
        assert!(
            parse_identifier("2501.1743")
                .unwrap_err()
                .to_string()
                .contains("is not a new-style arXiv id")
        );
        assert!(
            parse_identifier("10.1/x")
                .unwrap_err()
                .to_string()
                .contains("is not a DOI")
        );
        assert!(
            parse_identifier("not an id!")
                .unwrap_err()
                .to_string()
                .starts_with("`not an id!` is not an arXiv id")
        );
    }
}
