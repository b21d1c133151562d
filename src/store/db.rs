//! The database folder: `list.yaml` and one `<id>.yaml` per paper.
//!
//! This is the only module that touches YAML. Loading never stops at a bad record: each file
//! either becomes an `Entry` or yields diagnostics naming it (and often both), so `validate` can
//! report every problem in one run. Only a missing folder or a broken `list.yaml` is fatal, since
//! without them nothing can be checked.

mod fast;
mod raw;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_saphyr::MessageFormatter;

use crate::model::diag::{Diagnostic, Pos, Rule};
use crate::model::ident::{PaperId, Tag};
use crate::model::list::{List, ListFile};
use crate::model::paper::{Field, Paper};
use raw::{RawRecord, RawValue};

/// The reserved file name of the list settings.
pub const LIST_FILE: &str = "list.yaml";

/// Record files above this size are refused before parsing.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Where each field of a record stands in its file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spans {
    fields: Vec<Pos>,
    start: Pos,
}

impl Spans {
    /// Whether the file gives the field at all (even with a value that was refused).
    pub fn has(&self, field: Field) -> bool {
        self.fields.get(field.index()).is_some_and(|p| p.line > 0)
    }

    /// The position of a field's value, or of the record's first key when the field is absent.
    pub fn get(&self, field: Field) -> Pos {
        self.fields
            .get(field.index())
            .copied()
            .filter(|p| p.line > 0)
            .unwrap_or(self.start)
    }
}

/// One paper that loaded.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The id, from the file stem.
    pub id: PaperId,
    /// The file, as reached from the database folder.
    pub path: PathBuf,
    /// The record.
    pub paper: Paper,
    /// Where each field stands.
    pub spans: Spans,
}

/// A loaded database.
#[derive(Debug)]
pub struct Db {
    /// The list settings.
    pub list: List,
    /// The papers that loaded, sorted by file name.
    pub entries: Vec<Entry>,
    /// Problems met while reading and typing the records.
    pub diagnostics: Vec<Diagnostic>,
    /// How many record files were looked at (loaded or not).
    pub files: usize,
}

impl Db {
    /// Loads the database in `dir`. Fails only when the folder or `list.yaml` cannot be used.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let list = load_list(&dir.join(LIST_FILE))?;
        let mut names = Vec::new();
        let listing = fs::read_dir(dir)
            .with_context(|| format!("cannot read the database folder `{}`", dir.display()))?;
        for item in listing {
            let item = item.with_context(|| format!("cannot list `{}`", dir.display()))?;
            names.push(item.file_name());
        }
        names.sort_unstable();
        // Only `.yaml` and `.yml` files count; hidden files and list.yaml are not records.
        let files: Vec<(PathBuf, String)> = names
            .iter()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.') && n != LIST_FILE)
            .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
            .map(|n| (dir.join(&n), n))
            .collect();
        let mut db = Self {
            list,
            entries: Vec::with_capacity(files.len()),
            diagnostics: Vec::new(),
            files: files.len(),
        };
        for (entry, mut diagnostics) in load_files(dir, &files) {
            db.entries.extend(entry);
            db.diagnostics.append(&mut diagnostics);
        }
        Ok(db)
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id.as_str() == id)
    }
}

/// Reads and parses the files, in order, on every core: reading and parsing 100,000 small files
/// costs about a second and a half on one core, and each file is independent.
fn load_files(root: &Path, files: &[(PathBuf, String)]) -> Vec<(Option<Entry>, Vec<Diagnostic>)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8);
    if threads <= 1 || files.len() < 64 {
        return files
            .iter()
            .map(|(path, name)| load_file(root, path, name))
            .collect();
    }
    let chunk = files.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(p, n)| load_file(root, p, n))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// One file of the database folder: the entry it holds, if sound, and its diagnostics.
fn load_file(root: &Path, path: &Path, name: &str) -> (Option<Entry>, Vec<Diagnostic>) {
    if let Some(stem) = name.strip_suffix(".yml") {
        let d = Diagnostic::new(
            path,
            Pos::default(),
            Rule::WrongExtension,
            format!("records end in `.yaml`: rename the file to `{stem}.yaml`"),
        );
        return (None, vec![d]);
    }
    let stem = name.strip_suffix(".yaml").unwrap_or(name);
    let text = match read_record_file(path, root, MAX_FILE_SIZE) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    let (paper, spans, mut diagnostics) = parse_record(path, &text);
    let id = match stem.parse::<PaperId>() {
        Ok(id) => Some(id),
        Err(e) => {
            diagnostics.push(Diagnostic::new(path, Pos::default(), Rule::InvalidId, e.0));
            None
        }
    };
    let entry = match (id, paper) {
        (Some(id), Some(paper)) => Some(Entry {
            id,
            path: path.to_owned(),
            paper,
            spans,
        }),
        _ => None,
    };
    (entry, diagnostics)
}

/// Reads a record file under the rules of `crate::store::input`: a regular file (or a link to one
/// inside the database folder) of at most `MAX_FILE_SIZE` bytes, in UTF-8. A leading byte-order
/// mark is dropped.
fn read_record_file(path: &Path, root: &Path, limit: u64) -> Result<String, Diagnostic> {
    use crate::store::input::ReadError;
    let bytes = crate::store::input::read_bytes(path, Some(root), limit).map_err(|e| {
        let rule = match e {
            ReadError::TooLarge { .. } => Rule::FileTooLarge,
            _ => Rule::UnreadableFile,
        };
        let message = match e {
            ReadError::NotRegular("a directory") => {
                "this is a directory, not a record file".to_owned()
            }
            ReadError::TooLarge {
                size,
                limit,
                grew: false,
            } if path.file_name().is_some_and(|n| n == LIST_FILE) => {
                format!("the file is {size} bytes; the list settings are limited to {limit} bytes")
            }
            ReadError::TooLarge {
                size,
                limit,
                grew: false,
            } => format!("the file is {size} bytes; records are limited to {limit} bytes"),
            e => e.to_string(),
        };
        Diagnostic::new(path, Pos::default(), rule, message)
    })?;
    decode(bytes).map_err(|(pos, msg)| Diagnostic::new(path, pos, Rule::InvalidUtf8, msg))
}

/// UTF-8 text without its byte-order mark, or the position of the first bad byte.
fn decode(mut bytes: Vec<u8>) -> Result<String, (Pos, String)> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        let byte = e.as_bytes()[good.len()];
        (
            Pos::new(line as u64, column as u64),
            format!("byte 0x{byte:02X} is not valid UTF-8: save the file as UTF-8"),
        )
    })
}

fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
    }
}

/// The message and position of a YAML error, without the parser's source snippet.
fn yaml_error(err: &serde_saphyr::Error) -> (Pos, String) {
    let pos = err
        .location()
        .map_or(Pos::default(), |l| Pos::new(l.line(), l.column()));
    let message = serde_saphyr::UserMessageFormatter
        .format_message(err.without_snippet())
        .into_owned();
    (pos, message)
}

/// Parses one record's text. Returns the paper when its required fields are sound, the field
/// positions, and every problem found. Records in canonical form take a fast path; everything
/// else goes through serde-saphyr, with the same result.
pub fn parse_record(path: &Path, text: &str) -> (Option<Paper>, Spans, Vec<Diagnostic>) {
    match fast::parse(text) {
        Some(raw) => type_record(path, raw, Vec::new()),
        None => parse_record_full(path, text),
    }
}

/// `parse_record` without the fast path: every file through serde-saphyr. For differential
/// tests of the fast path.
pub fn parse_record_full(path: &Path, text: &str) -> (Option<Paper>, Spans, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let blank = text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    });
    if blank {
        diagnostics.push(Diagnostic::new(
            path,
            Pos::default(),
            Rule::EmptyFile,
            "the file holds no record: write at least `title`, `kind` and `date`",
        ));
        return (None, Spans::default(), diagnostics);
    }
    let raw: RawRecord = match serde_saphyr::from_str_with_options(text, yaml_options()) {
        Ok(raw) => raw,
        Err(err) => {
            let (pos, message) = yaml_error(&err);
            let rule = if raw::is_type_error(&err) {
                Rule::WrongType
            } else {
                Rule::YamlSyntax
            };
            let message = if message == "expected mapping start" && pos.line <= 1 {
                "a record is a mapping of fields (`title: ...`), not a list or a single value"
                    .to_owned()
            } else {
                message
            };
            diagnostics.push(Diagnostic::new(path, pos, rule, message));
            return (None, Spans::default(), diagnostics);
        }
    };
    // A tag changes how a value is read (`!!binary` decodes base64, so the file's text is not
    // the value's): refuse the record before any value is used.
    if let Some((pos, tag)) = first_tag(text) {
        diagnostics.push(Diagnostic::new(
            path,
            pos,
            Rule::YamlTag,
            format!(
                "the value is tagged `{tag}`, which hides or changes its text: write the value as \
                 plain text without a tag"
            ),
        ));
        return (None, Spans::default(), diagnostics);
    }
    for (pos, rule, message) in &raw.problems {
        diagnostics.push(Diagnostic::new(path, *pos, *rule, message.clone()));
    }
    type_record(path, raw, diagnostics)
}

/// The position and text of the first YAML tag (`!!binary`, `!foo`) on any node, if any.
fn first_tag(text: &str) -> Option<(Pos, String)> {
    use granit_parser::Event;
    if !text.contains('!') {
        return None;
    }
    for event in granit_parser::Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        let tag = match &event {
            Event::Scalar(_, _, _, tag)
            | Event::SequenceStart(_, _, tag)
            | Event::MappingStart(_, _, tag) => tag.as_ref(),
            _ => None,
        };
        if let Some(tag) = tag {
            let pos = Pos::new(span.start.line() as u64, span.start.col() as u64 + 1);
            return Some((pos, tag.to_string()));
        }
    }
    None
}

/// Types a raw record, adding a diagnostic for each bad field.
fn type_record(
    path: &Path,
    raw: RawRecord,
    diagnostics: Vec<Diagnostic>,
) -> (Option<Paper>, Spans, Vec<Diagnostic>) {
    let mut typer = Typer {
        path,
        raw,
        diagnostics,
    };
    typer.check_characters();
    let paper = typer.paper();
    let spans = typer.spans();
    (paper, spans, typer.diagnostics)
}

/// Turns the raw strings into typed values, one diagnostic per bad field.
struct Typer<'a> {
    path: &'a Path,
    raw: RawRecord,
    diagnostics: Vec<Diagnostic>,
}

impl Typer<'_> {
    fn report(&mut self, pos: Pos, rule: Rule, message: String) {
        self.diagnostics
            .push(Diagnostic::new(self.path, pos, rule, message));
    }

    /// Reports every value holding a control, bidirectional or zero-width character: tab and line
    /// feed are allowed only in the prose fields, whose whitespace is folded when shown.
    fn check_characters(&mut self) {
        let mut found = Vec::new();
        for field in Field::ALL {
            let prose = matches!(field, Field::Title | Field::Note);
            let values: Vec<(Pos, &str)> = match &self.raw.values[field.index()] {
                Some(RawValue::Scalar(pos, Some(s))) => vec![(*pos, s.as_str())],
                Some(RawValue::List(_, items)) => {
                    items.iter().map(|(p, s)| (*p, s.as_str())).collect()
                }
                _ => Vec::new(),
            };
            for (pos, value) in values {
                if let Some(c) = crate::model::sanitize::first_forbidden(value, prose) {
                    found.push((
                        pos,
                        format!(
                            "`{field}` holds the character {} (a control, bidirectional or \
                             zero-width character): remove it",
                            crate::model::sanitize::code_point(c)
                        ),
                    ));
                }
            }
        }
        for (pos, message) in found {
            self.report(pos, Rule::ControlCharacter, message);
        }
    }

    /// The text of a scalar field; reports an empty value or a list given for text.
    fn text(&mut self, field: Field) -> Option<(Pos, String)> {
        match self.raw.values[field.index()].take()? {
            RawValue::Scalar(pos, Some(s)) if !s.trim().is_empty() => Some((pos, s)),
            RawValue::Scalar(pos, _) => {
                self.report(
                    pos,
                    Rule::MissingField,
                    format!("`{field}` is empty: give a value or remove the line"),
                );
                None
            }
            RawValue::List(pos, _) => {
                self.report(
                    pos,
                    Rule::WrongType,
                    format!("`{field}` must be text, not a list"),
                );
                None
            }
        }
    }

    /// A scalar field parsed into `T`, reporting a parse error under `rule`.
    fn parsed<T, E: ToString>(
        &mut self,
        field: Field,
        rule: Rule,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let (pos, text) = self.text(field)?;
        match parse(&text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.report(pos, rule, e.to_string());
                None
            }
        }
    }

    fn list(&mut self, field: Field) -> Vec<(Pos, String)> {
        match self.raw.values[field.index()].as_ref() {
            Some(RawValue::List(_, items)) => items.clone(),
            _ => Vec::new(),
        }
    }

    fn paper(&mut self) -> Option<Paper> {
        for field in Field::ALL.iter().filter(|f| f.is_required()) {
            if self.raw.values[field.index()].is_none() {
                let start = self.raw.start;
                self.report(
                    start,
                    Rule::MissingField,
                    format!("required field `{field}` is missing"),
                );
            }
        }
        let title = self.text(Field::Title).map(|(_, t)| t);
        let kind = self.parsed(Field::Kind, Rule::InvalidKind, str::parse);
        let stage = self.parsed(Field::Stage, Rule::InvalidStage, str::parse);
        let date = self.parsed(Field::Date, Rule::InvalidDate, str::parse);
        let venue = self.text(Field::Venue).map(|(_, v)| v);
        let arxiv = self.parsed(Field::Arxiv, Rule::InvalidArxiv, str::parse);
        let doi = self.parsed(Field::Doi, Rule::InvalidDoi, str::parse);
        let openreview = self.parsed(Field::Openreview, Rule::InvalidOpenreview, str::parse);
        let paper = self.parsed(Field::Paper, Rule::InvalidUrl, str::parse);
        let code = self.parsed(Field::Code, Rule::InvalidUrl, str::parse);
        let project = self.parsed(Field::Project, Rule::InvalidUrl, str::parse);
        let note = self.text(Field::Note).map(|(_, n)| n);
        let mut authors = Vec::new();
        for (pos, name) in self.list(Field::Authors) {
            if name.trim().is_empty() || name.trim() != name {
                self.report(
                    pos,
                    Rule::InvalidAuthor,
                    format!("author `{name}` is empty or padded with spaces"),
                );
            } else {
                authors.push(name);
            }
        }
        let mut tags = Vec::new();
        for (pos, tag) in self.list(Field::Tags) {
            match tag.parse::<Tag>() {
                Ok(t) => tags.push(t),
                Err(e) => self.report(pos, Rule::InvalidTag, e.to_string()),
            }
        }
        Some(Paper {
            title: title?,
            kind: kind?,
            stage,
            date: date?,
            venue,
            authors,
            arxiv,
            doi,
            openreview,
            paper,
            code,
            project,
            tags,
            note,
        })
    }

    fn spans(&self) -> Spans {
        Spans {
            fields: self.raw.positions.clone(),
            start: self.raw.start,
        }
    }
}

/// Reads and checks `list.yaml`; any problem is fatal.
pub fn load_list(path: &Path) -> anyhow::Result<List> {
    let dir = path.parent().unwrap_or(Path::new("."));
    if !dir.is_dir() {
        bail!(
            "the database folder `{}` does not exist (give another with --db or HFTLIST_DB)",
            dir.display()
        );
    }
    if !path.exists() {
        bail!(
            "`{}` is missing: a database needs its list settings (see docs/format.md)",
            path.display()
        );
    }
    let text = read_record_file(path, dir, crate::store::input::MAX_LIST)
        .map_err(|d| anyhow::anyhow!("{}", d.human()))?;
    parse_list(path, &text)
}

/// Parses and checks the text of `list.yaml`; errors name `path` with the line and column.
pub fn parse_list(path: &Path, text: &str) -> anyhow::Result<List> {
    let file: ListFile = serde_saphyr::from_str(text).map_err(|err| {
        let (pos, message) = yaml_error(&err);
        let message = crate::model::sanitize::message(&message);
        anyhow::anyhow!("{}:{}:{}: {message}", path.display(), pos.line, pos.column)
    })?;
    List::new(file).map_err(|message| {
        anyhow::anyhow!(
            "{}: {}",
            path.display(),
            crate::model::sanitize::message(&message)
        )
    })
}

/// Writes a new record `dir/<id>.yaml` atomically: the text goes to a temporary file in the same
/// folder, which is then renamed to its name only if no file has it, so an existing record is
/// never overwritten and a failed write leaves nothing behind.
pub fn create_record(dir: &Path, id: &PaperId, paper: &Paper) -> anyhow::Result<PathBuf> {
    let path = record_path(dir, id);
    crate::store::atomic::create_new(&path, &checked_yaml(&path, paper)?)?;
    Ok(path)
}

/// Rewrites an existing record in place, atomically and in canonical form (the edit commands'
/// save: `refresh`, `fmt`). Returns whether the file changed; a file already canonical and
/// equal is not touched.
pub fn save_record(path: &Path, paper: &Paper) -> anyhow::Result<bool> {
    let text = checked_yaml(path, paper)?;
    let current = fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    if current == text.as_bytes() {
        return Ok(false);
    }
    crate::store::atomic::replace(path, &text)?;
    Ok(true)
}

/// Whether the file holds exactly the record's canonical text (what `save_record` would leave
/// unchanged); a file that cannot be read is not.
pub fn is_canonical(path: &Path, paper: &Paper) -> anyhow::Result<bool> {
    let text = to_yaml(paper)?;
    Ok(fs::read(path).is_ok_and(|current| current == text.as_bytes()))
}

/// The file of the record with this id: the one place that maps ids to paths.
pub fn record_path(dir: &Path, id: &PaperId) -> PathBuf {
    dir.join(format!("{id}.yaml"))
}

/// The canonical text of a record, refused unless it loads back to the same record: nothing
/// is written that the next run could not read.
fn checked_yaml(path: &Path, paper: &Paper) -> anyhow::Result<String> {
    let text = to_yaml(paper)?;
    let (back, _, diagnostics) = parse_record(path, &text);
    if back.as_ref() != Some(paper) || !diagnostics.is_empty() {
        let why: Vec<String> = diagnostics.iter().map(|d| d.message.clone()).collect();
        bail!(
            "`{}` was not written: the record would not load back as written ({})",
            path.display(),
            if why.is_empty() {
                "a value changes on the way".to_owned()
            } else {
                why.join("; ")
            }
        );
    }
    Ok(text)
}

/// Any serialisable value as YAML (for `query --format yaml`).
pub fn to_yaml_value<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    serde_saphyr::to_string(value).context("cannot write YAML")
}

/// The canonical text of a record: fields in `Field` order, absent ones left out, every value on
/// one line (no folded `>-` blocks, so `grep` finds a whole title). Loading this text and saving
/// again gives the same bytes.
pub fn to_yaml(paper: &Paper) -> anyhow::Result<String> {
    let options = serde_saphyr::ser_options! {
        prefer_block_scalars: false,
    };
    serde_saphyr::to_string_with_options(paper, options).context("cannot write the record as YAML")
}
