//! The list's own settings, `papers/list.yaml`: its title, its sections (which papers each one
//! holds, as data), and the venue registry.
//!
//! Sections nest. A section's selector (`kind`, `stage`, `tags`, `without-tags`) applies to every
//! section below it, and papers are placed in the innermost sections only, so `Defenses` can say
//! `kind: defense` once and its stage subsections add `stage: ...`.

use serde::Deserialize;

use crate::ident::Tag;
use crate::paper::{Kind, Paper, Stage};
use crate::venue::{Registry, Series};

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
    fn selects(&self, paper: &Paper) -> bool {
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
            .find(|&c| crate::sanitize::is_forbidden(c))
        {
            return Err(format!(
                "the list's `title` holds the character {}: remove it",
                crate::sanitize::code_point(c)
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
        Ok(Self {
            title: file.title,
            sections: file.sections,
            registry,
        })
    }

    /// The heading paths of the innermost sections that take the paper, in README order.
    pub fn sections_for(&self, paper: &Paper) -> Vec<Vec<&str>> {
        let mut found = Vec::new();
        for section in &self.sections {
            collect(section, paper, &mut Vec::new(), &mut found);
        }
        found
    }
}

fn collect<'s>(
    section: &'s Section,
    paper: &Paper,
    path: &mut Vec<&'s str>,
    found: &mut Vec<Vec<&'s str>>,
) {
    if !section.selects(paper) {
        return;
    }
    path.push(&section.heading);
    if section.sections.is_empty() {
        found.push(path.clone());
    } else {
        for child in &section.sections {
            collect(child, paper, path, found);
        }
    }
    path.pop();
}

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
            .find(|&c| crate::sanitize::is_forbidden(c))
        {
            return Err(format!(
                "the heading `{}` holds the character {}: remove it",
                s.heading,
                crate::sanitize::code_point(c)
            ));
        }
        if !seen.insert(s.heading.as_str()) {
            return Err(format!("two sections are both headed `{}`", s.heading));
        }
        check_headings(&s.sections, depth + 1, count)?;
    }
    Ok(())
}
