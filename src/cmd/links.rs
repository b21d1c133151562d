//! `hftlist links`: every link of the selected records checked over the network (through
//! `sources::links`), reported at the record's `file:line:col` like `validate`; `--fix` writes
//! the new URL of moved and insecure links into the records.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

use super::validate::Format;
use super::{Filters, select};
use crate::catalog::{Catalog, Link};
use crate::exit;
use crate::model::diag::{Diagnostic, Rule, Tally};
use crate::model::link::Url;
use crate::model::paper::{Field, Paper};
use crate::sources::cache::Cache;
use crate::sources::links::{self, Checked, GITHUB, GitHubApi, Settings, Verdict};

/// The fields that hold links.
const LINK_FIELDS: [Field; 6] = [
    Field::Arxiv,
    Field::Paper,
    Field::Openreview,
    Field::Doi,
    Field::Code,
    Field::Project,
];

/// Arguments of `links`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which records.
    #[command(flatten)]
    pub filters: Filters,

    /// Only the links of this field (`code`, `paper`, `project`, `arxiv`, `doi`,
    /// `openreview`); repeat for several.
    #[arg(long = "field", value_name = "FIELD", value_parser = parse_link_field)]
    pub fields: Vec<Field>,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Rewrite moved links (and http links whose https address works) in the records.
    #[arg(long)]
    pub fix: bool,

    /// Report from the cache only; never connect.
    #[arg(long)]
    pub offline: bool,

    /// The most one link may take, in seconds, redirects and `Retry-After` waits included.
    #[arg(long, value_name = "SECS", default_value_t = 20.0, value_parser = parse_secs)]
    pub timeout: f64,

    /// Links asked at once from one host.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..))]
    pub per_host: u16,

    /// Links asked at once in all.
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
}

fn parse_link_field(s: &str) -> Result<Field, String> {
    let field: Field = s.parse()?;
    if LINK_FIELDS.contains(&field) {
        Ok(field)
    } else {
        Err(format!(
            "`{s}` holds no link: expected one of {}",
            LINK_FIELDS
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

fn parse_secs(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 3600.0 => Ok(v),
        _ => Err(format!(
            "`{s}` is not a number of seconds between 0 and 3600"
        )),
    }
}

/// One link of one record, as the report needs it.
struct Item<'c> {
    index: usize,
    path: &'c Path,
    link: Link,
}

/// Runs `links`: exit 0 when no link is dead, 1 when some are, 2 when the check cannot run.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    let catalog = Catalog::load(dir)?;
    let records = select(&catalog, &args.filters)?;
    let items: Vec<Item<'_>> = records
        .iter()
        .flat_map(|r| {
            r.links()
                .into_iter()
                .filter(|l| args.fields.is_empty() || args.fields.contains(&l.field))
                .map(|link| Item {
                    index: r.index,
                    path: r.path.as_path(),
                    link,
                })
        })
        .collect();
    let settings = Settings {
        timeout: Duration::from_secs_f64(args.timeout),
        per_host: usize::from(args.per_host),
        total: usize::from(args.concurrency),
        offline: args.offline,
        github: github_api()?,
    };
    let urls: Vec<String> = items.iter().map(|i| i.link.url.clone()).collect();
    let progress = Progress::new(std::io::stderr().is_terminal());
    let results = links::check_all(
        &urls,
        &settings,
        Cache::from_env().as_ref(),
        &|done, total| progress.show(done, total),
    );
    progress.clear();
    let results = results?;

    let mut diagnostics = Vec::new();
    let mut fixes: BTreeMap<usize, Vec<(Field, String)>> = BTreeMap::new();
    for item in &items {
        let url = &item.link.url;
        if links::is_anonymous(url) {
            diagnostics.push(Diagnostic::new(
                item.path,
                item.link.pos,
                Rule::AnonymousLink,
                format!(
                    "`{url}` is an anonymous review copy, which expires after review; find the \
                     published repository"
                ),
            ));
        }
        if let Some(checked) = results.checked.get(url) {
            diagnostics.extend(judge(item, checked, args.fix, &mut fixes));
        }
    }
    diagnostics.sort();
    let fixed = apply_fixes(&catalog, &fixes)?;
    let files = records.len();
    super::emit(
        None,
        &super::validate::report(args.format, &diagnostics, files),
    )?;
    if args.fix && !fixed.is_empty() {
        super::say(format!("hftlist: --fix rewrote {} record(s):", fixed.len()));
        for path in &fixed {
            super::say(format!("  {}", path.display()));
        }
    }
    if !results.uncached.is_empty() {
        return Err(crate::sources::NetError::Offline(results.uncached).into());
    }
    Ok(exit::code(if Tally::of(&diagnostics).errors > 0 {
        exit::PROBLEMS
    } else {
        exit::SUCCESS
    }))
}

/// The GitHub API settings, when `GITHUB_TOKEN` is set.
fn github_api() -> anyhow::Result<Option<GitHubApi>> {
    let Some(token) = std::env::var("GITHUB_TOKEN")
        .ok()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
    else {
        return Ok(None);
    };
    Ok(Some(GitHubApi {
        base: GITHUB.endpoint()?,
        token,
    }))
}

/// The diagnostics of one link; a fixable new URL is recorded in `fixes` when `fix` is on.
fn judge(
    item: &Item<'_>,
    checked: &Checked,
    fix: bool,
    fixes: &mut BTreeMap<usize, Vec<(Field, String)>>,
) -> Vec<Diagnostic> {
    let url = &item.link.url;
    let field = item.link.field;
    // Only the URL fields can be rewritten; identifier pages are derived.
    let fixable = matches!(field, Field::Paper | Field::Code | Field::Project);
    let at = |rule, message: String| Diagnostic::new(item.path, item.link.pos, rule, message);
    let mut out = Vec::new();
    let mut new_url = |to: &str| -> &'static str {
        if fix && fixable && to.parse::<Url>().is_ok() {
            fixes
                .entry(item.index)
                .or_default()
                .push((field, to.to_owned()));
            "; rewritten by --fix"
        } else if fixable {
            ""
        } else {
            " (the page is derived from the identifier)"
        }
    };
    match &checked.verdict {
        Verdict::Ok => {}
        Verdict::Moved { to } => {
            // A derived page (arXiv, DOI, OpenReview) is the service's own business.
            if fixable {
                let done = new_url(to);
                out.push(at(
                    Rule::MovedLink,
                    format!("`{field}` `{url}` has moved permanently to `{to}`{done}"),
                ));
            }
        }
        Verdict::Insecure { to } => {
            let done = new_url(to);
            out.push(at(
                Rule::InsecureLink,
                format!("`{field}` `{url}` uses plain http, and `{to}` works{done}"),
            ));
        }
        Verdict::Dead { why } => out.push(at(
            Rule::DeadLink,
            format!("`{field}` `{url}` is dead: {why}"),
        )),
        Verdict::Failed { why } => out.push(at(
            Rule::LinkError,
            format!("`{field}` `{url}` could not be checked: {why}"),
        )),
    }
    if checked.archived {
        out.push(at(
            Rule::ArchivedRepo,
            format!("`{field}` `{url}` is an archived GitHub repository (read-only)"),
        ));
    }
    out
}

/// Writes the new URLs into the records; returns the files that changed.
fn apply_fixes(
    catalog: &Catalog,
    fixes: &BTreeMap<usize, Vec<(Field, String)>>,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for (&index, edits) in fixes {
        let record = catalog.record(index);
        let mut paper: Paper = record.paper.clone();
        for (field, to) in edits {
            let url: Url = to
                .parse()
                .map_err(|e| anyhow::anyhow!("{}: {e}", record.path.display()))?;
            match field {
                Field::Paper => paper.paper = Some(url),
                Field::Code => paper.code = Some(url),
                Field::Project => paper.project = Some(url),
                _ => {}
            }
        }
        if crate::store::db::save_record(&record.path, &paper)
            .with_context(|| format!("--fix cannot rewrite `{}`", record.path.display()))?
        {
            changed.push(record.path.clone());
        }
    }
    Ok(changed)
}

/// The progress line on stderr, drawn only on a terminal.
struct Progress {
    on: bool,
}

impl Progress {
    fn new(on: bool) -> Self {
        Self { on }
    }

    fn show(&self, done: usize, total: usize) {
        if self.on {
            let mut err = std::io::stderr().lock();
            // Progress is a courtesy: a failed write to the terminal changes nothing.
            let _ = write!(err, "\rchecking links: {done}/{total}");
            let _ = err.flush();
        }
    }

    fn clear(&self) {
        if self.on {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_link_fields_are_accepted() {
        assert_eq!(parse_link_field("code"), Ok(Field::Code));
        assert_eq!(parse_link_field("doi"), Ok(Field::Doi));
        assert_eq!(
            parse_link_field("title").unwrap_err(),
            "`title` holds no link: expected one of `arxiv`, `paper`, `openreview`, `doi`, \
             `code`, `project`"
        );
        assert!(parse_link_field("nope").is_err());
    }

    #[test]
    fn timeouts_are_positive_and_bounded() {
        assert_eq!(parse_secs("1.5"), Ok(1.5));
        assert!(parse_secs("0").is_err());
        assert!(parse_secs("-1").is_err());
        assert!(parse_secs("inf").is_err());
        assert!(parse_secs("NaN").is_err());
    }
}
