//! Characters that can forge output, and how human output shows them.
//!
//! A record is written by a stranger and its text reaches terminals and CI logs. Control
//! characters (C0, DEL, C1) can clear a screen or start a new log line (`::error file=...::`, a
//! GitHub Actions workflow command); bidirectional overrides and zero-width characters can make
//! text read differently from what it is. `validate` refuses them in every text field and file
//! name (`control-character`); every human output passes text through [`escape`], which writes
//! them as `\n`, `\t`, `\r` or `\u{XXXX}`, so one record is always one line and looks like what it is.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is refused in record text: every C0 control (tab and line feed included; the
/// fields that allow them check with [`is_forbidden_in_prose`]), DEL, C1, the bidirectional
/// controls and the zero-width characters, and the Unicode line and paragraph separators.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// Like [`is_forbidden`] but allowing tab and line feed, for prose fields (title, note) whose
/// whitespace is folded when shown.
pub fn is_forbidden_in_prose(c: char) -> bool {
    !matches!(c, '\t' | '\n') && is_forbidden(c)
}

/// Bidirectional controls, zero-width characters and line/paragraph separators.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// The first refused character of `s` and its char index, if any.
pub fn first_forbidden(s: &str, prose: bool) -> Option<char> {
    s.chars().find(|&c| {
        if prose {
            is_forbidden_in_prose(c)
        } else {
            is_forbidden(c)
        }
    })
}

/// How a character is written in a message: `U+202E`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// `s` with every refused character (tab and line feed included) written as an escape, so the
/// result is one line of visible text. Borrowed when there is nothing to escape.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_forbidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_forbidden(c) => {
                let _ = write!(out, "\\u{{{:04X}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The most characters of a value a message quotes.
pub const EXCERPT_CHARS: usize = 80;

/// A short, escaped excerpt of a value for a message: at most `EXCERPT_CHARS` characters, cut
/// with `…`, control characters escaped.
pub fn excerpt(s: &str) -> String {
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    let mut out = escape(&head).into_owned();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// The most characters a diagnostic message keeps.
pub const MESSAGE_CHARS: usize = 400;

/// A message made safe to print: every backtick-quoted value cut to an excerpt, control
/// characters escaped, and the whole cut to `MESSAGE_CHARS` characters.
pub fn message(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MESSAGE_CHARS * 4));
    for (i, part) in s.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&excerpt(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    if out.chars().count() > MESSAGE_CHARS {
        let mut cut: String = out.chars().take(MESSAGE_CHARS).collect();
        cut.push('…');
        return cut;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_bidi_and_zero_width() {
        assert_eq!(escape("a\nb"), "a\\nb");
        assert_eq!(escape("x\u{202E}y"), "x\\u{202E}y");
        assert_eq!(escape("\u{1B}[2J"), "\\u{001B}[2J");
        assert_eq!(escape("zero\u{200B}width"), "zero\\u{200B}width");
        assert_eq!(escape("\u{85}"), "\\u{0085}");
        assert!(matches!(escape("plain é"), Cow::Borrowed(_)));
    }

    #[test]
    fn prose_allows_tab_and_newline_only() {
        assert_eq!(first_forbidden("a\tb\nc", true), None);
        assert_eq!(first_forbidden("a\tb", false), Some('\t'));
        assert_eq!(first_forbidden("a\rb", true), Some('\r'));
    }

    #[test]
    fn messages_quote_short_excerpts() {
        let long = "x".repeat(500);
        let m = message(&format!("venue `{long}` is unknown\n::error::x"));
        assert!(m.starts_with(&format!("venue `{}…` is unknown\\n", "x".repeat(80))));
        assert!(!m.contains('\n'));
        assert!(message(&"y".repeat(1000)).chars().count() <= MESSAGE_CHARS + 1);
    }
}
