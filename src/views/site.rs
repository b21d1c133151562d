//! The website: a static view of the catalog, like the README but searchable.
//!
//! [`build`] turns a [`Catalog`] into five files: `index.html` (every paper, grouped by the
//! README's sections, readable with JavaScript off), `site.css`, `site.js` (search, filters, sort
//! and the "cite" control), `bibtex.js` (every paper's BibTeX, loaded on the first "cite") and
//! `papers.json` (the catalog as data, for other tools). Nothing is
//! fetched: the page works from `file://` and offline.
//!
//! Records are hostile input. Every text from a record is HTML-escaped ([`escape_html`]), links are
//! the records' own http(s) URLs, the page forbids inline script with a Content-Security-Policy
//! meta tag, and the script's data travels in a `<script type="application/json">` block, which a
//! browser never executes and which CSP does not block, so it works from `file://` where `fetch`
//! of a sibling file is refused. Inside that block `<`, `>` and `&` are written as JSON `\u`
//! escapes, so no string can close the block.
//!
//! The filters mean exactly what `hftlist query`'s do: kind, stage, year (of the date), published
//! or preprint, has code and the text words are the same tests on the same fields; the venue
//! options are `--venue` values, and which papers each one selects is computed here with
//! [`VenueFilter`], not re-implemented in the script.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::Serialize;

use crate::catalog::query::{self, SortKey, VenueFilter};
use crate::catalog::{Catalog, Record};
use crate::model::list::Section;
use crate::model::paper::{Kind, Stage};

/// The stylesheet, embedded in the binary.
const CSS: &str = include_str!("site/site.css");
/// The script, embedded in the binary.
const JS: &str = include_str!("site/site.js");

/// The names of the files a site consists of, in the order [`build`] returns them.
pub const FILES: &[&str] = &[
    "index.html",
    "site.css",
    "site.js",
    "bibtex.js",
    "papers.json",
];

/// The page's Content-Security-Policy: nothing but the site's own script, stylesheet and images;
/// no inline script or style, no requests, no forms, no frames.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                       base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// One file of the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFile {
    /// The file name inside the site folder (one of [`FILES`]).
    pub name: &'static str,
    /// The content.
    pub text: String,
}

/// The BibTeX the "cite" control copies: the record's entry from the citation code `export` uses.
/// The one place the site calls into the citation code.
pub fn bibtex(record: &Record<'_>, catalog: &Catalog) -> String {
    crate::views::cite::bibtex(&[*record], catalog)
}

/// Builds the site's files from the catalog. The output depends on the data alone: the same
/// database gives the same bytes.
pub fn build(catalog: &Catalog) -> anyhow::Result<Vec<SiteFile>> {
    let venues = venue_options(catalog);
    let filters: Vec<(String, VenueFilter)> = venues
        .iter()
        .filter_map(|o| {
            VenueFilter::parse(&o.value, catalog.registry())
                .ok()
                .map(|f| (o.value.clone(), f))
        })
        .collect();
    let ordered: Vec<Record<'_>> = catalog.ordered().collect();
    let mut by_title = ordered.clone();
    query::sort(&mut by_title, SortKey::Title, false);
    let title_rank: HashMap<&str, usize> = by_title
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();

    let mut script = ScriptData {
        venues: filters.iter().map(|(v, _)| v.clone()).collect(),
        papers: Vec::with_capacity(ordered.len()),
    };
    let mut json = Vec::with_capacity(ordered.len());
    let mut bibtex_map: BTreeMap<&str, String> = BTreeMap::new();
    for r in &ordered {
        let p = &r.paper;
        let bib = bibtex(r, catalog);
        script.papers.push(ScriptPaper {
            id: r.id.as_str().to_owned(),
            k: p.kind.name(),
            s: p.stage.map_or("", Stage::name),
            y: p.date.year(),
            p: u8::from(r.is_published()),
            c: u8::from(p.code.is_some()),
            o: filters
                .iter()
                .enumerate()
                .filter(|(_, (_, f))| r.venue.is_some_and(|v| f.matches(v)))
                .map(|(i, _)| i)
                .collect(),
            r: title_rank.get(r.id.as_str()).copied().unwrap_or(0),
        });
        bibtex_map.insert(r.id.as_str(), bib.clone());
        json.push(JsonPaper::new(catalog, r, bib));
    }
    let data = JsonFile {
        title: &catalog.list().title,
        total: ordered.len(),
        papers: json,
    };
    let mut papers_json = serde_json::to_string_pretty(&data)?;
    papers_json.push('\n');
    let embedded = inert_json(&serde_json::to_string(&script)?);
    let html = page(catalog, &ordered, &venues, &embedded);
    Ok(vec![
        SiteFile {
            name: "index.html",
            text: html,
        },
        SiteFile {
            name: "site.css",
            text: CSS.to_owned(),
        },
        SiteFile {
            name: "site.js",
            text: JS.to_owned(),
        },
        SiteFile {
            name: "bibtex.js",
            text: format!(
                "// The BibTeX of every paper, loaded by site.js on the first \"cite\".\n\
                 window.hftlistBibtex = {};\n",
                inert_json(&serde_json::to_string(&bibtex_map)?)
            ),
        },
        SiteFile {
            name: "papers.json",
            text: papers_json,
        },
    ])
}

/// What the script needs that the page does not show in a form it can read back: per paper the
/// filter facts, the venue options it matches and its rank by title. (The BibTeX is in
/// `bibtex.js`, loaded on the first "cite", which keeps a third off the page.)
#[derive(Serialize)]
struct ScriptData {
    /// The venue options' values, in the order of the venue select.
    venues: Vec<String>,
    /// The papers, oldest first (the catalog's order).
    papers: Vec<ScriptPaper>,
}

/// One paper for the script; short field names keep the page small.
#[derive(Serialize)]
struct ScriptPaper {
    /// The id, also the element's `id` and `data-id`.
    id: String,
    /// Kind.
    k: &'static str,
    /// Stage, or empty.
    s: &'static str,
    /// The year of the date.
    y: i16,
    /// Published at a venue (1) or a preprint (0).
    p: u8,
    /// Has a code link.
    c: u8,
    /// The indices of the venue options that select the paper.
    o: Vec<usize>,
    /// The position in title order (`hftlist query --sort title`).
    r: usize,
}

/// `papers.json`: the list and every paper with its derived facts.
#[derive(Serialize)]
struct JsonFile<'a> {
    title: &'a str,
    total: usize,
    papers: Vec<JsonPaper<'a>>,
}

/// One paper in `papers.json`: the record's fields, its links, its placed venue, its section and
/// its BibTeX.
#[derive(Serialize)]
struct JsonPaper<'a> {
    id: &'a str,
    #[serde(flatten)]
    paper: &'a crate::model::paper::Paper,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue_canonical: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue_series: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue_year: Option<i16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue_main: Option<bool>,
    published: bool,
    links: BTreeMap<&'static str, String>,
    section: Vec<&'a str>,
    bibtex: String,
}

impl<'a> JsonPaper<'a> {
    fn new(catalog: &'a Catalog, r: &Record<'a>, bibtex: String) -> Self {
        let p = &r.entry.paper;
        let section = r
            .sections
            .first()
            .and_then(|path| catalog.list().section_at(path))
            .map(|(_, headings)| headings)
            .unwrap_or_default();
        Self {
            id: r.entry.id.as_str(),
            paper: p,
            venue_canonical: r.venue.map(|v| v.canonical.as_str()),
            venue_series: r.venue.map(|v| catalog.series(v).name.as_str()),
            venue_year: r.venue.and_then(|v| v.year),
            venue_main: r.venue.map(|v| v.track.is_main()),
            published: r.is_published(),
            links: links(r).into_iter().collect(),
            section,
            bibtex,
        }
    }
}

/// The paper's links, each with its label, in the README's order.
fn links(r: &Record<'_>) -> Vec<(&'static str, String)> {
    let p = &r.paper;
    let mut out = Vec::new();
    if let Some(url) = p.arxiv_url() {
        out.push(("arxiv", url));
    }
    if let Some(url) = &p.paper {
        out.push(("paper", url.to_string()));
    }
    if let Some(url) = p.openreview_url() {
        out.push(("openreview", url));
    }
    if let Some(url) = p.doi_url() {
        out.push(("doi", url));
    }
    if let Some(url) = &p.code {
        out.push(("code", url.to_string()));
    }
    if let Some(url) = &p.project {
        out.push(("project", url.to_string()));
    }
    out
}

/// A choice of the venue filter: a `--venue` value, its label and which group it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
struct VenueOption {
    /// The `--venue` value.
    value: String,
    /// How many papers it selects.
    count: usize,
    /// 0: a series (main proceedings, every year); 1: one year's main proceedings; 2: another
    /// track (workshops, findings...).
    group: u8,
}

/// The venue filter's choices: each series with papers in its main proceedings, each year of
/// them, and each other track (`NeurIPS 2024 Workshop`), with the papers each selects.
fn venue_options(catalog: &Catalog) -> Vec<VenueOption> {
    let mut series: BTreeMap<String, usize> = BTreeMap::new();
    let mut other: BTreeMap<String, usize> = BTreeMap::new();
    for r in catalog.records() {
        if let Some(v) = r.venue {
            if v.track.is_main() {
                *series.entry(catalog.series(v).name.clone()).or_default() += 1;
            } else {
                *other.entry(catalog.venue_group(v)).or_default() += 1;
            }
        }
    }
    let mut out: Vec<VenueOption> = series
        .into_iter()
        .map(|(value, count)| VenueOption {
            value,
            count,
            group: 0,
        })
        .collect();
    out.extend(
        catalog
            .venue_counts()
            .into_iter()
            .map(|(value, count)| VenueOption {
                value,
                count,
                group: 1,
            }),
    );
    out.extend(other.into_iter().map(|(value, count)| VenueOption {
        value,
        count,
        group: 2,
    }));
    // Keep only values the query language reads, and count what each one really selects: the
    // group names are meant to be `--venue` values, and this makes sure of it.
    out.retain_mut(|o| match VenueFilter::parse(&o.value, catalog.registry()) {
        Ok(f) => {
            o.count = catalog
                .records()
                .filter(|r| r.venue.is_some_and(|v| f.matches(v)))
                .count();
            o.count > 0
        }
        Err(_) => false,
    });
    out
}

/// The page.
fn page(catalog: &Catalog, ordered: &[Record<'_>], venues: &[VenueOption], data: &str) -> String {
    let title = escape_html(&catalog.list().title);
    let total = ordered.len();
    let newest = ordered
        .last()
        .map(|r| r.paper.date.to_string())
        .unwrap_or_default();
    let years = ordered
        .iter()
        .map(|r| r.paper.date.year())
        .fold(None, |acc: Option<(i16, i16)>, y| {
            Some(acc.map_or((y, y), |(a, b)| (a.min(y), b.max(y))))
        })
        .unwrap_or((2000, 2000));
    let mut out = String::with_capacity(4096 + total * 1200);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\" class=\"nojs\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"site.css\">\n\
         <script src=\"site.js\" defer></script>\n</head>\n<body>\n\
         <header class=\"top\">\n<h1>{title}</h1>\n\
         <p>{total} papers on harmful fine-tuning of large language models, the newest dated \
         <time datetime=\"{newest}\">{newest}</time>. The list as data: \
         <a href=\"papers.json\">papers.json</a>.</p>\n</header>\n"
    );
    filters_form(&mut out, venues, years);
    let _ = writeln!(
        out,
        "<p id=\"f_count\" class=\"count\" role=\"status\" aria-live=\"polite\">{total} papers</p>"
    );
    out.push_str("<main id=\"f_list\">\n");
    write_sections(&mut out, catalog, ordered);
    out.push_str("</main>\n");
    out.push_str(
        "<footer>\n<p>Generated from the paper records by <code>hftlist site</code>. \
         Search matches title, authors, venue, note and tags; the filters mean what \
         <code>hftlist query</code>'s do.</p>\n</footer>\n",
    );
    let _ = writeln!(
        out,
        "<script type=\"application/json\" id=\"f_data\">{data}</script>\n</body>\n</html>"
    );
    out
}

/// The search box and filters; hidden until the script runs (they do nothing without it).
fn filters_form(out: &mut String, venues: &[VenueOption], (first, last): (i16, i16)) {
    out.push_str(
        "<form id=\"f_form\" class=\"filters js-only\" role=\"search\" aria-label=\"Search and \
         filter the papers\">\n<div class=\"field wide\"><label for=\"f_q\">Search</label>\
         <input type=\"search\" id=\"f_q\" name=\"q\" autocomplete=\"off\" spellcheck=\"false\" \
         placeholder=\"title, author, venue, note, tag\"></div>\n",
    );
    out.push_str(
        "<div class=\"field\"><label for=\"f_kind\">Kind</label><select id=\"f_kind\" \
         name=\"kind\"><option value=\"\">Any kind</option>",
    );
    for k in Kind::ALL {
        let _ = write!(out, "<option value=\"{0}\">{0}</option>", k.name());
    }
    out.push_str("</select></div>\n");
    out.push_str(
        "<div class=\"field\"><label for=\"f_stage\">Defense stage</label><select \
         id=\"f_stage\" name=\"stage\"><option value=\"\">Any stage</option>",
    );
    for s in Stage::ALL {
        let _ = write!(out, "<option value=\"{0}\">{0}</option>", s.name());
    }
    out.push_str("</select></div>\n");
    for (id, name, label) in [("f_from", "from", "From year"), ("f_to", "to", "To year")] {
        let _ = writeln!(
            out,
            "<div class=\"field year\"><label for=\"{id}\">{label}</label><input \
             type=\"number\" id=\"{id}\" name=\"{name}\" min=\"{first}\" max=\"{last}\" \
             step=\"1\" inputmode=\"numeric\" placeholder=\"{}\"></div>",
            if name == "from" { first } else { last }
        );
    }
    out.push_str(
        "<div class=\"field\"><label for=\"f_venue\">Venue</label><select id=\"f_venue\" \
         name=\"venue\"><option value=\"\">Any venue</option>",
    );
    let groups = [
        "Series (main proceedings, every year)",
        "Main proceedings by year",
        "Workshops and other tracks",
    ];
    for (g, label) in groups.iter().enumerate() {
        let in_group: Vec<&VenueOption> = venues
            .iter()
            .filter(|o| usize::from(o.group) == g)
            .collect();
        if in_group.is_empty() {
            continue;
        }
        let _ = write!(out, "<optgroup label=\"{label}\">");
        for o in in_group {
            let v = escape_html(&o.value);
            let _ = write!(out, "<option value=\"{v}\">{v} ({})</option>", o.count);
        }
        out.push_str("</optgroup>");
    }
    out.push_str("</select></div>\n");
    out.push_str(
        "<div class=\"field\"><label for=\"f_pub\">Status</label><select id=\"f_pub\" \
         name=\"pub\"><option value=\"\">Any status</option><option \
         value=\"published\">Published</option><option value=\"preprint\">Preprint</option>\
         </select></div>\n<div class=\"field check\"><input type=\"checkbox\" id=\"f_code\" \
         name=\"code\" value=\"1\"><label for=\"f_code\">Has code</label></div>\n\
         <div class=\"field sort\"><label for=\"f_sort\">Sort</label><select id=\"f_sort\" \
         name=\"sort\"><option value=\"newest\">Newest first</option><option \
         value=\"date\">Oldest first</option><option value=\"title\">Title</option></select>\
         </div>\n<div class=\"field clear\"><button type=\"button\" id=\"f_clear\">Clear</button>\
         </div>\n</form>\n",
    );
}

/// A section of the page with the papers placed directly in it and its subsections.
struct Node<'a> {
    section: &'a Section,
    records: Vec<Record<'a>>,
    children: Vec<Node<'a>>,
    count: usize,
}

/// Every section with its papers, newest first, as the page lists them (the default sort); papers
/// no section takes go to a last section, so the page shows every paper of the catalog.
fn write_sections(out: &mut String, catalog: &Catalog, ordered: &[Record<'_>]) {
    let mut by_path: HashMap<&[usize], Vec<Record<'_>>> = HashMap::new();
    let mut unplaced = Vec::new();
    for r in ordered.iter().rev() {
        match r.sections.first() {
            Some(path) => by_path.entry(path.as_slice()).or_default().push(*r),
            None => unplaced.push(*r),
        }
    }
    fn build<'a>(
        section: &'a Section,
        path: &mut Vec<usize>,
        by_path: &mut HashMap<&[usize], Vec<Record<'a>>>,
    ) -> Option<Node<'a>> {
        let records = by_path.remove(path.as_slice()).unwrap_or_default();
        let mut children = Vec::new();
        for (i, child) in section.sections.iter().enumerate() {
            path.push(i);
            children.extend(build(child, path, by_path));
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
    let mut anchors = crate::views::render::Anchors::default();
    let tree: Vec<Node<'_>> = catalog
        .list()
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| build(s, &mut vec![i], &mut by_path))
        .collect();
    if tree.len() > 1 {
        out.push_str("<nav class=\"toc\" aria-label=\"Sections\"><ul>");
        for node in &tree {
            let anchor = anchors.next(&node.section.heading);
            let _ = write!(
                out,
                "<li><a href=\"#s_{anchor}\">{}</a> <span class=\"cnt\">{}</span></li>",
                escape_html(&node.section.heading),
                node.count
            );
        }
        out.push_str("</ul></nav>\n");
    }
    let mut anchors = crate::views::render::Anchors::default();
    for node in &tree {
        write_node(out, node, 2, &mut anchors);
    }
    if !unplaced.is_empty() {
        let _ = write!(
            out,
            "<section class=\"sec\" aria-labelledby=\"s_other\">\n<h2 id=\"s_other\">Other \
             papers <span class=\"cnt\">{}</span></h2>\n",
            unplaced.len()
        );
        write_papers(out, &unplaced, 3);
        out.push_str("</section>\n");
    }
}

fn write_node(
    out: &mut String,
    node: &Node<'_>,
    level: usize,
    anchors: &mut crate::views::render::Anchors,
) {
    let anchor = anchors.next(&node.section.heading);
    let level = level.min(6);
    let _ = write!(
        out,
        "<section class=\"sec\" aria-labelledby=\"s_{anchor}\">\n<h{level} id=\"s_{anchor}\">{} \
         <span class=\"cnt\">{}</span></h{level}>\n",
        escape_html(&node.section.heading),
        node.count
    );
    write_papers(out, &node.records, level + 1);
    for child in &node.children {
        write_node(out, child, level + 1, anchors);
    }
    out.push_str("</section>\n");
}

/// How many papers one list of the page holds at most. The browser skips the style and layout
/// of a list that is off screen (`content-visibility: auto`), so a filter change costs the lists
/// in view, not the 10,000 papers: at 10,000 papers showing every paper again after a search took
/// 120 to 290 ms with one list per section, and 13 to 43 ms with lists of 50.
pub const CHUNK: usize = 50;

/// A section's papers, as lists of at most [`CHUNK`] papers.
fn write_papers(out: &mut String, records: &[Record<'_>], level: usize) {
    for chunk in records.chunks(CHUNK) {
        out.push_str("<ol class=\"papers\">\n");
        for r in chunk {
            write_paper(out, r, level);
        }
        out.push_str("</ol>\n");
    }
}

/// One paper: title (linked to its page), the anchor, authors, date, venue, kind, links, tags,
/// note and the cite control. The classes `t`, `a`, `v`, `n`, `g` mark the text search reads.
fn write_paper(out: &mut String, r: &Record<'_>, level: usize) {
    let level = level.min(6);
    let p = &r.paper;
    let id = r.id.as_str();
    let links = links(r);
    let title = escape_html(&p.title);
    let _ = write!(
        out,
        "<li class=\"paper\" id=\"{id}\" data-id=\"{id}\">\n<h{level} class=\"title\">"
    );
    match links.first() {
        Some((_, url)) => {
            let _ = write!(
                out,
                "<a class=\"t\" href=\"{}\">{title}</a>",
                escape_html(url)
            );
        }
        None => {
            let _ = write!(out, "<span class=\"t\">{title}</span>");
        }
    }
    let _ = writeln!(
        out,
        " <a class=\"anchor\" href=\"#{id}\" aria-label=\"permalink\">#</a></h{level}>"
    );
    if !p.authors.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"a\">{}</p>",
            escape_html(&p.authors.join(", "))
        );
    }
    let venue = match (&p.venue, r.venue) {
        (_, Some(v)) => escape_html(&v.canonical),
        (Some(v), None) => escape_html(v),
        (None, _) => "preprint".to_owned(),
    };
    let kind = match p.stage {
        Some(s) => format!("{} · {}", p.kind.name(), s.name()),
        None => p.kind.name().to_owned(),
    };
    let _ = writeln!(
        out,
        "<p class=\"meta\"><time datetime=\"{d}\">{d}</time> · <span class=\"v\">{venue}</span> \
         · <span class=\"k\">{kind}</span></p>",
        d = p.date
    );
    out.push_str("<p class=\"links\">");
    for (label, url) in &links {
        let text = match *label {
            "arxiv" | "paper" => "paper",
            "openreview" => "OpenReview",
            "doi" => "DOI",
            other => other,
        };
        let _ = write!(out, "<a href=\"{}\">{text}</a> ", escape_html(url));
    }
    let _ = writeln!(
        out,
        "<button type=\"button\" class=\"cite js-only\" data-cite=\"{id}\">cite\
         </button></p>"
    );
    if !p.tags.is_empty() {
        out.push_str("<p class=\"tags\">");
        for tag in &p.tags {
            let _ = write!(
                out,
                "<span class=\"g\">{}</span> ",
                escape_html(tag.as_str())
            );
        }
        out.push_str("</p>\n");
    }
    if let Some(note) = &p.note {
        let _ = writeln!(out, "<p class=\"n\">{}</p>", escape_html(note));
    }
    out.push_str("</li>\n");
}

/// Text made inert in HTML text and attribute values: `&`, `<`, `>`, `"` and `'` become
/// character references, whitespace runs fold to one space, and control, bidi-override and
/// zero-width characters (refused by `validate`, but a page must never depend on that) become
/// U+FFFD, so they show instead of acting.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c if c.is_control()
                    || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                        | '\u{2060}'..='\u{2069}' | '\u{FEFF}') =>
                {
                    out.push('\u{FFFD}');
                }
                c => out.push(c),
            }
        }
    }
    out
}

/// JSON that cannot end the `<script>` element it sits in, nor open a comment: `<`, `>` and `&`
/// (which occur only inside strings) are written as `\u` escapes, which `JSON.parse` reads back
/// as the same characters.
fn inert_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escaping_leaves_no_markup() {
        assert_eq!(
            escape_html("<script>alert(\"x\")</script> & 'y'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape_html("a\n  b\tc"), "a b c");
        assert_eq!(escape_html("a\u{202E}b\u{7}c"), "a\u{FFFD}b\u{FFFD}c");
    }

    #[test]
    fn embedded_json_cannot_close_its_script_and_reads_back() {
        let value = serde_json::json!({"t": "</script><!-- & \u{2028}"});
        let inert = inert_json(&serde_json::to_string(&value).unwrap());
        assert!(!inert.contains('<') && !inert.contains('>') && !inert.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&inert).unwrap();
        assert_eq!(back, value);
    }
}
