//! The awesome list, generated: `papers/` + `README.template.md` -> README.md.
//!
//! The template (minijinja) holds the hand-written prose and places the generated parts:
//! `{{ toc }}`, `{{ sections }}`, `{{ total }}`, and `count(...)` for any figure the prose states.
//! Everything that comes from a record is escaped, so no title or note can open a link, an HTML
//! tag or a new list item, and only http(s) URLs (the only ones a record can hold) become links.
//! The output depends on the data alone: the same database renders to the same bytes.
//!
//! The template is as untrusted as the records, so its work is bounded (see `check_template`,
//! `FUEL` and `MAX_OUTPUT`): it may only place values, count, branch and loop; it cannot build
//! text (`~`, `*`, `+` on text, `set` blocks and macros are refused), every instruction costs fuel,
//! and the output stops at a cap.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use minijinja::value::Kwargs;
use minijinja::{Environment, UndefinedBehavior};

use crate::catalog::query::{Query, VenueFilter};
use crate::catalog::{Catalog, Record, SectionPath};
use crate::model::list::Section;
use crate::model::paper::{Kind, Paper, Stage};

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// List the newest papers first within each section.
    pub newest_first: bool,
}

/// The most instructions a template may run (minijinja fuel). The bundled template uses a few
/// hundred; a loop over every paper of a 100,000-paper database would use about a million.
pub const FUEL: u64 = 5_000_000;

/// The most bytes a rendered README may have.
pub const MAX_OUTPUT: usize = 64 * 1024 * 1024;

/// The template statements allowed: placing values, branching and looping. The others bind or
/// capture text (`set`, `macro`, `call`, `filter`, `with`) or reach other files.
const STATEMENTS: &[&str] = &[
    "if", "elif", "else", "endif", "for", "endfor", "raw", "endraw",
];

/// Renders the README from the database and the template text (named `README.template.md` in
/// errors).
pub fn render(catalog: &Arc<Catalog>, template: &str, options: Options) -> anyhow::Result<String> {
    render_named(catalog, crate::cmd::render::TEMPLATE, template, options)
}

fn syntax() -> anyhow::Result<minijinja::syntax::SyntaxConfig> {
    minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| anyhow::anyhow!("template syntax settings: {e}"))
}

/// Refuses a template that could do unbounded work with a few bytes: text-building operators
/// (`~`, `*`, `**`, and `+` unless both sides are numbers, `count(...)` or `section(...)`) and every statement
/// but those in `STATEMENTS`. Everything left runs in time bounded by fuel and in memory
/// bounded by the values it is given.
pub fn check_template(name: &str, source: &str) -> anyhow::Result<()> {
    use minijinja::machinery::{Token, tokenize};
    let shown = crate::model::sanitize::escape(name).into_owned();
    let mut tokens = Vec::new();
    for token in tokenize(source, false, syntax()?) {
        let (token, span) =
            token.map_err(|e| anyhow::anyhow!("the README template `{shown}`: {e}"))?;
        tokens.push((token, span.start_line));
    }
    let refuse = |line: u16, what: String| {
        anyhow::anyhow!(
            "the README template `{shown}` line {line}: {what}; templates may only place values, \
             count, branch and loop (see docs/security.md)"
        )
    };
    // For each `(`, whether it opens a call of `count`; for each `)`, what it closed.
    let mut parens: Vec<bool> = Vec::new();
    let mut closed_count = vec![false; tokens.len()];
    for (i, (token, line)) in tokens.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| &tokens[j].0);
        match token {
            Token::Tilde => return Err(refuse(*line, "the operator `~` builds text".to_owned())),
            Token::Mul | Token::Pow => {
                return Err(refuse(
                    *line,
                    "the operators `*` and `**` are not allowed".to_owned(),
                ));
            }
            Token::ParenOpen => {
                parens.push(matches!(prev, Some(Token::Ident("count" | "section"))))
            }
            Token::ParenClose => closed_count[i] = parens.pop().unwrap_or(false),
            Token::Plus => {
                let left = i.checked_sub(1).is_some_and(|j| match &tokens[j].0 {
                    Token::Int(_) | Token::Int128(_) | Token::Float(_) => true,
                    Token::ParenClose => closed_count[j],
                    _ => false,
                });
                let right = matches!(
                    (
                        tokens.get(i + 1).map(|t| &t.0),
                        tokens.get(i + 2).map(|t| &t.0),
                    ),
                    (Some(Token::Int(_) | Token::Int128(_) | Token::Float(_)), _)
                        | (
                            Some(Token::Ident("count" | "section")),
                            Some(Token::ParenOpen)
                        )
                );
                if !(left && right) {
                    return Err(refuse(
                        *line,
                        "`+` is allowed only between numbers, `count(...)` and `section(...)`"
                            .to_owned(),
                    ));
                }
            }
            Token::BlockStart => {
                let keyword = match tokens.get(i + 1).map(|t| &t.0) {
                    Some(Token::Ident(word)) => *word,
                    _ => "",
                };
                if !STATEMENTS.contains(&keyword) {
                    return Err(refuse(
                        *line,
                        format!(
                            "the statement `{}` is not allowed",
                            crate::model::sanitize::excerpt(keyword)
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A writer that keeps at most `MAX_OUTPUT` bytes and then fails, noting that it did.
#[derive(Default)]
struct Capped {
    out: Vec<u8>,
    overflowed: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.out.len() + buf.len() > MAX_OUTPUT {
            self.overflowed = true;
            return Err(std::io::Error::other("output cap reached"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders the README from the database and the template text; errors name the template.
pub fn render_named(
    catalog: &Arc<Catalog>,
    name: &str,
    template: &str,
    options: Options,
) -> anyhow::Result<String> {
    check_template(name, template)?;
    let tree = place(catalog, options);
    let mut anchors = Anchors::default();
    let mut toc = String::new();
    let mut sections = String::new();
    for node in &tree {
        write_node(node, 2, 0, &mut anchors, &mut toc, &mut sections);
    }
    let mut env = Environment::new();
    // Spans of failing expressions, for `template_error`.
    env.set_debug(true);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(syntax()?);
    env.set_fuel(Some(FUEL));
    // `cite("id")`: the BibTeX of one record, for a fenced ```bibtex block (every line it writes
    // starts with `@`, `  field = ` or `}`, so no value can close the fence).
    let shared = Arc::clone(catalog);
    env.add_function(
        "cite",
        move |id: &str| -> Result<String, minijinja::Error> {
            let bib = crate::views::cite::bibtex_of(&shared, id).ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("cite(\"{id}\"): no paper has this id"),
                )
            })?;
            Ok(bib.trim_end().to_owned())
        },
    );
    // `count(...)` goes through the same query language as `hftlist query`, so the README's
    // figures and the command agree by construction. minijinja functions own what they use,
    // hence the shared catalog.
    let shared = Arc::clone(catalog);
    env.add_function(
        "count",
        move |kwargs: Kwargs| -> Result<usize, minijinja::Error> {
            let query = count_query(&kwargs, shared.registry())?;
            kwargs.assert_all_used()?;
            Ok(shared.count(&query))
        },
    );
    // `section("Attacks")`: the papers the README lists under that heading (its subsections
    // included), so the prose and the contents state the same figure.
    let mut in_section: HashMap<String, usize> = HashMap::new();
    fn tally(node: &Node<'_>, out: &mut HashMap<String, usize>) {
        out.insert(node.section.heading.clone(), node.count);
        for child in &node.children {
            tally(child, out);
        }
    }
    for node in &tree {
        tally(node, &mut in_section);
    }
    let headings = all_headings(&catalog.list().sections);
    env.add_function(
        "section",
        move |heading: &str| -> Result<usize, minijinja::Error> {
            if !headings.iter().any(|h| h == heading) {
                return Err(minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("no section of list.yaml is headed `{heading}`"),
                ));
            }
            Ok(in_section.get(heading).copied().unwrap_or(0))
        },
    );
    // `venues(min=N)`: the venues (main proceedings, by year) with at least N papers, newest
    // first: `[{name: "ICLR 2026", count: 10}, ...]`, counted as `--venue NAME` counts.
    let shared = Arc::clone(catalog);
    env.add_function(
        "venues",
        move |kwargs: Kwargs| -> Result<minijinja::Value, minijinja::Error> {
            let min = kwargs.get::<Option<usize>>("min")?.unwrap_or(1);
            kwargs.assert_all_used()?;
            let rows: Vec<minijinja::Value> = shared
                .venue_counts()
                .into_iter()
                .filter(|(_, n)| *n >= min)
                .map(|(name, count)| minijinja::context! { name => escape_text(&name), count })
                .collect();
            Ok(minijinja::Value::from(rows))
        },
    );
    // The catalog's order is by date, so its last record is the newest.
    let newest = catalog
        .ordered()
        .last()
        .map(|r| r.paper.date.to_string())
        .unwrap_or_default();
    let shown = crate::model::sanitize::escape(name).into_owned();
    let mut out = Capped::default();
    let rendered = env.template_from_named_str(name, template).and_then(|t| {
        t.render_captured_to(
            minijinja::context! {
                title => escape_text(&catalog.list().title),
                total => catalog.len(),
                newest => newest,
                toc => toc.trim_end(),
                sections => sections.trim_end(),
            },
            &mut out,
        )
    });
    match rendered {
        Ok(_) => {}
        Err(_) if out.overflowed => anyhow::bail!(
            "the README template `{shown}` writes more than {MAX_OUTPUT} bytes, the limit of a README"
        ),
        Err(e) if e.kind() == minijinja::ErrorKind::OutOfFuel => anyhow::bail!(
            "the README template `{shown}` ran more than {FUEL} instructions, the limit of a README \
             template (a loop too large?)"
        ),
        Err(e) => anyhow::bail!("{}", template_error(&shown, &e)),
    }
    String::from_utf8(out.out).map_err(|_| {
        anyhow::anyhow!("the README template `{shown}` wrote bytes that are not UTF-8")
    })
}

/// `file:line: error in the README template: what went wrong (in `expression`)`: one line that
/// names the template, the line and, when the engine knows it and the message does not already
/// quote it, the failing expression.
fn template_error(name: &str, err: &minijinja::Error) -> String {
    let mut out = name.to_owned();
    if let Some(line) = err.line() {
        out.push_str(&format!(":{line}"));
    }
    out.push_str(&format!(": error in the README template: {}", err.kind()));
    if let Some(detail) = err.detail() {
        out.push_str(&format!(": {}", crate::model::sanitize::escape(detail)));
    }
    if let (Some(source), Some(range)) = (err.template_source(), err.range())
        && let Some(expr) = source.get(range)
        && !expr.contains('\n')
        && !err
            .detail()
            .is_some_and(|d| d.contains(&format!("`{expr}`")))
    {
        out.push_str(&format!(" (in `{}`)", crate::model::sanitize::escape(expr)));
    }
    out
}

/// A section with the papers it holds directly and its rendered subsections.
struct Node<'a> {
    section: &'a Section,
    records: Vec<Record<'a>>,
    children: Vec<Node<'a>>,
    count: usize,
}

/// Puts every record under its innermost section, in the catalog's order; drops empty sections.
fn place(catalog: &Catalog, options: Options) -> Vec<Node<'_>> {
    let mut by_path: HashMap<&SectionPath, Vec<Record<'_>>> = HashMap::new();
    for record in catalog.ordered() {
        for path in record.sections {
            by_path.entry(path).or_default().push(record);
        }
    }
    fn build<'a>(
        section: &'a Section,
        path: &mut SectionPath,
        by_path: &mut HashMap<&SectionPath, Vec<Record<'a>>>,
        options: Options,
    ) -> Option<Node<'a>> {
        let mut records = by_path.remove(path).unwrap_or_default();
        if options.newest_first {
            records.reverse();
        }
        let mut children = Vec::new();
        for (i, child) in section.sections.iter().enumerate() {
            path.push(i);
            children.extend(build(child, path, by_path, options));
            path.pop();
        }
        let count = records.len() + children.iter().map(|c| c.count).sum::<usize>();
        (count > 0).then_some(Node {
            section,
            records,
            children,
            count,
        })
    }
    catalog
        .list()
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| build(s, &mut vec![i], &mut by_path, options))
        .collect()
}

fn write_node(
    node: &Node<'_>,
    level: usize,
    depth: usize,
    anchors: &mut Anchors,
    toc: &mut String,
    out: &mut String,
) {
    // Counts go in the contents, not in headings, so a heading's anchor (`#attacks`) does not
    // change when a paper is added.
    let heading = escape_text(&node.section.heading);
    let anchor = anchors.next(&heading);
    let _ = writeln!(
        toc,
        "{}- [{heading}](#{anchor}) ({})",
        "  ".repeat(depth),
        node.count
    );
    let _ = writeln!(out, "{} {heading}\n", "#".repeat(level.min(6)));
    for record in &node.records {
        out.push_str(&entry_line(&record.paper));
        out.push('\n');
    }
    if !node.records.is_empty() {
        out.push('\n');
    }
    for child in &node.children {
        write_node(child, level + 1, depth + 1, anchors, toc, out);
    }
}

/// One paper as a list item: date, title, venue, links, tags, note.
pub fn entry_line(p: &Paper) -> String {
    let date = p.date.to_string().replace('-', "/");
    let venue = match (&p.venue, &p.arxiv) {
        (Some(v), _) => escape_text(v),
        (None, Some(_)) => "arXiv".to_owned(),
        (None, None) => "preprint".to_owned(),
    };
    let mut line = format!("- [{date}] **{}** *{venue}*", escape_text(&p.title));
    for (_, label, url) in p.links() {
        let _ = write!(line, " [[{label}]({})]", encode_url(&url));
    }
    for tag in &p.tags {
        let _ = write!(line, " `{tag}`");
    }
    if let Some(note) = &p.note {
        let _ = write!(line, " ({})", escape_text(note));
    }
    line
}

/// Text made inert for Markdown: whitespace folded onto one line, and every character that
/// could start emphasis, a link, an HTML tag, an entity, code or a table cell escaped. GitHub
/// also links bare `http://`, `https://` and `ftp://` URLs, `www.` names and e-mail addresses in
/// plain text (GFM autolinks): the `:` before `//` and the `.` after `www` are escaped too, and
/// every `@` is preceded by an empty HTML comment (`<!-- -->`, invisible) because GitHub finds
/// e-mail addresses in the text after escapes are resolved, and only another node between the
/// name and the `@` stops it. The text reads the same, the only links in the README are the
/// records' own. (Checked against cmark-gfm, GitHub's renderer: see docs/security.md.)
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut prev: [char; 3] = ['\0'; 3];
        let mut chars = word.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '@' {
                out.push_str(EMAIL_BREAK);
            }
            let autolink = match c {
                ':' => word_rest_starts_with(chars.clone(), "//"),
                '.' => prev.iter().all(|p| p.eq_ignore_ascii_case(&'w')),
                _ => false,
            };
            if autolink
                || matches!(
                    c,
                    '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~'
                )
            {
                out.push('\\');
            }
            out.push(c);
            prev = [prev[1], prev[2], c];
        }
    }
    out
}

/// What goes before every `@` of escaped text: an empty HTML comment, which GitHub shows as
/// nothing and which ends the text its e-mail autolinker searches.
pub const EMAIL_BREAK: &str = "<!-- -->";

fn word_rest_starts_with(mut rest: impl Iterator<Item = char>, prefix: &str) -> bool {
    prefix.chars().all(|p| rest.next() == Some(p))
}

/// A URL safe inside `(...)`: brackets, spaces and non-ASCII characters percent-encoded.
pub fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '(' | ')' | '<' | '>' | ' ' | '"' | '\\' | '`' => {
                let _ = write!(out, "%{:02X}", u32::from(c));
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    out
}

/// GitHub's heading anchors: lowercase, punctuation dropped, spaces to `-`, and `-1`, `-2`...
/// for repeats.
#[derive(Default)]
pub struct Anchors {
    seen: HashMap<String, usize>,
}

impl Anchors {
    /// The anchor of the next heading with this (Markdown) text.
    pub fn next(&mut self, heading: &str) -> String {
        let text = heading.replace(EMAIL_BREAK, "").replace('\\', "");
        let base: String = text
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let n = self.seen.entry(base.clone()).or_insert(0);
        let anchor = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        *n += 1;
        anchor
    }
}

/// Every heading of the sections, nested ones included.
fn all_headings(sections: &[Section]) -> Vec<String> {
    let mut out = Vec::new();
    for s in sections {
        out.push(s.heading.clone());
        out.extend(all_headings(&s.sections));
    }
    out
}

/// The query behind the template's `count(...)`: the keywords `kind`, `stage`, `venue` (as
/// `--venue`: `venue="ICLR 2025"` is its main proceedings), `year`, `tag` and `published`.
fn count_query(
    kwargs: &Kwargs,
    registry: &crate::model::venue::Registry,
) -> Result<Query, minijinja::Error> {
    let bad = |e: String| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e);
    let kinds = kwargs
        .get::<Option<&str>>("kind")?
        .map(str::parse::<Kind>)
        .transpose()
        .map_err(bad)?;
    let stages = kwargs
        .get::<Option<&str>>("stage")?
        .map(str::parse::<Stage>)
        .transpose()
        .map_err(bad)?;
    let venue = kwargs
        .get::<Option<&str>>("venue")?
        .map(|v| VenueFilter::parse(v, registry))
        .transpose()
        .map_err(bad)?;
    let tags = kwargs
        .get::<Option<&str>>("tag")?
        .map(str::parse::<crate::model::ident::Tag>)
        .transpose()
        .map_err(|e| bad(e.to_string()))?;
    let years = kwargs
        .get::<Option<i16>>("year")?
        .map(|y| crate::catalog::query::YearRange {
            from: Some(y),
            to: Some(y),
        });
    Ok(Query {
        kinds: kinds.into_iter().collect(),
        stages: stages.into_iter().collect(),
        tags: tags.into_iter().collect(),
        years,
        venue,
        published: kwargs.get::<Option<bool>>("published")?,
        ..Query::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape_text("](javascript:alert(1))"),
            "\\](javascript:alert(1))"
        );
        assert_eq!(
            escape_text("<script>**x**</script>"),
            "\\<script\\>\\*\\*x\\*\\*\\</script\\>"
        );
        assert_eq!(escape_text("a\n- b"), "a - b");
        assert_eq!(escape_text("Q&A | `x`"), "Q\\&A \\| \\`x\\`");
    }

    #[test]
    fn escaping_leaves_nothing_for_the_autolinker() {
        assert_eq!(
            escape_text("see https://evil.example/x"),
            "see https\\://evil.example/x"
        );
        assert_eq!(escape_text("www.evil.example"), "www\\.evil.example");
        assert_eq!(escape_text("WWW.evil.example"), "WWW\\.evil.example");
        assert_eq!(
            escape_text("mail me@evil.example"),
            "mail me<!-- -->@evil.example"
        );
        assert_eq!(escape_text("Vaccine: a defense"), "Vaccine: a defense");
        assert_eq!(escape_text("v1.2 of the www"), "v1.2 of the www");
    }

    #[test]
    fn urls_are_encoded_for_link_destinations() {
        assert_eq!(encode_url("https://e.org/a_(b)"), "https://e.org/a_%28b%29");
        assert_eq!(encode_url("https://e.org/é"), "https://e.org/%C3%A9");
    }

    #[test]
    fn anchors_follow_github() {
        let mut a = Anchors::default();
        assert_eq!(a.next("Attacks (34)"), "attacks-34");
        assert_eq!(
            a.next("Post-fine-tuning Stage Defenses (12)"),
            "post-fine-tuning-stage-defenses-12"
        );
        assert_eq!(a.next("Attacks (34)"), "attacks-34-1");
        assert_eq!(a.next("Q\\&A"), "qa");
    }
}
