//! Diagnostics as data: every problem `validate` finds is a `Diagnostic` naming the file, the line
//! and column of the offending value, the rule and a message. This module is the one place that
//! turns them into text (`path:line:col: error[rule]: message`) or JSON.

use std::path::PathBuf;

use serde::Serialize;

closed_enum!(
    /// How bad a problem is: errors fail `validate`, warnings only with `--deny-warnings`,
    /// notes never.
    Severity, "severity", {
        /// Worth knowing; nothing to fix.
        Note = "note",
        /// Worth a look; does not fail the run.
        Warning = "warning",
        /// Must be fixed.
        Error = "error",
    }
);

/// Declares the rules: each with its kebab-case name, severity and one-line description.
macro_rules! rules {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $severity:ident, $description:literal;)+) => {
        /// A validation rule. The name is stable: scripts and CI configurations match on it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $($(#[$doc])* $variant,)+
        }

        impl Rule {
            /// Every rule, in the order `--list-rules` prints them.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The rule's stable kebab-case name.
            pub fn name(self) -> &'static str {
                match self { $(Self::$variant => $name,)+ }
            }

            /// How bad a breach of the rule is.
            pub fn severity(self) -> Severity {
                match self { $(Self::$variant => Severity::$severity,)+ }
            }

            /// One line saying what the rule checks.
            pub fn description(self) -> &'static str {
                match self { $(Self::$variant => $description,)+ }
            }
        }
    };
}

rules! {
    /// The file cannot be read.
    UnreadableFile = "unreadable-file", Error, "the file cannot be read (a directory, a broken link, no permission)";
    /// The file is above the size limit.
    FileTooLarge = "file-too-large", Error, "a record file is larger than 1 MiB and is not parsed";
    /// The file is not UTF-8.
    InvalidUtf8 = "invalid-utf8", Error, "the file is not valid UTF-8";
    /// The file holds no record.
    EmptyFile = "empty-file", Error, "the file holds nothing but blank lines and comments";
    /// The YAML cannot be parsed.
    YamlSyntax = "yaml-syntax", Error, "the file is not valid YAML, or exceeds the nesting and size budget";
    /// A value has the wrong YAML type.
    WrongType = "wrong-type", Error, "a value is not of the expected type (text, a list of text, a mapping)";
    /// A key is not a field of the record.
    UnknownField = "unknown-field", Error, "a key is not one of the record's fields";
    /// A key appears twice.
    DuplicateKey = "duplicate-key", Error, "a field is given twice in one record";
    /// A required field is absent or empty.
    MissingField = "missing-field", Error, "`title`, `kind` or `date` is missing, or a field is empty";
    /// The file name is not a valid paper id.
    InvalidId = "invalid-id", Error, "the file name is not `<id>.yaml` with a lowercase slug id";
    /// A `.yml` file would be ignored.
    WrongExtension = "wrong-extension", Error, "a `.yml` file in the database: records must end in `.yaml`";
    /// The kind is not one of the closed set.
    InvalidKind = "invalid-kind", Error, "`kind` is not attack, defense, analysis, benchmark or survey";
    /// The stage is not one of the closed set.
    InvalidStage = "invalid-stage", Error, "`stage` is not pre-training, alignment, fine-tuning or post-fine-tuning";
    /// A defense without a stage.
    MissingStage = "missing-stage", Error, "a defense does not say which stage it acts in";
    /// A stage on something other than a defense.
    UnexpectedStage = "unexpected-stage", Error, "a paper that is not a defense has a `stage`";
    /// The date is malformed or impossible.
    InvalidDate = "invalid-date", Error, "`date` is not a real YYYY-MM-DD, YYYY-MM or YYYY date";
    /// The date lies in the future.
    FutureDate = "future-date", Error, "`date` lies after today";
    /// The arXiv id is malformed.
    InvalidArxiv = "invalid-arxiv", Error, "`arxiv` is not a new-style id YYMM.NNNNN without version";
    /// The DOI is malformed.
    InvalidDoi = "invalid-doi", Error, "`doi` is not a bare DOI 10.NNNN/suffix";
    /// The OpenReview id is malformed.
    InvalidOpenreview = "invalid-openreview", Error, "`openreview` is not a forum id";
    /// The date and the arXiv id disagree.
    DateArxivMismatch = "date-arxiv-mismatch", Warning, "`date` is more than a month away from the arXiv id's year and month";
    /// The venue series is not in the registry.
    UnknownVenue = "unknown-venue", Error, "`venue` is not a registry series followed by a year and an optional qualifier";
    /// The venue is written in a non-canonical form.
    VenueAlias = "venue-alias", Warning, "`venue` is written in an alias or non-canonical form";
    /// The venue is a preprint server.
    PreprintVenue = "preprint-venue", Warning, "`venue` names a preprint server: a preprint has no venue";
    /// The venue has no year.
    VenueWithoutYear = "venue-without-year", Warning, "`venue` has no year";
    /// The venue's year is before the paper's.
    VenueBeforeDate = "venue-before-date", Error, "`venue`'s year is earlier than the paper's `date`";
    /// A link is not a well-formed http(s) URL.
    InvalidUrl = "invalid-url", Error, "a link is not a well-formed http(s) URL";
    /// A link carries tracking parameters.
    TrackingUrl = "tracking-url", Warning, "a link carries tracking parameters (utm_*, casa_token, ...)";
    /// A `paper` link that an identifier should carry.
    LinkShouldBeId = "link-should-be-id", Warning, "a `paper` link points to arXiv, OpenReview or doi.org: store the identifier instead";
    /// A tag is malformed.
    InvalidTag = "invalid-tag", Error, "a tag is not a lowercase slug";
    /// An author entry is empty.
    InvalidAuthor = "invalid-author", Error, "an author name is empty or padded with spaces";
    /// Two records are the same paper.
    DuplicatePaper = "duplicate-paper", Error, "two records share an arXiv id, DOI, OpenReview id, link or normalised title";
    /// Two titles are nearly the same.
    SimilarTitle = "similar-title", Warning, "titles are near-identical: the same words but for order, punctuation, spelling, a subtitle or one typo";
    /// Two records share an identity under different spellings.
    SharedIdentity = "shared-identity", Warning, "records share a code repository, or an arXiv id, DOI or OpenReview forum written differently";
    /// No section takes the paper.
    Unsectioned = "unsectioned", Error, "no section of list.yaml takes the paper, so the README would leave it out";
    /// More than one section takes the paper.
    MultipleSections = "multiple-sections", Error, "more than one section of list.yaml takes the paper";
    /// Text holds a control, bidirectional or zero-width character.
    ControlCharacter = "control-character", Error, "a value holds a control, bidirectional-override or zero-width character";
    /// A value is hidden behind a YAML tag.
    YamlTag = "yaml-tag", Error, "a value carries a YAML tag (`!!binary`, `!foo`) that hides its text";
    /// The record links nowhere.
    NoLink = "no-link", Warning, "the record has no identifier and no link";
    /// `links`: a link is gone.
    DeadLink = "dead-link", Error, "`links`: a link answers 404 or 410, or its host name does not exist";
    /// `links`: a link redirects permanently.
    MovedLink = "moved-link", Warning, "`links`: a link redirects permanently; `links --fix` writes the new URL";
    /// `links`: a link to an anonymous review copy.
    AnonymousLink = "anonymous-link", Warning, "`links`: a link points to an anonymous review copy, which expires after review";
    /// `links`: a link could not be checked.
    LinkError = "link-error", Warning, "`links`: a link could not be checked (timeout, 5xx or 429 after retries, redirect loop, TLS)";
    /// `links`: plain http where https works.
    InsecureLink = "insecure-link", Warning, "`links`: a link uses http where https works; `links --fix` writes the https URL";
    /// `links`: an archived GitHub repository.
    ArchivedRepo = "archived-repo", Note, "`links`: a GitHub repository is archived (read-only), checked with GITHUB_TOKEN";
}

/// One problem found in the database.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// The file, as reached from the database folder the user named.
    pub file: PathBuf,
    /// 1-based line of the offending value; 0 when the problem is the whole file.
    pub line: u32,
    /// 1-based column; 0 when the problem is the whole file.
    pub column: u32,
    /// The rule broken.
    #[serde(serialize_with = "rule_name")]
    pub rule: Rule,
    /// Error or warning, from the rule.
    pub severity: Severity,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

fn rule_name<S: serde::Serializer>(rule: &Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.name())
}

/// A position in a file: 1-based line and column, or 0:0 for the whole file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
}

impl Pos {
    /// A position from the parser's 1-based line and column.
    pub fn new(line: u64, column: u64) -> Self {
        Self {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }
}

impl Diagnostic {
    /// A diagnostic at a position, with the rule's severity.
    pub fn new(file: impl Into<PathBuf>, pos: Pos, rule: Rule, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: pos.line,
            column: pos.column,
            rule,
            severity: rule.severity(),
            message: crate::model::sanitize::message(&message.into()),
        }
    }

    /// The human form: `papers/x.yaml:5:8: error[unknown-venue]: message`.
    pub fn human(&self) -> String {
        let file = self.file.display().to_string();
        let file = crate::model::sanitize::escape(&file);
        let place = if self.line == 0 {
            file.into_owned()
        } else {
            format!("{file}:{}:{}", self.line, self.column)
        };
        format!(
            "{place}: {}[{}]: {}",
            self.severity,
            self.rule.name(),
            self.message
        )
    }
}

/// Counts of a set of diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// How many errors.
    pub errors: usize,
    /// How many warnings.
    pub warnings: usize,
    /// How many notes.
    pub notes: usize,
}

impl Tally {
    /// Counts errors and warnings.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
        Self {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The most diagnostics of one rule a report lists; the others are counted. A hostile database
/// can break a rule a million times, and the report must stay readable and small.
pub const MAX_PER_RULE: usize = 200;

/// The diagnostics a report lists (at most `MAX_PER_RULE` per rule, in order) and, per rule in
/// rule order, how many were left out.
pub fn bounded(diagnostics: &[Diagnostic]) -> (Vec<&Diagnostic>, Vec<(Rule, usize)>) {
    let mut counts = std::collections::HashMap::new();
    let mut shown = Vec::with_capacity(diagnostics.len().min(MAX_PER_RULE * 8));
    for d in diagnostics {
        let n = counts.entry(d.rule).or_insert(0usize);
        *n += 1;
        if *n <= MAX_PER_RULE {
            shown.push(d);
        }
    }
    let omitted = Rule::ALL
        .iter()
        .filter_map(|r| {
            let n = counts.get(r).copied().unwrap_or(0);
            (n > MAX_PER_RULE).then(|| (*r, n - MAX_PER_RULE))
        })
        .collect();
    (shown, omitted)
}

/// The human report: one line per diagnostic (at most `MAX_PER_RULE` per rule, then a count of
/// the rest), then the summary line.
pub fn human_report(diagnostics: &[Diagnostic], files: usize) -> String {
    let mut out = String::new();
    let (shown, omitted) = bounded(diagnostics);
    for d in shown {
        out.push_str(&d.human());
        out.push('\n');
    }
    for (rule, n) in omitted {
        out.push_str(&format!(
            "note: {n} more `{}` {} not shown (at most {MAX_PER_RULE} per rule)\n",
            rule.name(),
            if n == 1 { "diagnostic" } else { "diagnostics" }
        ));
    }
    let tally = Tally::of(diagnostics);
    let notes = if tally.notes > 0 {
        format!(", {}", plural(tally.notes, "note"))
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{}, {}{notes} in {} checked\n",
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning"),
        plural(files, "file")
    ));
    out
}

/// The JSON report: the diagnostics (at most `MAX_PER_RULE` per rule), the counts, and, when
/// some were left out, `omitted`: how many per rule.
pub fn json_report(diagnostics: &[Diagnostic], files: usize) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        diagnostics: Vec<&'a Diagnostic>,
        errors: usize,
        warnings: usize,
        #[serde(skip_serializing_if = "is_zero")]
        notes: usize,
        files: usize,
        #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        omitted: std::collections::BTreeMap<&'static str, usize>,
    }
    fn is_zero(n: &usize) -> bool {
        *n == 0
    }
    let tally = Tally::of(diagnostics);
    let (shown, omitted) = bounded(diagnostics);
    let report = Report {
        diagnostics: shown,
        errors: tally.errors,
        warnings: tally.warnings,
        notes: tally.notes,
        files,
        omitted: omitted.into_iter().map(|(r, n)| (r.name(), n)).collect(),
    };
    // Serialising plain strings and integers cannot fail.
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}

/// The `--list-rules` table: name, severity, description.
pub fn rules_table() -> String {
    let width = Rule::ALL.iter().map(|r| r.name().len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in Rule::ALL {
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            rule.name(),
            rule.severity().name(),
            rule.description()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique_kebab_case() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert!(names.iter().all(|n| {
            n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
    }

    #[test]
    fn human_form_names_file_position_rule_and_message() {
        let d = Diagnostic::new(
            "papers/x.yaml",
            Pos { line: 5, column: 8 },
            Rule::UnknownVenue,
            "venue `ICLR20206` is not in the registry",
        );
        assert_eq!(
            d.human(),
            "papers/x.yaml:5:8: error[unknown-venue]: venue `ICLR20206` is not in the registry"
        );
        let whole = Diagnostic::new("papers/x.yaml", Pos::default(), Rule::EmptyFile, "empty");
        assert_eq!(whole.human(), "papers/x.yaml: error[empty-file]: empty");
    }

    #[test]
    fn reports_list_at_most_max_per_rule_and_count_the_rest() {
        let many: Vec<Diagnostic> = (0..MAX_PER_RULE + 5)
            .map(|i| Diagnostic::new(format!("f{i:04}"), Pos::default(), Rule::NoLink, "m"))
            .collect();
        let text = human_report(&many, many.len());
        assert_eq!(text.lines().count(), MAX_PER_RULE + 2);
        assert!(
            text.contains(
                "\nnote: 5 more `no-link` diagnostics not shown (at most 200 per rule)\n"
            ),
            "{text}"
        );
        let json = json_report(&many, many.len());
        assert!(json.contains("\"no-link\": 5"), "{json}");
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let w = Diagnostic::new("a", Pos::default(), Rule::NoLink, "m");
        assert_eq!(
            human_report(&[w], 1),
            "a: warning[no-link]: m\n0 errors, 1 warning in 1 file checked\n"
        );
        let n = Diagnostic::new("a", Pos::default(), Rule::ArchivedRepo, "m");
        assert_eq!(
            human_report(std::slice::from_ref(&n), 1),
            "a: note[archived-repo]: m\n0 errors, 0 warnings, 1 note in 1 file checked\n"
        );
        assert!(json_report(&[n], 1).contains("\"notes\": 1,"));
        assert!(!json_report(&[], 1).contains("notes"));
    }
}
