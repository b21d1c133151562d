//! A fast path for records in canonical form, the form `to_yaml` writes: one `key: value` per
//! line, values plain, double-quoted without escapes other than `\"` and `\\`, or folded (`>-`),
//! and lists as `- item` lines. Parsing such a file with serde-saphyr costs about 12 µs, most of
//! the time `validate` spends on a 100,000-paper list; this reader takes a fraction of that.
//!
//! It accepts only what it can read exactly as serde-saphyr would, with the same positions, and
//! gives up (`None`) on anything else: comments, flow collections, anchors, tags, escapes,
//! unknown or repeated keys, nulls, tabs, CRLF... Those files go through serde-saphyr, which
//! also writes every diagnostic about their shape. A differential test checks that both
//! readers agree on every file the fast path accepts.

use crate::model::diag::Pos;
use crate::model::paper::Field;

use super::raw::{RawRecord, RawValue};

/// Reads a canonical record, or `None` to fall back to the full YAML parser.
pub(crate) fn parse(text: &str) -> Option<RawRecord> {
    let unusual = |b: u8| {
        (b < 0x20 && b != b'\n')
            || b >= 0x7F
            || matches!(
                b,
                b'#' | b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b'{' | b'}' | b'[' | b']'
            )
    };
    // Control characters (YAML refuses most), tabs, CR, non-ASCII and the characters that start
    // comments, anchors, aliases, tags, directives or flow collections: the full parser's job.
    if text.bytes().any(unusual) {
        return None;
    }
    let mut record = RawRecord {
        values: (0..Field::ALL.len()).map(|_| None).collect(),
        positions: vec![Pos::default(); Field::ALL.len()],
        ..RawRecord::default()
    };
    let lines: Vec<&str> = text.split('\n').collect();
    // A final newline leaves one empty string at the end; anything else empty is unusual.
    let count = if text.ends_with('\n') {
        lines.len() - 1
    } else {
        lines.len()
    };
    let mut i = 0;
    while i < count {
        let line = lines[i];
        let line_no = u64::try_from(i + 1).ok()?;
        let (key, rest) = line.split_once(':')?;
        let field: Field = key.parse().ok()?;
        if i == 0 {
            record.start = Pos::new(1, 1);
        }
        if record.values[field.index()].is_some() || key.starts_with(' ') {
            return None;
        }
        let value_column = key.len() as u64 + 3;
        let (value, next) = if field.is_list() {
            if !rest.is_empty() {
                return None;
            }
            let mut items = Vec::new();
            let mut j = i + 1;
            while j < count && lines[j].starts_with("- ") {
                let item = scalar(&lines[j][2..])?;
                items.push((Pos::new(u64::try_from(j + 1).ok()?, 3), item));
                j += 1;
            }
            let first = items.first()?.0;
            (RawValue::List(first, items), j)
        } else {
            let rest = rest.strip_prefix(' ')?;
            if rest == ">-" {
                // A folded block: lines indented by two spaces, joined by single spaces.
                let mut parts = Vec::new();
                let mut j = i + 1;
                while j < count && lines[j].starts_with("  ") {
                    let part = &lines[j][2..];
                    if part.is_empty() || part.starts_with(' ') || part.ends_with(' ') {
                        return None;
                    }
                    parts.push(part);
                    j += 1;
                }
                if parts.is_empty() {
                    return None;
                }
                // serde-saphyr places a folded value at its first line of text.
                (
                    RawValue::Scalar(Pos::new(line_no + 1, 3), Some(parts.join(" "))),
                    j,
                )
            } else {
                (
                    RawValue::Scalar(Pos::new(line_no, value_column), Some(scalar(rest)?)),
                    i + 1,
                )
            }
        };
        record.positions[field.index()] = value.pos();
        record.values[field.index()] = Some(value);
        i = next;
    }
    if record.start.line == 0 {
        return None;
    }
    Some(record)
}

/// A single-line scalar: double-quoted (with only `\"` and `\\` escapes) or plain and plainly a
/// string. `None` for anything YAML would read otherwise.
fn scalar(s: &str) -> Option<String> {
    if let Some(inner) = s.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next()? {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    _ => return None,
                },
                '"' => return None,
                c => out.push(c),
            }
        }
        return Some(out);
    }
    let plain_start = s.chars().next().is_some_and(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '(' | '/' | '.' | '_' | '+' | '$' | '^' | '=')
    });
    let ambiguous = matches!(
        s,
        "null" | "Null" | "NULL" | "~" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    );
    if !plain_start
        || ambiguous
        || s.ends_with(' ')
        || s.contains(": ")
        || s.ends_with(':')
        || s.contains(" #")
        || s.contains('\'')
        || s.contains('"')
        || s.contains('\\')
    {
        return None;
    }
    Some(s.to_owned())
}
