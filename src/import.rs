//! Hand-kept awesome-list Markdown -> paper records.
//!
//! The Markdown is parsed with pulldown-cmark, never with patterns over raw lines, so wrapped
//! items, both link label styles (`[[paper](url)]` and `[[paper]](url)`) and stray spacing need no
//! special cases. An entry is a list item that starts with a date `[YYYY/M/D]`; its bold text is
//! the title, its first italic text after the title the venue, its links the identifiers. Headings
//! say which section, hence which kind, stage and tags, the entries belong to.
//!
//! Everything here is pure: `parse` reads text, `Importer` turns entries into records against the
//! papers already known, and the caller decides what to write.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::catalog::IdentityIndex;
use crate::model::date::PartialDate;
use crate::model::ident::{ArxivId, Doi, OpenReviewId, PaperId, Tag as Label};
use crate::model::link::Url;
use crate::model::list::{List, Section};
use crate::model::paper::{Kind, Paper, Stage};

/// One list item of the Markdown, as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Item {
    /// 1-based line where the item starts.
    pub line: usize,
    /// The heading the item stands under.
    pub heading: String,
    /// Text before the title, where the date stands.
    pub lead: String,
    /// The bold title.
    pub title: String,
    /// The first italic text after the title.
    pub venue: Option<String>,
    /// `(label, url)` of each link, labels without brackets.
    pub links: Vec<(String, String)>,
    /// Text after the title outside links and the venue (brackets dropped).
    pub trailing: String,
    /// Code spans after the title: tags, as `render` writes them.
    pub tags: Vec<String>,
}

impl Item {
    /// Whether the item looks like a paper entry: it starts with a `[YYYY/...]` date.
    pub fn is_entry(&self) -> bool {
        let lead = self.lead.trim_start();
        lead.starts_with('[') && lead[1..].starts_with(|c: char| c.is_ascii_digit())
    }
}

/// Reads every list item of the Markdown, with the heading above it.
pub fn parse(markdown: &str) -> Vec<Item> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset);
    let mut items = Vec::new();
    let mut heading = String::new();
    let mut in_heading: Option<HeadingLevel> = None;
    let mut heading_text = String::new();
    let mut depth = 0usize;
    let mut item: Option<Item> = None;
    // Inside the current item: nesting of bold and italic, and the link being read.
    let (mut strong, mut emphasis) = (0usize, 0usize);
    let mut link: Option<(String, String)> = None;
    let mut venue_open = false;
    // After `[[label](url)`, the `]` that closes the outer bracket.
    let mut closing_bracket = false;
    for (event, range) in Parser::new(markdown).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                in_heading = Some(level);
                heading_text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = None;
                heading = heading_text.trim().to_owned();
            }
            Event::Start(Tag::Item) => {
                depth += 1;
                if depth == 1 {
                    item = Some(Item {
                        line: line_of(range.start),
                        heading: heading.clone(),
                        ..Item::default()
                    });
                    (strong, emphasis, link, venue_open) = (0, 0, None, false);
                }
            }
            Event::End(TagEnd::Item) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(done) = item.take()
                {
                    items.push(done);
                }
            }
            _ if in_heading.is_some() => {
                if let Event::Text(t) | Event::Code(t) = &event {
                    heading_text.push_str(t);
                }
            }
            _ if depth != 1 => {}
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Start(Tag::Emphasis) => {
                emphasis += 1;
                if let Some(it) = &mut item
                    && strong == 0
                    && !it.title.is_empty()
                    && it.venue.is_none()
                {
                    it.venue = Some(String::new());
                    venue_open = true;
                }
            }
            Event::End(TagEnd::Emphasis) => {
                emphasis = emphasis.saturating_sub(1);
                if emphasis == 0 {
                    venue_open = false;
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((String::new(), dest_url.to_string()));
                // The `[` opening `[[label](url)]` belongs to the link, not to the text.
                if let Some(it) = &mut item
                    && let Some(rest) = it.trailing.trim_end().strip_suffix('[')
                {
                    it.trailing.truncate(rest.len());
                    closing_bracket = true;
                }
            }
            Event::End(TagEnd::Link) => {
                if let (Some((label, url)), Some(it)) = (link.take(), &mut item) {
                    let label = label.trim().trim_start_matches('[').trim_end_matches(']');
                    it.links.push((label.trim().to_owned(), url));
                }
            }
            Event::Code(t) if link.is_none() && strong == 0 && !venue_open => {
                let Some(it) = &mut item else { continue };
                if it.title.is_empty() {
                    it.lead.push_str(&t);
                } else {
                    it.tags.push(t.to_string());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                let Some(it) = &mut item else { continue };
                let mut t: &str = &t;
                if link.is_none() && std::mem::take(&mut closing_bracket) {
                    t = t.strip_prefix(']').unwrap_or(t);
                }
                if let Some((label, _)) = &mut link {
                    label.push_str(t);
                } else if strong > 0 {
                    it.title.push_str(t);
                } else if venue_open {
                    if let Some(v) = &mut it.venue {
                        v.push_str(t);
                    }
                } else if it.title.is_empty() {
                    it.lead.push_str(t);
                } else {
                    it.trailing.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                let Some(it) = &mut item else { continue };
                if strong > 0 {
                    it.title.push(' ');
                } else if !it.title.is_empty() {
                    it.trailing.push(' ');
                }
            }
            _ => {}
        }
    }
    items
}

/// What one import run decided for each entry.
#[derive(Debug)]
pub enum Outcome {
    /// A new record to write.
    New {
        /// The id chosen.
        id: PaperId,
        /// The record.
        paper: Box<Paper>,
        /// Remarks worth a look (a venue kept verbatim, a recovered link...).
        notes: Vec<String>,
    },
    /// The paper is already known.
    Duplicate {
        /// The id of the record it duplicates.
        of: String,
        /// What they share.
        by: &'static str,
    },
    /// The entry could not be read.
    Unparseable {
        /// Why.
        reason: String,
    },
}

/// Kind, stage and tags for the entries under one heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// The kind; `None` when the heading's section does not fix one.
    pub kind: Option<Kind>,
    /// The stage, for defenses.
    pub stage: Option<Stage>,
    /// Tags every entry gets.
    pub tags: Vec<Label>,
}

impl std::str::FromStr for Mapping {
    type Err = String;

    /// `kind[/stage][+tag...]`, e.g. `defense/alignment+federated`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split('+');
        let head = parts.next().unwrap_or_default();
        let (kind, stage) = match head.split_once('/') {
            Some((k, st)) => (k, Some(st.parse::<Stage>()?)),
            None => (head, None),
        };
        let tags = parts
            .map(|t| t.parse::<Label>().map_err(|e| e.0))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            kind: Some(kind.parse()?),
            stage,
            tags,
        })
    }
}

/// The mapping list.yaml gives each heading: the innermost section with that heading (case and
/// spacing ignored), with the selectors of its ancestors.
pub fn mappings_from_list(list: &List) -> HashMap<String, Mapping> {
    let mut out = HashMap::new();
    fn walk(section: &Section, inherited: &Mapping, out: &mut HashMap<String, Mapping>) {
        let mut mapping = inherited.clone();
        mapping.kind = section.kind.or(mapping.kind);
        mapping.stage = section.stage.or(mapping.stage);
        // A section that selects on tags gives its entries the first of them.
        if let Some(tag) = section.tags.first()
            && !mapping.tags.contains(tag)
        {
            mapping.tags.push(tag.clone());
        }
        out.insert(heading_key(&section.heading), mapping.clone());
        for child in &section.sections {
            walk(child, &mapping, out);
        }
    }
    let none = Mapping {
        kind: None,
        stage: None,
        tags: Vec::new(),
    };
    for section in &list.sections {
        walk(section, &none, &mut out);
    }
    out
}

/// A heading compared without case, extra spacing, or a trailing paper count such as ` (35)`
/// (which `render` adds), so a rendered list imports back into its sections.
pub fn heading_key(heading: &str) -> String {
    let heading = heading.trim();
    let heading = match heading.strip_suffix(')').and_then(|h| h.rsplit_once('(')) {
        Some((head, count)) if !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) => {
            head
        }
        _ => heading,
    };
    heading
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Turns entries into records, remembering what exists so nothing is written twice.
pub struct Importer<'l> {
    list: &'l List,
    mappings: HashMap<String, Mapping>,
    ids: HashSet<String>,
    /// The identity keys of every known paper -> its index in `known`.
    identity: IdentityIndex,
    known: Vec<String>,
    /// The next `-N` suffix to try for each slug.
    next_suffix: HashMap<String, usize>,
}

impl<'l> Importer<'l> {
    /// An importer for a database with the given list settings and extra heading mappings.
    pub fn new(list: &'l List, extra: HashMap<String, Mapping>) -> Self {
        let mut mappings = mappings_from_list(list);
        mappings.extend(extra);
        Self {
            list,
            mappings,
            ids: HashSet::new(),
            identity: IdentityIndex::default(),
            known: Vec::new(),
            next_suffix: HashMap::new(),
        }
    }

    /// Remembers an existing paper, so that the same paper is not imported again.
    pub fn know(&mut self, id: &str, paper: &Paper) {
        self.ids.insert(id.to_owned());
        self.identity
            .insert(paper.identity_keys(), self.known.len());
        self.known.push(id.to_owned());
    }

    /// Keeps an id from being chosen, e.g. the stem of a file that exists but did not load.
    pub fn reserve(&mut self, id: &str) {
        self.ids.insert(id.to_owned());
    }

    /// The mapping for a heading, if any.
    pub fn mapping(&self, heading: &str) -> Option<&Mapping> {
        self.mappings.get(&heading_key(heading))
    }

    /// Decides what to do with one entry; a new record is remembered at once.
    pub fn take(&mut self, item: &Item) -> Outcome {
        self.offer(self.build(item))
    }

    /// Decides what to do with a record built from any source (a Markdown entry, a BibTeX or
    /// CSL-JSON item) or the reason it could not be built; a new record is remembered at once.
    pub fn offer(&mut self, built: Result<(Paper, Vec<String>), String>) -> Outcome {
        match built {
            Err(reason) => Outcome::Unparseable { reason },
            Ok((paper, notes)) => {
                if let Some(m) = self.identity.find(&paper.identity_keys()) {
                    return Outcome::Duplicate {
                        of: self.known[m.index].clone(),
                        by: m.what,
                    };
                }
                let id = self.fresh_id(&paper.title);
                self.know(id.as_str(), &paper);
                Outcome::New {
                    id,
                    paper: Box::new(paper),
                    notes,
                }
            }
        }
    }

    /// A written venue in the registry's spelling: `None` for a preprint server or an empty
    /// venue, the canonical form when the registry places it (two-digit years included), else
    /// the text as written, with a note.
    pub fn venue(&self, written: &str, notes: &mut Vec<String>) -> Option<String> {
        let venue = written.split_whitespace().collect::<Vec<_>>().join(" ");
        match self.list.registry.resolve(&venue) {
            Some(r) if r.series.type_ == crate::model::venue::VenueType::PreprintServer => None,
            Some(r) => Some(r.canonical),
            None if venue.is_empty() => None,
            None => match short_year_venue(&self.list.registry, &venue) {
                Some(canonical) => {
                    notes.push(format!("venue `{venue}` written as `{canonical}`"));
                    Some(canonical)
                }
                None => {
                    notes.push(format!(
                        "venue `{venue}` is not in the registry: kept as written"
                    ));
                    Some(venue)
                }
            },
        }
    }

    fn build(&self, item: &Item) -> Result<(Paper, Vec<String>), String> {
        let mut notes = Vec::new();
        let mapping = self.mapping(&item.heading).ok_or_else(|| {
            format!(
                "heading `{}` is not a section of list.yaml: map it with --map '{}=KIND[/STAGE][+TAG]'",
                item.heading, item.heading
            )
        })?;
        let kind = mapping.kind.ok_or_else(|| {
            format!(
                "section `{}` does not fix a kind: map it with --map '{}=KIND[/STAGE][+TAG]'",
                item.heading, item.heading
            )
        })?;
        let date = parse_date(&item.lead)?;
        let title = item.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            return Err("no bold title".to_owned());
        }
        let mut paper = Paper {
            title,
            kind,
            stage: mapping.stage,
            date,
            venue: None,
            authors: Vec::new(),
            arxiv: None,
            doi: None,
            openreview: None,
            paper: None,
            code: None,
            project: None,
            tags: mapping.tags.clone(),
            note: None,
        };
        if let Some(venue) = &item.venue {
            paper.venue = self.venue(venue, &mut notes);
        }
        let mut links = item.links.clone();
        let (trailing, recovered) = recover_links(&item.trailing);
        for url in recovered {
            notes.push(format!(
                "link `{url}` had lost its closing bracket: recovered"
            ));
            links.push(("paper".to_owned(), url));
        }
        for (label, url) in links {
            let url = url.trim().to_owned();
            if let Some(note) = place_link(&mut paper, &label, &url) {
                notes.push(note);
            }
        }
        for tag in &item.tags {
            match tag.parse::<Label>() {
                Ok(t) if !paper.tags.contains(&t) => paper.tags.push(t),
                Ok(_) => {}
                Err(e) => notes.push(format!("code span `{tag}` is not a tag ({e}): dropped")),
            }
        }
        let trailing = trailing.trim();
        // `render` writes the note in one pair of brackets: take exactly that pair off.
        let note = trailing
            .strip_prefix('(')
            .and_then(|n| n.strip_suffix(')'))
            .unwrap_or(trailing)
            .trim()
            .to_owned();
        if !note.is_empty() {
            paper.note = Some(note);
        }
        Ok((paper, notes))
    }

    fn fresh_id(&mut self, title: &str) -> PaperId {
        let base = slug_for(title);
        // Start after the last suffix handed out for this base: 20,000 entries sharing a slug
        // would otherwise try 1 + 2 + ... + 20,000 candidates.
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(1);
        loop {
            let candidate = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            if !self.ids.contains(&candidate)
                && let Ok(id) = candidate.parse::<PaperId>()
            {
                self.next_suffix.insert(base, n + 1);
                return id;
            }
            n += 1;
        }
    }
}

/// A venue written with a two-digit year, as many hand-kept lists do (`ICASSP26`,
/// `AAAI25-AIA`), in the registry's spelling (`ICASSP 2026`, `AAAI 2025 AIA`); `None` when it is
/// not one.
fn short_year_venue(registry: &crate::model::venue::Registry, venue: &str) -> Option<String> {
    let (series, rest) = registry.split_series(venue)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 2 {
        return None;
    }
    let qualifier = rest[2..].trim_start_matches(['-', '_', ' ']).trim();
    let written = format!("{} 20{} {qualifier}", series.name, &rest[..2]);
    registry.resolve(written.trim()).map(|r| r.canonical)
}

/// `[2024/2/2]` (or `[2024/02/02]`, `[2024/2]`, `[2024]`) at the start of the lead text.
fn parse_date(lead: &str) -> Result<PartialDate, String> {
    let lead = lead.trim();
    let inner = lead
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .map(|(inner, _)| inner.trim())
        .ok_or_else(|| format!("no `[YYYY/M/D]` date at the start of `{lead}`"))?;
    let parts: Vec<&str> = inner.split('/').map(str::trim).collect();
    let pad = |p: &str| {
        if p.len() == 1 {
            format!("0{p}")
        } else {
            p.to_owned()
        }
    };
    let text = match parts.as_slice() {
        [y] => (*y).to_owned(),
        [y, m] => format!("{y}-{}", pad(m)),
        [y, m, d] => format!("{y}-{}-{}", pad(m), pad(d)),
        _ => return Err(format!("`[{inner}]` is not a date `[YYYY/M/D]`")),
    };
    text.parse::<PartialDate>()
        .map_err(|e| format!("date `[{inner}]`: {e}"))
}

/// Finds bare URLs left in the text by a link that lost a bracket; returns the text without
/// them (the broken link's own brackets go with the URL's word) and the URLs, trimmed of the
/// brackets that should have closed them.
fn recover_links(text: &str) -> (String, Vec<String>) {
    let mut rest = String::new();
    let mut urls = Vec::new();
    for word in text.split_whitespace() {
        if let Some(at) = word.find("http://").or_else(|| word.find("https://")) {
            let url = word[at..].trim_end_matches([']', ')', '[', '(']);
            urls.push(url.to_owned());
        } else {
            rest.push_str(word);
            rest.push(' ');
        }
    }
    let cleaned = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    (cleaned, urls)
}

/// Puts a link where it belongs: an identifier, the code, or the paper link. Returns a remark
/// when the link could not be placed cleanly.
fn place_link(paper: &mut Paper, label: &str, url: &str) -> Option<String> {
    if let Some(id) = ArxivId::from_url(url) {
        return set_once(&mut paper.arxiv, id, "arXiv id");
    }
    if let Some(id) = OpenReviewId::from_url(url) {
        return set_once(&mut paper.openreview, id, "OpenReview id");
    }
    if let Some(doi) = Doi::strip_url_prefix(url).and_then(|d| d.parse::<Doi>().ok()) {
        return set_once(&mut paper.doi, doi, "DOI");
    }
    let parsed = match url.parse::<Url>() {
        Ok(u) => u,
        Err(e) => return Some(format!("link dropped: {e}")),
    };
    let label = label.to_lowercase();
    let host = parsed.host();
    let is_code = matches!(label.as_str(), "code" | "repo" | "github" | "gitlab")
        || host == "github.com"
        || host == "gitlab.com"
        || host == "anonymous.4open.science";
    if is_code {
        return set_once(&mut paper.code, parsed, "code link");
    }
    if label == "project" {
        return set_once(&mut paper.project, parsed, "project link");
    }
    if paper.paper.is_none() {
        paper.paper = Some(parsed);
        None
    } else if paper.project.is_none() {
        paper.project = Some(parsed);
        Some(format!("second paper link `{url}` kept as `project`"))
    } else {
        Some(format!(
            "extra link `{url}` dropped: the record has a paper and a project link"
        ))
    }
}

fn set_once<T: PartialEq + std::fmt::Display>(
    slot: &mut Option<T>,
    value: T,
    what: &str,
) -> Option<String> {
    match slot {
        None => {
            *slot = Some(value);
            None
        }
        Some(have) if *have == value => None,
        Some(have) => Some(format!(
            "second {what} `{value}` dropped: the entry already gave `{have}`"
        )),
    }
}

/// The longest slug made from a title, in bytes, leaving room for a `-N` suffix.
pub const MAX_SLUG_LEN: usize = 60;

/// A readable id from a title: the part before a colon when short (`Vaccine: ...` -> `vaccine`),
/// otherwise the first five words; letters outside ASCII transliterated (`Ünïcödé` ->
/// `unicode`), cut to `MAX_SLUG_LEN` bytes at a hyphen, and never a Windows device name.
pub fn slug_for(title: &str) -> String {
    let head = match title.split_once(':') {
        Some((head, _)) if !head.trim().is_empty() && head.split_whitespace().count() <= 4 => head,
        _ => title,
    };
    let mut words = Vec::new();
    // Letters outside ASCII are transliterated (`Ünïcödé` -> `Unicode`), not dropped.
    let head = deunicode::deunicode(head);
    for word in head.split_whitespace().take(5) {
        let w: String = deunicode::deunicode(word)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let w = w
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        if !w.is_empty() {
            words.push(w);
        }
    }
    let mut slug = words.join("-");
    if slug.len() > MAX_SLUG_LEN {
        // ASCII only by now, so any byte index is a char boundary.
        slug.truncate(MAX_SLUG_LEN);
        if let Some(cut) = slug.rfind('-').filter(|&i| i > 0) {
            slug.truncate(cut);
        }
        let trimmed = slug.trim_end_matches('-').len();
        slug.truncate(trimmed);
    }
    if !slug.starts_with(|c: char| c.is_ascii_lowercase()) {
        slug = format!("paper-{slug}").trim_end_matches('-').to_owned();
    }
    if crate::model::ident::is_windows_device(&slug) {
        slug.push_str("-paper");
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_label_styles_wrapped_items_and_venues() {
        let md = "### Attacks\n\
                  - [2024/2/2] **Vaccine: A Title** *NeurIPS2024* [[paper](https://arxiv.org/abs/2402.01109)] [[code](https://github.com/a/b)]\n\
                  - [2025/02/20] **Wrapped Title**\n*arXiv* [[paper]](https://arxiv.org/pdf/2502.14828) [[Openreview]](https://openreview.net/forum?id=tTPHgb0EtV)\n\
                  - [2024/9/26] **Diffusion** *NeurIPS2024* (for diffusion model) [[paper](https://openreview.net/forum?id=pR37AmwbOt)]\n\
                  - [2025/12/10] **Broken** *arXiv* [[paper](https://arxiv.org/pdf/2512.10150]\n";
        let items = parse(md);
        assert_eq!(items.len(), 4);
        assert_eq!(items[0].title, "Vaccine: A Title");
        assert_eq!(items[0].venue.as_deref(), Some("NeurIPS2024"));
        assert_eq!(
            items[0].links[1],
            ("code".to_owned(), "https://github.com/a/b".to_owned())
        );
        assert_eq!(items[1].line, 3);
        assert_eq!(items[1].venue.as_deref(), Some("arXiv"));
        assert_eq!(
            items[1].links[0],
            (
                "paper".to_owned(),
                "https://arxiv.org/pdf/2502.14828".to_owned()
            )
        );
        assert_eq!(items[1].links[1].0, "Openreview");
        assert_eq!(recover_links(&items[2].trailing).0, "(for diffusion model)");
        // Brackets of the link syntax are dropped; brackets of a note are kept.
        let note = parse("- [2024] **T** [[paper](https://a.org/x)] ([ , ] [[x]])\n");
        assert_eq!(note[0].trailing.trim(), "([ , ] [[x]])");
        assert_eq!(heading_key("Attacks (35)"), "attacks");
        assert_eq!(
            heading_key("Attacks and Defenses (for Federated)"),
            "attacks and defenses (for federated)"
        );
        let (_, urls) = recover_links(&items[3].trailing);
        assert_eq!(urls, ["https://arxiv.org/pdf/2512.10150"]);
        assert!(items.iter().all(|i| i.heading == "Attacks" && i.is_entry()));
    }

    #[test]
    fn dates_are_padded_and_checked() {
        assert_eq!(
            parse_date("[2025/05/1] ").unwrap().to_string(),
            "2025-05-01"
        );
        assert_eq!(parse_date(" [2024/2/2]").unwrap().to_string(), "2024-02-02");
        assert!(parse_date("[2024/2/30]").is_err());
        assert!(parse_date("no date").is_err());
    }

    #[test]
    fn slugs_are_readable() {
        assert_eq!(slug_for("Vaccine: Perturbation-aware alignment"), "vaccine");
        assert_eq!(
            slug_for("Shadow Alignment: The Ease of Subverting"),
            "shadow-alignment"
        );
        assert_eq!(
            slug_for("Fine-tuning aligned language models compromises safety, even when"),
            "fine-tuning-aligned-language-models-compromises"
        );
        assert_eq!(
            slug_for("What's in your \" safe\" data?: Identifying"),
            "what-s-in-your-safe"
        );
        assert_eq!(slug_for("3D Gaussians"), "paper-3d-gaussians");
        assert_eq!(slug_for("Ünïcödé: Safety"), "unicode");
    }

    #[test]
    fn slugs_are_ascii_short_and_never_device_names() {
        assert_eq!(slug_for("Ünïcödé: Attacks"), "unicode");
        assert_eq!(slug_for("Überfall der Modelle"), "uberfall-der-modelle");
        assert_eq!(slug_for("CON: a study"), "con-paper");
        assert_eq!(slug_for("nul"), "nul-paper");
        let long = slug_for(&"abcdefghij".repeat(30));
        assert!(long.len() <= MAX_SLUG_LEN, "{long}");
        for title in ["安全对齐", "🙂🙂", "Ωmega"] {
            let slug = slug_for(title);
            assert!(slug.parse::<PaperId>().is_ok(), "{title} -> {slug}");
        }
    }

    #[test]
    fn mappings_parse() {
        let m: Mapping = "defense/alignment+federated".parse().unwrap();
        assert_eq!(m.kind, Some(Kind::Defense));
        assert_eq!(m.stage, Some(Stage::Alignment));
        assert_eq!(m.tags[0].as_str(), "federated");
        assert!("attacker".parse::<Mapping>().is_err());
    }
}
