//! The list's own settings, `papers/list.yaml`: its title, its sections (which papers each one
//! holds, as data), and the venue registry.
//!
//! Sections nest. A section's selector (`kind`, `stage`, `tags`, `without-tags`) applies to every
//! section below it, and papers are placed in the innermost sections only, so `Defenses` can say
//! `kind: defense` once and its stage subsections add `stage: ...`.

use serde::Deserialize;

use crate::model::ident::Tag;
use crate::model::paper::{Kind, Paper, Stage};
use crate::model::venue::{Registry, Series};

/// `list.yaml` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ListFile {
    /// The list's title, the README's first heading.
    pub title: String,
    /// The README's sections, in order.
    pub sections: Vec<Section>,
    /// The venue registry.
    pub venues: Vec<Series>,
    /// A contact address sent to services that ask for one (Crossref's `mailto`).
    #[serde(default)]
    pub mailto: Option<String>,
}

/// One heading of the README and the papers it holds.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Section {
    /// The heading text.
    pub heading: String,
    /// Only papers of this kind.
    #[serde(default)]
    pub kind: Option<Kind>,
    /// Only defenses of this stage.
    #[serde(default)]
    pub stage: Option<Stage>,
    /// Only papers with at least one of these tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// Only papers with none of these tags.
    #[serde(default)]
    pub without_tags: Vec<Tag>,
    /// Subsections; a section with subsections holds papers only through them.
    #[serde(default)]
    pub sections: Vec<Section>,
}

impl Section {
    /// Whether this section's own selector takes the paper (ignoring its parents).
    /// Whether the section's own selector takes the paper (its parents' are not checked).
    pub fn selects(&self, paper: &Paper) -> bool {
        self.kind.is_none_or(|k| k == paper.kind)
            && self.stage.is_none_or(|s| Some(s) == paper.stage)
            && (self.tags.is_empty() || self.tags.iter().any(|t| paper.tags.contains(t)))
            && !self.without_tags.iter().any(|t| paper.tags.contains(t))
    }
}

/// The list settings, checked.
#[derive(Clone, Debug)]
pub struct List {
    /// The list's title.
    pub title: String,
    /// The top-level sections.
    pub sections: Vec<Section>,
    /// The venue registry.
    pub registry: Registry,
    /// A contact address sent to services that ask for one (Crossref's `mailto`).
    pub mailto: Option<String>,
}

impl List {
    /// Checks the settings: headings non-empty and unique among siblings, venue spellings unique.
    pub fn new(file: ListFile) -> Result<Self, String> {
        if file.title.trim().is_empty() {
            return Err("the list's `title` is empty".to_owned());
        }
        if let Some(c) = file
            .title
            .chars()
            .find(|&c| crate::model::sanitize::is_forbidden(c))
        {
            return Err(format!(
                "the list's `title` holds the character {}: remove it",
                crate::model::sanitize::code_point(c)
            ));
        }
        check_headings(&file.sections, 1, &mut 0)?;
        if file.venues.len() > MAX_SERIES {
            return Err(format!(
                "there are {} venue series, more than the limit of {MAX_SERIES}",
                file.venues.len()
            ));
        }
        let registry = Registry::new(file.venues)?;
        let mailto = file.mailto.map(|m| m.trim().to_owned());
        if let Some(m) = &mailto
            && (m.is_empty() || !m.contains('@') || m.contains(char::is_whitespace))
        {
            return Err(format!("`mailto` `{m}` is not an e-mail address"));
        }
        Ok(Self {
            title: file.title,
            sections: file.sections,
            registry,
            mailto,
        })
    }

    /// The innermost sections that take the paper, in README order, each as its path of
    /// indices (see [`SectionPath`]). The catalog computes this once per record.
    pub fn section_paths(&self, paper: &Paper) -> Vec<SectionPath> {
        fn walk(
            section: &Section,
            paper: &Paper,
            path: &mut SectionPath,
            out: &mut Vec<SectionPath>,
        ) {
            if !section.selects(paper) {
                return;
            }
            if section.sections.is_empty() {
                out.push(path.clone());
                return;
            }
            for (i, child) in section.sections.iter().enumerate() {
                path.push(i);
                walk(child, paper, path, out);
                path.pop();
            }
        }
        let mut out = Vec::new();
        for (i, section) in self.sections.iter().enumerate() {
            walk(section, paper, &mut vec![i], &mut out);
        }
        out
    }

    /// The section at a path, with the headings from the top down to it.
    pub fn section_at(&self, path: &[usize]) -> Option<(&Section, Vec<&str>)> {
        let (&first, rest) = path.split_first()?;
        let mut section = self.sections.get(first)?;
        let mut headings = vec![section.heading.as_str()];
        for &i in rest {
            section = section.sections.get(i)?;
            headings.push(section.heading.as_str());
        }
        Some((section, headings))
    }
}

/// The path of a section: the index of the top-level section, then of each child down to the
/// innermost one.
pub type SectionPath = Vec<usize>;

/// The most sections `list.yaml` may declare, at every level together: every paper is matched
/// against every section, so this bounds the work per paper.
pub const MAX_SECTIONS: usize = 1000;

/// The deepest sections may nest: the README's headings run from `##` to `######`.
pub const MAX_DEPTH: usize = 5;

/// The most venue series `list.yaml` may declare: every venue is matched against every series.
pub const MAX_SERIES: usize = 2000;

fn check_headings(sections: &[Section], depth: usize, count: &mut usize) -> Result<(), String> {
    if depth > MAX_DEPTH && !sections.is_empty() {
        return Err(format!(
            "sections nest more than {MAX_DEPTH} levels deep, past the README's smallest heading"
        ));
    }
    let mut seen = std::collections::HashSet::with_capacity(sections.len());
    for s in sections {
        *count += 1;
        if *count > MAX_SECTIONS {
            return Err(format!(
                "there are more than {MAX_SECTIONS} sections, the limit of a list"
            ));
        }
        if s.heading.trim().is_empty() {
            return Err("a section has an empty `heading`".to_owned());
        }
        if let Some(c) = s
            .heading
            .chars()
            .find(|&c| crate::model::sanitize::is_forbidden(c))
        {
            return Err(format!(
                "the heading `{}` holds the character {}: remove it",
                s.heading,
                crate::model::sanitize::code_point(c)
            ));
        }
        if !seen.insert(s.heading.as_str()) {
            return Err(format!("two sections are both headed `{}`", s.heading));
        }
        check_headings(&s.sections, depth + 1, count)?;
    }
    Ok(())
}
