//! The BibTeX and BibLaTeX views of a [`Citation`].
//!
//! Every value is written between braces, and nothing from a record can unbalance them: in text
//! fields TeX's special characters are escaped (`{` and `}` become `\textbraceleft{}` and
//! `\textbraceright{}`, since BibTeX counts braces even after a backslash), and in the verbatim
//! fields (`doi`, `url`, `eprint`) `{`, `}`, `\` and whitespace are percent-encoded, which leaves
//! the link the same. So no value can close its field and open another field or entry.
//!
//! Titles brace only what a style must not lowercase: words with a capital after their first
//! letter (`LLMs`, `GPT-4`, `LoRA`), the name before a title's colon (`{Vaccine}: ...`), and in a
//! sentence-case title every capitalised word after the first (proper nouns).

use std::fmt::Write as _;

use super::{Citation, CitationType};
use crate::model::name::{Name, reads_as_written};

/// Which flavour of `.bib` to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Classic BibTeX, for `.bst` styles: `@misc` with `howpublished` for preprints.
    Bibtex,
    /// BibLaTeX (biber): `@online` with `eprinttype = {arxiv}` for preprints, `journaltitle`,
    /// `date`.
    Biblatex,
}

/// The entries, separated by blank lines. Large lists are formatted in halves on two threads
/// (formatting 100,000 entries is a good part of `export`'s time).
pub fn write_entries(citations: &[Citation<'_>], dialect: Dialect) -> String {
    if citations.len() < 2_000 {
        return write_part(citations, dialect);
    }
    let (first, second) = citations.split_at(citations.len() / 2);
    let (mut out, rest) = std::thread::scope(|scope| {
        let rest = scope.spawn(|| write_part(second, dialect));
        (write_part(first, dialect), rest.join())
    });
    out.push('\n');
    out.push_str(&rest.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
    out
}

fn write_part(citations: &[Citation<'_>], dialect: Dialect) -> String {
    let mut out = String::with_capacity(citations.len() * 360);
    for (i, c) in citations.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_entry(&mut out, c, dialect);
    }
    out
}

/// Appends one entry.
pub(super) fn write_entry(out: &mut String, c: &Citation<'_>, dialect: Dialect) {
    let biblatex = dialect == Dialect::Biblatex;
    let kind = match (c.type_, biblatex) {
        (CitationType::Conference | CitationType::Workshop, _) => "inproceedings",
        (CitationType::Journal, _) => "article",
        (CitationType::Preprint, true) => "online",
        (CitationType::Preprint | CitationType::Unplaced, _) => "misc",
    };
    let _ = writeln!(out, "@{kind}{{{},", c.key);
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "  {name} = {{{value}}},");
    };
    field("title", &title(c.title));
    if !c.authors.is_empty() {
        let names: Vec<String> = c.authors.iter().map(name).collect();
        field("author", &names.join(" and "));
    } else if !biblatex {
        // BibTeX sorts and labels an entry without authors by its `key` field.
        field("key", c.key);
    }
    if let Some(container) = &c.container {
        let name = match (c.type_, biblatex) {
            (CitationType::Journal, true) => "journaltitle",
            (CitationType::Journal, false) => "journal",
            _ => "booktitle",
        };
        field(name, &tex(container));
    }
    if c.type_ == CitationType::Preprint
        && !biblatex
        && let Some(id) = c.arxiv
    {
        field("howpublished", &format!("arXiv:{id}"));
    }
    if let Some(note) = &c.note {
        field("note", &tex(note));
    }
    match (biblatex, c.date) {
        (true, Some(date)) => field("date", &date.to_string()),
        (true, None) => field("date", &c.year.to_string()),
        (false, _) => field("year", &c.year.to_string()),
    }
    if let Some(id) = c.arxiv {
        field("eprint", &verbatim(&id.to_string()));
        if biblatex {
            field("eprinttype", "arxiv");
        } else {
            field("archivePrefix", "arXiv");
        }
    }
    if let Some(doi) = c.doi {
        field("doi", &verbatim(doi));
    }
    if let Some(url) = &c.url {
        field("url", &verbatim(url));
    }
    out.push_str("}\n");
}

/// A verbatim field's value (biblatex and the `url` package read `doi` and `url` as they are):
/// `{`, `}`, `\`, `%`-less whitespace and control characters are percent-encoded, so the value
/// cannot unbalance the braces; everything else, `_`, `%` and `#` included, stays as written.
pub(super) fn verbatim(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '{' | '}' | '\\') || c.is_whitespace() || c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes TeX's special characters, folding whitespace to single spaces.
pub(super) fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_tex(&mut out, word);
    }
    out
}

/// Character pairs TeX typesets as one glyph (`--` is a dash, ``` `` ``` a quote, `<<` a
/// guillemet in T1): a `{}` between them keeps both characters.
const LIGATURES: &[[char; 2]] = &[
    ['-', '-'],
    ['`', '`'],
    ['\'', '\''],
    ['<', '<'],
    ['>', '>'],
    [',', ','],
    ['!', '`'],
    ['?', '`'],
];

fn push_tex(out: &mut String, word: &str) {
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(&next) = chars.peek()
            && LIGATURES.contains(&[c, next])
        {
            out.push(c);
            out.push_str("{}");
            continue;
        }
        match c {
            '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// A name part: escaped, and braced when escaping added a command, so BibTeX reads it as one
/// capitalised token rather than a particle.
fn part(s: &str) -> String {
    let escaped = tex(s);
    if escaped.contains('\\') {
        format!("{{{escaped}}}")
    } else {
        escaped
    }
}

/// A name as BibTeX reads it: `von Last, Jr, First`, or a braced literal.
fn name(n: &Name) -> String {
    match n {
        Name::Literal(s) => format!("{{{}}}", tex(s)),
        Name::Person {
            given,
            particle,
            family,
            suffix,
        } => {
            // Outside the particle, a word BibTeX might split or take for a particle (one that
            // starts lowercase or with a sign) is braced.
            let words = |s: &str, particle: bool| {
                s.split(' ')
                    .map(|w| {
                        // A particle word starts lowercase, which is what makes it a particle to
                        // BibTeX: braces would hide that, so it is only escaped.
                        if particle {
                            return tex(w);
                        }
                        let p = part(w);
                        if !reads_as_written(w) && !p.starts_with('{') {
                            format!("{{{p}}}")
                        } else {
                            p
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let mut out = String::new();
            if !particle.is_empty() {
                out.push_str(&words(particle, true));
                out.push(' ');
            }
            out.push_str(&words(family, false));
            if !suffix.is_empty() {
                out.push_str(", ");
                out.push_str(&part(suffix));
                // `von Last, Jr` alone would make the suffix the given name: an empty group
                // keeps the three-part form (found by the export_writers fuzz target).
                if given.is_empty() {
                    out.push_str(", {}");
                }
            }
            if !given.is_empty() {
                out.push_str(", ");
                out.push_str(&words(given, false));
            }
            out
        }
    }
}

/// Whether a word must keep its case: a capital after its first letter (`LLMs`, `GPT-4`,
/// `SafeGenAI`, `iOS`), in any hyphen-separated part.
fn has_inner_capital(word: &str) -> bool {
    word.split(['-', '/'])
        .any(|part| part.chars().skip(1).any(char::is_uppercase))
}

fn starts_upper(word: &str) -> bool {
    word.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase)
}

/// Words that title case leaves lowercase.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "is", "of", "on", "or",
    "the", "to", "via", "vs", "with",
];

/// The title with TeX escaped and the words whose case must survive a style braced.
pub(super) fn title(t: &str) -> String {
    let words: Vec<&str> = t.split_whitespace().collect();
    // The name before a colon, when short, is the method's name (`Vaccine: ...`).
    let head = words
        .iter()
        .position(|w| w.ends_with(':'))
        .filter(|&i| i < 3 && words[..=i].concat().chars().any(char::is_alphanumeric));
    // A sentence-case title: most words after the first (and after the head) are lowercase,
    // so a capitalised one is a proper noun.
    let from = head.map_or(1, |h| h + 2);
    let body: Vec<&&str> = words
        .iter()
        .skip(from)
        .filter(|w| !SMALL_WORDS.contains(&w.to_lowercase().as_str()) && !has_inner_capital(w))
        .collect();
    let capitalised = body.iter().filter(|w| starts_upper(w)).count();
    let sentence_case = capitalised * 2 < body.len();
    let mut out = String::with_capacity(t.len() + 16);
    let mut i = 0;
    while i < words.len() {
        if i > 0 {
            out.push(' ');
        }
        if let Some(h) = head
            && i == 0
        {
            let name = words[..=h].join(" ");
            let name = name.strip_suffix(':').unwrap_or(&name);
            out.push('{');
            push_tex(&mut out, name);
            out.push_str("}:");
            i = h + 1;
            continue;
        }
        let word = words[i];
        let protect = has_inner_capital(word)
            || (sentence_case && i >= from && starts_upper(word))
            || (word.chars().filter(char::is_ascii_alphabetic).count() == 1
                && word.chars().any(char::is_uppercase)
                && word != "A"
                && i > 0);
        // Trailing punctuation stays outside the braces.
        let core = word.trim_end_matches([',', ';', ':', '.', '?', '!']);
        if protect && !core.is_empty() {
            out.push('{');
            push_tex(&mut out, core);
            out.push('}');
            push_tex(&mut out, &word[core.len()..]);
        } else {
            push_tex(&mut out, word);
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_brace_acronyms_method_names_and_proper_nouns_only() {
        assert_eq!(
            title("Vaccine: Perturbation-aware Alignment for Large Language Models"),
            "{Vaccine}: Perturbation-aware Alignment for Large Language Models"
        );
        assert_eq!(
            title("Self-Destructing Models: Increasing the Costs of Harmful Dual Uses"),
            "{Self-Destructing Models}: Increasing the Costs of Harmful Dual Uses"
        );
        assert_eq!(
            title(
                "Fine-tuning aligned language models compromises safety, even when users do not intend to!"
            ),
            "Fine-tuning aligned language models compromises safety, even when users do not intend to!"
        );
        assert_eq!(
            title("Safety of LLMs, GPT-4 and LoRA fine-tuning in federated learning on Monday"),
            "Safety of {LLMs}, {GPT-4} and {LoRA} fine-tuning in federated learning on {Monday}"
        );
        assert_eq!(
            title("What Makes Model X Safe"),
            "What Makes Model {X} Safe"
        );
    }

    #[test]
    fn tex_specials_are_escaped_and_braces_stay_balanced() {
        assert_eq!(
            tex("100% _x_ {y} ~z $a^b$ \\c #1 & d"),
            "100\\% \\_x\\_ \\textbraceleft{}y\\textbraceright{} \\textasciitilde{}z \
             \\$a\\textasciicircum{}b\\$ \\textbackslash{}c \\#1 \\& d"
        );
        assert_eq!(
            tex("a--b ``c'' <<d>> ,,"),
            "a-{}-b `{}`c'{}' <{}<d>{}> ,{},"
        );
        assert_eq!(
            verbatim("https://a.org/x_y%20#z},note={X}"),
            "https://a.org/x_y%20#z%7D,note=%7BX%7D"
        );
    }

    #[test]
    fn names_are_written_in_bibtex_order() {
        for (written, bib) in [
            ("Tiansheng Huang", "Huang, Tiansheng"),
            ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
            ("José García Jr.", "García, Jr., José"),
            ("Barnes and Noble", "{Barnes and Noble}"),
            ("Ada $Love_lace", "{\\$Love\\_lace}, Ada"),
            ("Cruz y Lopez, Juan", "Cruz {y} Lopez, Juan"),
            ("danah boyd", "danah {boyd}"),
            // Found by the export_writers fuzz target: an escaped particle stays unbraced.
            (
                "e} Lo v_an Beethoven",
                "e\\textbraceright{} Lo v\\_an Beethoven",
            ),
            ("van Beethoven Jr.", "van Beethoven, Jr., {}"),
        ] {
            assert_eq!(name(&Name::parse(written)), bib, "{written}");
        }
    }
}
