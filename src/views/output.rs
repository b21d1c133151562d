//! Paper lists as text: an aligned table for people, Markdown as in the README, and JSON, YAML,
//! CSV and plain ids for scripts. Every function is pure and returns the whole text.

use serde::Serialize;

use crate::model::ident::PaperId;
use crate::model::paper::Paper;
use crate::store::db::{self, Entry};
use crate::views::render;

/// A record with its id, as JSON and YAML show it.
#[derive(Serialize)]
pub struct WithId<'a> {
    /// The id.
    pub id: &'a PaperId,
    /// The record's fields.
    #[serde(flatten)]
    pub paper: &'a Paper,
}

fn with_ids<'a>(entries: &[&'a Entry]) -> Vec<WithId<'a>> {
    entries
        .iter()
        .map(|e| WithId {
            id: &e.id,
            paper: &e.paper,
        })
        .collect()
}

/// A JSON array of records, each with its id.
pub fn json(entries: &[&Entry]) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(&with_ids(entries))?;
    s.push('\n');
    Ok(s)
}

/// A YAML list of records, each with its id.
pub fn yaml(entries: &[&Entry]) -> anyhow::Result<String> {
    db::to_yaml_value(&with_ids(entries))
}

/// One id per line.
pub fn ids(entries: &[&Entry]) -> String {
    entries.iter().map(|e| format!("{}\n", e.id)).collect()
}

/// The README's lines for the papers.
pub fn markdown(entries: &[&Entry]) -> String {
    entries
        .iter()
        .map(|e| format!("{}\n", render::entry_line(&e.paper)))
        .collect()
}

/// The fewest title characters a table line shows, however narrow the terminal.
const MIN_TITLE: usize = 24;

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "title",
    "kind",
    "stage",
    "date",
    "venue",
    "authors",
    "arxiv",
    "doi",
    "openreview",
    "paper",
    "code",
    "project",
    "tags",
    "note",
];

/// RFC 4180 CSV with a header; lists (authors, tags) are joined with `; `. Spreadsheet-safe: a
/// cell that a spreadsheet would run as a formula gets a leading `'` (see [`neutralise`]).
pub fn csv(entries: &[&Entry]) -> String {
    let mut out = String::new();
    push_row(&mut out, CSV_COLUMNS.iter().map(|c| (*c).to_owned()));
    for e in entries {
        let p = &e.paper;
        let opt = |v: Option<String>| v.unwrap_or_default();
        push_row(
            &mut out,
            [
                e.id.to_string(),
                p.title.clone(),
                p.kind.to_string(),
                opt(p.stage.map(|s| s.to_string())),
                p.date.to_string(),
                opt(p.venue.clone()),
                p.authors.join("; "),
                opt(p.arxiv.as_ref().map(ToString::to_string)),
                opt(p.doi.as_ref().map(ToString::to_string)),
                opt(p.openreview.as_ref().map(ToString::to_string)),
                opt(p.paper.as_ref().map(ToString::to_string)),
                opt(p.code.as_ref().map(ToString::to_string)),
                opt(p.project.as_ref().map(ToString::to_string)),
                p.tags
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
                opt(p.note.clone()),
            ],
        );
    }
    out
}

/// A cell as spreadsheet-safe CSV writers (OWASP's advice) write it: one that starts with `=`,
/// `+`, `-`, `@`, tab or carriage return, which a spreadsheet would run as a formula, gets a
/// leading `'`; so does one that starts with `'`, so that removing one leading `'` always gives
/// the value back.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn push_row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let field = neutralise(&field);
        if field.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

/// Aligned columns (id, date, kind, venue, title), control characters escaped; with a width, the title is cut with `…` so
/// every line fits, keeping at least `MIN_TITLE` characters of it on very narrow terminals.
pub fn table(entries: &[&Entry], width: Option<usize>) -> String {
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|e| {
            let p = &e.paper;
            let kind = match p.stage {
                Some(s) => format!("{}/{s}", p.kind),
                None => p.kind.to_string(),
            };
            // Escaped: a record that slipped past `validate` still shows as one visible line.
            let esc = |s: &str| crate::model::sanitize::escape(s).into_owned();
            [
                e.id.to_string(),
                p.date.to_string(),
                kind,
                p.venue
                    .as_deref()
                    .map_or_else(|| "preprint".to_owned(), esc),
                esc(&p.title),
            ]
        })
        .collect();
    let header = ["ID", "DATE", "KIND", "VENUE", "TITLE"].map(str::to_owned);
    let chars = |s: &str| s.chars().count();
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(chars(cell));
        }
    }
    let lead: usize = widths.iter().map(|w| w + 2).sum();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (w, cell) in widths.iter().zip(row.iter()) {
            line.push_str(cell);
            line.push_str(&" ".repeat(w - chars(cell) + 2));
        }
        let title = &row[4];
        match width {
            Some(total) if lead + chars(title) > total => {
                let room = total.saturating_sub(lead).max(MIN_TITLE);
                line.extend(title.chars().take(room - 1));
                line.push('…');
            }
            _ => line.push_str(title),
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
