//! The awesome list, generated: `papers/` + `README.template.md` -> README.md.
//!
//! The template (minijinja) holds the hand-written prose and places the generated parts:
//! `{{ toc }}`, `{{ sections }}`, `{{ total }}`, and `count(...)` for any figure the prose states.
//! Everything that comes from a record is escaped, so no title or note can open a link, an HTML
//! tag or a new list item, and only http(s) URLs (the only ones a record can hold) become links.
//! The output depends on the data alone: the same database renders to the same bytes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use minijinja::value::Kwargs;
use minijinja::{Environment, UndefinedBehavior};

use crate::db::{Db, Entry};
use crate::list::Section;
use crate::paper::{Kind, Paper, Stage};

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// List the newest papers first within each section.
    pub newest_first: bool,
}

/// Renders the README from the database and the template text.
pub fn render(db: &Db, template: &str, options: Options) -> anyhow::Result<String> {
    let tree = place(db, options);
    let mut anchors = Anchors::default();
    let mut toc = String::new();
    let mut sections = String::new();
    for node in &tree {
        write_node(node, 2, 0, &mut anchors, &mut toc, &mut sections);
    }
    let papers: Arc<Vec<Paper>> = Arc::new(db.entries.iter().map(|e| e.paper.clone()).collect());
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .map_err(|e| anyhow::anyhow!("template syntax settings: {e}"))?,
    );
    // `cite(id)`: the BibTeX of one record, for a fenced ```bibtex block (every line it writes
    // starts with `@`, `  field = ` or `}`, so no value can close the fence).
    let ids: Vec<String> = db.entries.iter().map(|e| e.id.to_string()).collect();
    let (cited, registry) = (Arc::clone(&papers), db.list.registry.clone());
    env.add_function(
        "cite",
        move |id: &str| -> Result<String, minijinja::Error> {
            let i = ids.iter().position(|x| x == id).ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("cite(\"{id}\"): no paper has this id"),
                )
            })?;
            let venue = crate::cite::resolve(&cited[i], &registry);
            let c = crate::cite::citation(id, &cited[i], venue.as_ref());
            let text = crate::cite::write_entries(&[c], crate::cite::Dialect::Bibtex);
            Ok(text.trim_end().to_owned())
        },
    );
    env.add_function(
        "count",
        move |kwargs: Kwargs| -> Result<usize, minijinja::Error> {
            let filter = CountFilter::from_kwargs(&kwargs)?;
            kwargs.assert_all_used()?;
            Ok(papers.iter().filter(|p| filter.matches(p)).count())
        },
    );
    let out = env
        .render_str(
            template,
            minijinja::context! {
                title => escape_text(&db.list.title),
                total => db.entries.len(),
                toc => toc.trim_end(),
                sections => sections.trim_end(),
            },
        )
        .map_err(|e| anyhow::anyhow!("the README template: {e:#}"))?;
    Ok(out)
}

/// A section with the papers it holds directly and its rendered subsections.
struct Node<'a> {
    section: &'a Section,
    entries: Vec<&'a Entry>,
    children: Vec<Node<'a>>,
    count: usize,
}

/// Puts every entry under its innermost section, sorted; drops empty sections.
fn place(db: &Db, options: Options) -> Vec<Node<'_>> {
    let mut by_path: HashMap<Vec<&str>, Vec<&Entry>> = HashMap::new();
    for entry in &db.entries {
        for path in db.list.sections_for(&entry.paper) {
            by_path.entry(path).or_default().push(entry);
        }
    }
    fn build<'a>(
        section: &'a Section,
        path: &mut Vec<&'a str>,
        by_path: &mut HashMap<Vec<&'a str>, Vec<&'a Entry>>,
        options: Options,
    ) -> Option<Node<'a>> {
        path.push(&section.heading);
        let mut entries = by_path.remove(path.as_slice()).unwrap_or_default();
        entries.sort_by_cached_key(|e| sort_key(&e.paper));
        if options.newest_first {
            entries.reverse();
        }
        let children: Vec<Node<'a>> = section
            .sections
            .iter()
            .filter_map(|child| build(child, path, by_path, options))
            .collect();
        path.pop();
        let count = entries.len() + children.iter().map(|c| c.count).sum::<usize>();
        (count > 0).then_some(Node {
            section,
            entries,
            children,
            count,
        })
    }
    db.list
        .sections
        .iter()
        .filter_map(|s| build(s, &mut Vec::new(), &mut by_path, options))
        .collect()
}

/// Date, then title ignoring case, then title, so the order never depends on file order.
fn sort_key(p: &Paper) -> (crate::date::PartialDate, String, String) {
    (p.date, p.title.to_lowercase(), p.title.clone())
}

fn write_node(
    node: &Node<'_>,
    level: usize,
    depth: usize,
    anchors: &mut Anchors,
    toc: &mut String,
    out: &mut String,
) {
    let heading = format!("{} ({})", escape_text(&node.section.heading), node.count);
    let anchor = anchors.next(&heading);
    let _ = writeln!(toc, "{}- [{heading}](#{anchor})", "  ".repeat(depth));
    let _ = writeln!(out, "{} {heading}\n", "#".repeat(level.min(6)));
    for entry in &node.entries {
        out.push_str(&entry_line(&entry.paper));
        out.push('\n');
    }
    if !node.entries.is_empty() {
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
    let mut link = |label: &str, url: &str| {
        let _ = write!(line, " [[{label}]({})]", encode_url(url));
    };
    if let Some(url) = p.arxiv_url() {
        link("paper", &url);
    }
    if let Some(url) = &p.paper {
        link("paper", url.as_str());
    }
    if let Some(url) = p.openreview_url() {
        link("OpenReview", &url);
    }
    if let Some(url) = p.doi_url() {
        link("DOI", &url);
    }
    if let Some(url) = &p.code {
        link("code", url.as_str());
    }
    if let Some(url) = &p.project {
        link("project", url.as_str());
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
/// could start emphasis, a link, an HTML tag, an entity, code or a table cell escaped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for c in word.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
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
        let text = heading.replace('\\', "");
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

/// The filter behind the template's `count(...)`.
struct CountFilter {
    kind: Option<Kind>,
    stage: Option<Stage>,
    venue: Option<String>,
    year: Option<i16>,
    tag: Option<String>,
    published: Option<bool>,
}

impl CountFilter {
    fn from_kwargs(kwargs: &Kwargs) -> Result<Self, minijinja::Error> {
        let bad = |e: String| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e);
        let kind = kwargs
            .get::<Option<&str>>("kind")?
            .map(str::parse::<Kind>)
            .transpose()
            .map_err(bad)?;
        let stage = kwargs
            .get::<Option<&str>>("stage")?
            .map(str::parse::<Stage>)
            .transpose()
            .map_err(bad)?;
        Ok(Self {
            kind,
            stage,
            venue: kwargs.get::<Option<String>>("venue")?,
            year: kwargs.get::<Option<i16>>("year")?,
            tag: kwargs.get::<Option<String>>("tag")?,
            published: kwargs.get::<Option<bool>>("published")?,
        })
    }

    /// `venue="ICLR 2025"` counts `ICLR 2025` and its tracks (`ICLR 2025 Oral`), not its
    /// workshops (`ICLR 2025 Workshop ...`).
    fn matches(&self, p: &Paper) -> bool {
        if let Some(venue) = &self.venue {
            let Some(have) = &p.venue else { return false };
            let rest = match have.strip_prefix(venue.as_str()) {
                Some(rest) => rest,
                None => return false,
            };
            if !(rest.is_empty()
                || rest.starts_with(' ') && !rest.trim_start().starts_with("Workshop"))
            {
                return false;
            }
        }
        self.kind.is_none_or(|k| k == p.kind)
            && self.stage.is_none_or(|s| Some(s) == p.stage)
            && self.year.is_none_or(|y| y == p.date.year())
            && self.tag.as_ref().is_none_or(|t| p.has_tag(t))
            && self.published.is_none_or(|want| want == p.venue.is_some())
    }
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
