//! Paper lists as text: an aligned table for people, Markdown as in the README, and JSON, YAML,
//! CSV and plain ids for scripts. Every function is pure and returns the whole text.

use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

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

/// The fewest title columns a table line shows, however narrow the terminal.
const MIN_TITLE: usize = 40;

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

/// The text of a table cell as shown: the one place a cell's text passes through before it is
/// measured and printed. Escaped: a record that slipped past `validate` still shows as one
/// visible line.
fn cell(text: &str) -> String {
    crate::model::sanitize::escape(text).into_owned()
}

/// Display columns of a text (a CJK character takes two, a combining mark none).
fn columns(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// The longest prefix of `text` that fits in `room` display columns, with `…` when cut.
fn fit(text: &str, room: usize) -> String {
    if columns(text) <= room {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > room {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The columns before the title, in order.
const HEADER: [&str; 4] = ["ID", "DATE", "KIND", "VENUE"];

/// Which of `HEADER`'s columns go, in order, when the title lacks room: kind, then venue, then
/// date. The id stays, since it is what other commands take.
const DROP_ORDER: [usize; 3] = [2, 3, 1];

/// Aligned columns (id, date, kind, venue, title), widths counted in display columns. With a
/// width, a table that does not fit first drops columns (kind, then venue, then date) until the
/// title has `MIN_TITLE` columns or all of its longest title, then cuts longer titles with `…`.
pub fn table(entries: &[&Entry], width: Option<usize>) -> String {
    let rows: Vec<([String; 4], String)> = entries
        .iter()
        .map(|e| {
            let p = &e.paper;
            let kind = match p.stage {
                Some(s) => format!("{}/{s}", p.kind),
                None => p.kind.to_string(),
            };
            (
                [
                    cell(e.id.as_str()),
                    cell(&p.date.to_string()),
                    cell(&kind),
                    cell(p.venue.as_deref().unwrap_or("preprint")),
                ],
                cell(&p.title),
            )
        })
        .collect();
    let header = (HEADER.map(str::to_owned), "TITLE".to_owned());
    let mut widths = [0usize; 4];
    for (lead, _) in std::iter::once(&header).chain(&rows) {
        for (w, c) in widths.iter_mut().zip(lead) {
            *w = (*w).max(columns(c));
        }
    }
    let longest = rows.iter().map(|(_, t)| columns(t)).max().unwrap_or(0);
    let mut shown = [true; 4];
    let lead_width =
        |shown: &[bool; 4]| -> usize { (0..4).filter(|&i| shown[i]).map(|i| widths[i] + 2).sum() };
    if let Some(total) = width {
        for &i in &DROP_ORDER {
            let room = total.saturating_sub(lead_width(&shown));
            if room >= longest.min(MIN_TITLE) {
                break;
            }
            shown[i] = false;
        }
    }
    let room = width.map(|total| total.saturating_sub(lead_width(&shown)).max(MIN_TITLE));
    let mut out = String::new();
    for (lead, title) in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for i in (0..4).filter(|&i| shown[i]) {
            line.push_str(&lead[i]);
            line.push_str(&" ".repeat(widths[i] - columns(&lead[i]) + 2));
        }
        match room {
            Some(room) => line.push_str(&fit(title, room)),
            None => line.push_str(title),
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_counts_display_columns() {
        assert_eq!(fit("abcdef", 6), "abcdef");
        assert_eq!(fit("abcdef", 4), "abc…");
        // Each of these takes two columns: three fit in 7 with the ellipsis.
        assert_eq!(fit("安全对齐微调", 7), "安全对…");
        assert_eq!(columns("Ünïcödé"), 7);
    }
}
