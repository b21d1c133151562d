//! `hftlist validate`: every problem in the database, sorted by file, then a summary line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::exit;
use crate::model::diag::{self, Diagnostic, Rule, Tally};
use crate::store::db::LIST_FILE;
use crate::ui;

/// How to print the diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: error[rule]: message` lines and a summary.
    #[default]
    Human,
    /// One JSON object with the diagnostics and the counts.
    Json,
    /// GitHub Actions annotations (`::error file=...,line=...::message`) and a summary.
    Github,
}

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Print each rule's name, severity and description, and exit.
    #[arg(long)]
    pub list_rules: bool,

    /// Report only on these files (the whole database is still checked, so duplicates across
    /// files are found); list.yaml among them reports on every file. For pre-commit.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Runs `validate`: exit 0 when clean, 1 when errors (or denied warnings) were found.
pub fn run(dir: &Path, args: &Args) -> anyhow::Result<ExitCode> {
    if args.list_rules {
        let text = match args.format {
            Format::Json => rules_json()?,
            Format::Human | Format::Github => diag::rules_table(),
        };
        super::emit(None, &text)?;
        return Ok(exit::code(exit::SUCCESS));
    }
    let catalog = Catalog::load(dir)?;
    let mut diagnostics = crate::checks::lint::check(&catalog, crate::checks::lint::today());
    let mut files = catalog.db().files;
    let everything = args.files.is_empty()
        || args
            .files
            .iter()
            .any(|f| f.file_name().is_some_and(|n| n == LIST_FILE));
    if let Some(missing) = args.files.iter().find(|f| !f.exists()) {
        anyhow::bail!("`{}` does not exist", missing.display());
    }
    if !everything {
        let wanted: Vec<PathBuf> = args.files.iter().map(|f| canonical(f)).collect();
        // A problem between two records (a duplicate, a near-identical title) is reported on
        // one of them and names the other: either file being given is enough.
        let records: Vec<PathBuf> = catalog.records().map(|r| canonical(&r.path)).collect();
        for (given, full) in args.files.iter().zip(&wanted) {
            let known =
                records.contains(full) || diagnostics.iter().any(|d| canonical(&d.file) == *full);
            if !known {
                super::say(format!(
                    "hftlist: warning: `{}` is not a record of the database `{}`; nothing to report on it",
                    given.display(),
                    dir.display()
                ));
            }
        }
        diagnostics.retain(|d| {
            wanted.contains(&canonical(&d.file))
                || quoted(&d.message).any(|q| wanted.contains(&canonical(Path::new(q))))
        });
        files = args.files.len();
    }
    super::emit(None, &report(args.format, &diagnostics, files))?;
    let tally = Tally::of(&diagnostics);
    let failed = tally.errors > 0 || (args.deny_warnings && tally.warnings > 0);
    Ok(exit::code(if failed {
        exit::PROBLEMS
    } else {
        exit::SUCCESS
    }))
}

/// A path made absolute and canonical where possible, to compare a given name with a loaded one.
fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_owned())
}

/// The texts a message quotes in backticks.
fn quoted(message: &str) -> impl Iterator<Item = &str> {
    message.split('`').skip(1).step_by(2)
}

/// The human report with each listed diagnostic in colour; the notes and the summary are as in
/// the plain report.
fn coloured_report(diagnostics: &[Diagnostic], files: usize) -> String {
    let plain = diag::human_report(diagnostics, files);
    let (shown, _) = diag::bounded(diagnostics);
    let mut out = String::new();
    for d in &shown {
        out.push_str(&ui::diagnostic_line(d, true));
        out.push('\n');
    }
    // The plain report lists the same diagnostics first, one line each.
    for line in plain.lines().skip(shown.len()) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `--list-rules --format json`: an array of `{name, severity, description}`.
fn rules_json() -> anyhow::Result<String> {
    #[derive(Serialize)]
    struct RuleRow {
        name: &'static str,
        severity: &'static str,
        description: &'static str,
    }
    let rows: Vec<RuleRow> = Rule::ALL
        .iter()
        .map(|r| RuleRow {
            name: r.name(),
            severity: r.severity().name(),
            description: r.description(),
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&rows)?;
    s.push('\n');
    Ok(s)
}

/// One workflow command per diagnostic, in the form the GitHub Actions runner turns into an
/// annotation on the file and line, then the human summary line.
/// The diagnostics in the chosen format, as `validate` and `links` print them (coloured on a
/// terminal).
pub(crate) fn report(format: Format, diagnostics: &[Diagnostic], files: usize) -> String {
    match format {
        Format::Human if ui::use_color(ui::Stream::Stdout) => coloured_report(diagnostics, files),
        Format::Human => diag::human_report(diagnostics, files),
        Format::Json => diag::json_report(diagnostics, files),
        Format::Github => github_report(diagnostics, files),
    }
}

fn github_report(diagnostics: &[Diagnostic], files: usize) -> String {
    let mut out = String::new();
    let (shown, _) = diag::bounded(diagnostics);
    for d in shown {
        let mut props = format!("file={}", escape_property(&d.file.display().to_string()));
        if d.line > 0 {
            props.push_str(&format!(",line={},col={}", d.line, d.column));
        }
        props.push_str(&format!(",title={}", escape_property(d.rule.name())));
        // The runner's levels: a note is a `notice`.
        let level = match d.severity {
            crate::model::diag::Severity::Error => "error",
            crate::model::diag::Severity::Warning => "warning",
            crate::model::diag::Severity::Note => "notice",
        };
        out.push_str(&format!("::{level} {props}::{}\n", escape_data(&d.message)));
    }
    // The notes of diagnostics left out, and the summary, as in the human report.
    let plain = diag::human_report(diagnostics, files);
    let listed = diag::bounded(diagnostics).0.len();
    for line in plain.lines().skip(listed) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Escapes a workflow command's message, as the runner's toolkit does.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value, as the runner's toolkit does.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diag::Pos;

    #[test]
    fn annotations_escape_what_the_runner_would_misread() {
        // The message's line feed is already escaped by `Diagnostic::new`; `%` and the
        // property separators are escaped here.
        let d = Diagnostic::new(
            "papers/a,b.yaml",
            Pos { line: 2, column: 7 },
            Rule::InvalidKind,
            "100% wrong:\nsee",
        );
        assert_eq!(
            github_report(&[d], 1),
            "::error file=papers/a%2Cb.yaml,line=2,col=7,title=invalid-kind::100%25 wrong:\\nsee\n\
             1 error, 0 warnings in 1 file checked\n"
        );
    }
}
