//! The catalog: the database loaded once, with every fact derived from a record computed once.
//!
//! Commands take a [`Catalog`], never the raw database. It holds, beside each record, its venue
//! placed in the registry ([`Placed`]: series, year, qualifier, track), the sections of
//! `list.yaml` that take it, and one identity index (every identity key of every record -> the
//! record). Filtering ([`Query`]) and ordering ([`order_key`]) are defined once, here and in
//! `query.rs`, so `query`, `export`, `stats` and the README template cannot disagree about
//! which papers a filter means or in which order they come.

pub mod query;
pub mod similar;

use std::collections::HashMap;
use std::ops::Deref;
use std::path::Path;

use crate::catalog::query::Query;
use crate::catalog::similar::TitleIndex;
use crate::model::date::PartialDate;
use crate::model::diag::Pos;
use crate::model::list::List;
pub use crate::model::list::SectionPath;
use crate::model::paper::{Field, Paper};
use crate::model::venue::{Placed, Registry, Series, Track};
use crate::store::db::{Db, Entry};

/// One record with its derived facts. It dereferences to its [`Entry`] (id, path, paper, spans).
#[derive(Clone, Copy, Debug)]
pub struct Record<'c> {
    /// The record as loaded.
    pub entry: &'c Entry,
    /// The venue placed in the registry; `None` for a preprint or an unplaceable venue.
    pub venue: Option<&'c Placed>,
    /// The innermost sections that take the paper: exactly one in a valid database.
    pub sections: &'c [SectionPath],
    /// The record's position in the catalog (file order).
    pub index: usize,
}

impl Deref for Record<'_> {
    type Target = Entry;

    fn deref(&self) -> &Entry {
        self.entry
    }
}

/// One link of a record: the field it comes from, its label in the list, the URL, and where
/// the field stands in the file (for diagnostics about the link).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The field: `arxiv`, `doi`, `openreview` (derived pages), `paper`, `code`, `project`.
    pub field: Field,
    /// The label the list shows: `paper`, `OpenReview`, `DOI`, `code`, `project`.
    pub label: &'static str,
    /// The URL.
    pub url: String,
    /// Where the field's value stands in the record file.
    pub pos: Pos,
}

impl Record<'_> {
    /// Whether the paper is published at a venue (has one); the rest are preprints.
    pub fn is_published(&self) -> bool {
        self.entry.paper.venue.is_some()
    }

    /// Every link of the record with its position in the file, in the list's order.
    pub fn links(&self) -> Vec<Link> {
        self.entry
            .paper
            .links()
            .into_iter()
            .map(|(field, label, url)| Link {
                field,
                label,
                url,
                pos: self.entry.spans.get(field),
            })
            .collect()
    }
}

/// The key of the catalog's one order: date, then title ignoring case, then title, then id, so
/// the order is total and never depends on file order.
pub fn order_key(id: &str, p: &Paper) -> (PartialDate, String, String, String) {
    (
        p.date,
        p.title.to_lowercase(),
        p.title.clone(),
        id.to_owned(),
    )
}

/// Where an identity key was found: the record, the field it comes from, and a name for
/// messages (`arXiv id`, `DOI`...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdentityMatch {
    /// The index of the record that holds the key (in the catalog, or as the caller numbered
    /// what it inserted).
    pub index: usize,
    /// The field the key comes from.
    pub field: Field,
    /// The key's name for messages.
    pub what: &'static str,
}

/// Every identity key (see [`Paper::identity_keys`]) -> the first record that holds it. The one
/// place that decides whether two records are the same paper: `validate`'s duplicate rule,
/// `add` and `import` all ask it.
#[derive(Clone, Debug, Default)]
pub struct IdentityIndex {
    keys: HashMap<(Field, String), usize>,
}

impl IdentityIndex {
    /// The first record that shares one of `keys`, in the order the keys are given.
    pub fn find(&self, keys: &[(Field, &'static str, String)]) -> Option<IdentityMatch> {
        keys.iter().find_map(|(field, what, key)| {
            // Borrowing the key as a tuple of references is not possible with HashMap's API,
            // so the lookup builds the owned key; keys are short.
            self.keys
                .get(&(*field, key.clone()))
                .map(|&index| IdentityMatch {
                    index,
                    field: *field,
                    what,
                })
        })
    }

    /// Adds the keys of record `index`; returns the first earlier record that shares one of
    /// them (the keys it does not share are still added).
    pub fn insert(
        &mut self,
        keys: Vec<(Field, &'static str, String)>,
        index: usize,
    ) -> Option<IdentityMatch> {
        let mut first = None;
        for (field, what, key) in keys {
            match self.keys.get(&(field, key.clone())) {
                Some(&earlier) => {
                    first.get_or_insert(IdentityMatch {
                        index: earlier,
                        field,
                        what,
                    });
                }
                None => {
                    self.keys.insert((field, key), index);
                }
            }
        }
        first
    }
}

/// The loaded database with its derived facts.
#[derive(Debug)]
pub struct Catalog {
    db: Db,
    venues: Vec<Option<Placed>>,
    sections: Vec<Vec<SectionPath>>,
    /// The identity index, and the records that share an identity key with an earlier one
    /// (later, earlier match); built on first use, since `query` and `export` never ask.
    identity: std::sync::OnceLock<(IdentityIndex, Vec<(usize, IdentityMatch)>)>,
    by_id: HashMap<String, usize>,
    order: Vec<usize>,
    /// The near-identical title index, built on first use (`add`, `import`, `discover`).
    titles: std::sync::OnceLock<TitleIndex>,
}

impl Catalog {
    /// Loads the database in `dir` and derives every fact. Fails only when the folder or
    /// `list.yaml` cannot be used (see [`Db::load`]).
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        Ok(Self::new(Db::load(dir)?))
    }

    /// Derives every fact of a loaded database.
    pub fn new(db: Db) -> Self {
        let registry = &db.list.registry;
        let venues: Vec<Option<Placed>> = db
            .entries
            .iter()
            .map(|e| e.paper.venue.as_deref().and_then(|v| registry.place(v)))
            .collect();
        let sections = db
            .entries
            .iter()
            .map(|e| db.list.section_paths(&e.paper))
            .collect();
        let by_id = db
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str().to_owned(), i))
            .collect();
        let mut order: Vec<usize> = (0..db.entries.len()).collect();
        order.sort_by_cached_key(|&i| {
            let e = &db.entries[i];
            order_key(e.id.as_str(), &e.paper)
        });
        Self {
            db,
            venues,
            sections,
            identity: std::sync::OnceLock::new(),
            by_id,
            order,
            titles: std::sync::OnceLock::new(),
        }
    }

    /// The database as loaded: the folder, the records, the load diagnostics.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Gives the database back, dropping the derived facts (to add a record and derive anew).
    pub fn into_db(self) -> Db {
        self.db
    }

    /// The list settings.
    pub fn list(&self) -> &List {
        &self.db.list
    }

    /// The venue registry.
    pub fn registry(&self) -> &Registry {
        &self.db.list.registry
    }

    /// How many records loaded.
    pub fn len(&self) -> usize {
        self.db.entries.len()
    }

    /// Whether no record loaded.
    pub fn is_empty(&self) -> bool {
        self.db.entries.is_empty()
    }

    /// How many record files could not be loaded at all (`validate` says why).
    pub fn unreadable(&self) -> usize {
        self.db.files - self.db.entries.len()
    }

    /// The record at a catalog index.
    pub fn record(&self, index: usize) -> Record<'_> {
        Record {
            entry: &self.db.entries[index],
            venue: self.venues[index].as_ref(),
            sections: &self.sections[index],
            index,
        }
    }

    /// Every record, in file order.
    pub fn records(&self) -> impl ExactSizeIterator<Item = Record<'_>> + '_ {
        (0..self.len()).map(|i| self.record(i))
    }

    /// Every record, in the catalog's order (see [`order_key`]).
    pub fn ordered(&self) -> impl ExactSizeIterator<Item = Record<'_>> + '_ {
        self.order.iter().map(|&i| self.record(i))
    }

    /// The record with this id.
    pub fn get(&self, id: &str) -> Option<Record<'_>> {
        self.by_id.get(id).map(|&i| self.record(i))
    }

    /// The records the query selects, in the catalog's order.
    pub fn select(&self, query: &Query) -> Vec<Record<'_>> {
        self.ordered().filter(|r| query.matches(r)).collect()
    }

    /// How many records the query selects.
    pub fn count(&self, query: &Query) -> usize {
        self.records().filter(|r| query.matches(r)).count()
    }

    /// The records whose titles a reader would call the same as `title` (the matcher of the
    /// `similar-title` rule; see docs/format.md), in file order.
    pub fn near_titles(&self, title: &str) -> Vec<Record<'_>> {
        let index = self.titles.get_or_init(|| {
            let titles: Vec<&str> = self
                .db
                .entries
                .iter()
                .map(|e| e.paper.title.as_str())
                .collect();
            TitleIndex::new(&titles)
        });
        index
            .near(title)
            .into_iter()
            .map(|i| self.record(i))
            .collect()
    }

    /// The identity index of every record.
    pub fn identity(&self) -> &IdentityIndex {
        &self.identity_and_duplicates().0
    }

    fn identity_and_duplicates(&self) -> &(IdentityIndex, Vec<(usize, IdentityMatch)>) {
        self.identity.get_or_init(|| {
            let mut identity = IdentityIndex::default();
            let mut duplicates = Vec::new();
            for (i, e) in self.db.entries.iter().enumerate() {
                if let Some(m) = identity.insert(e.paper.identity_keys(), i) {
                    duplicates.push((i, m));
                }
            }
            (identity, duplicates)
        })
    }

    /// The records that share an identity key with an earlier record (in file order), each
    /// with the first key it shares.
    pub fn duplicates(&self) -> impl Iterator<Item = (Record<'_>, Record<'_>, IdentityMatch)> {
        self.identity_and_duplicates()
            .1
            .iter()
            .map(|&(later, m)| (self.record(later), self.record(m.index), m))
    }

    /// The registry series of a placed venue.
    pub fn series(&self, venue: &Placed) -> &Series {
        // A `Placed` comes from this catalog's registry, so the index is in range; fall back to
        // the first series rather than panic if a caller mixes registries.
        let all = self.registry().series();
        all.get(venue.series).unwrap_or(&all[0])
    }

    /// The papers per venue and year in the main proceedings (`ICLR 2026`: 10), newest year
    /// first, then by count and name: what the README's figures list. Each name is a `--venue`
    /// value that selects exactly that many papers.
    pub fn venue_counts(&self) -> Vec<(String, usize)> {
        let mut counts: HashMap<(i16, String), usize> = HashMap::new();
        for r in self.records() {
            if let Some(v) = r.venue
                && let Some(year) = v.year
                && v.track.is_main()
                && self.series(v).type_ != crate::model::venue::VenueType::PreprintServer
            {
                *counts.entry((year, self.venue_group(v))).or_default() += 1;
            }
        }
        let mut rows: Vec<((i16, String), usize)> = counts.into_iter().collect();
        rows.sort_by(|((ya, na), ca), ((yb, nb), cb)| yb.cmp(ya).then(cb.cmp(ca)).then(na.cmp(nb)));
        rows.into_iter().map(|((_, name), n)| (name, n)).collect()
    }

    /// The venue group a paper is counted under in `stats`: the series and year for the main
    /// proceedings (`NeurIPS 2024`, its orals included), with the track for the rest
    /// (`NeurIPS 2024 Workshop`, `ACL 2024 Findings`, `AAAI 2025 AIA`). Each group is also a
    /// valid `--venue` value that selects exactly its papers.
    pub fn venue_group(&self, venue: &Placed) -> String {
        let mut key = self.series(venue).name.clone();
        if let Some(y) = venue.year {
            key.push_str(&format!(" {y}"));
        }
        match venue.track {
            Track::Main | Track::Presentation => {}
            Track::Workshop => key.push_str(" Workshop"),
            Track::Findings => key.push_str(" Findings"),
            Track::Other => {
                if let Some(q) = &venue.qualifier {
                    key.push(' ');
                    key.push_str(q);
                }
            }
        }
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn catalog(papers: &[(&str, &str)]) -> Catalog {
        let list = crate::store::db::parse_list(
            Path::new("list.yaml"),
            include_str!("../tests/fixtures/list.yaml"),
        )
        .unwrap();
        let entries: Vec<Entry> = papers
            .iter()
            .map(|(id, yaml)| {
                let path = format!("{id}.yaml");
                let (paper, spans, diags) = crate::store::db::parse_record(Path::new(&path), yaml);
                assert!(diags.is_empty(), "{diags:?}");
                Entry {
                    id: id.parse().unwrap(),
                    path: path.into(),
                    paper: paper.unwrap(),
                    spans,
                }
            })
            .collect();
        Catalog::new(Db {
            list,
            files: entries.len(),
            entries,
            diagnostics: Vec::new(),
        })
    }

    const A: &str = "title: Beta\nkind: attack\ndate: \"2024-02-02\"\nvenue: iclr2025 Oral\narxiv: \"2402.01109\"\ncode: https://github.com/a/b\n";
    const B: &str = "title: alpha\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01110\"\n";
    const C: &str = "title: Gamma\nkind: attack\ndate: \"2023\"\narxiv: \"2402.01109\"\n";

    #[test]
    fn venues_are_placed_once_with_their_track() {
        let c = catalog(&[("a", A)]);
        let v = c.get("a").unwrap().venue.unwrap();
        assert_eq!(v.canonical, "ICLR 2025 Oral");
        assert_eq!(v.track, Track::Presentation);
        assert_eq!(c.venue_group(v), "ICLR 2025");
        assert_eq!(c.venue_counts(), vec![("ICLR 2025".to_owned(), 1)]);
    }

    #[test]
    fn one_order_by_date_then_title_then_id() {
        let c = catalog(&[("a", A), ("b", B), ("c", C)]);
        let ids: Vec<&str> = c.ordered().map(|r| r.entry.id.as_str()).collect();
        assert_eq!(ids, ["c", "b", "a"]);
    }

    #[test]
    fn the_identity_index_finds_the_earlier_record() {
        let c = catalog(&[("a", A), ("b", B), ("c", C)]);
        let dups: Vec<(&str, &str, &str)> = c
            .duplicates()
            .map(|(later, first, m)| (later.entry.id.as_str(), first.entry.id.as_str(), m.what))
            .collect();
        assert_eq!(dups, [("c", "a", "arXiv id")]);
        let found = c
            .identity()
            .find(&[(Field::Title, "title", "alpha".to_owned())]);
        assert_eq!(
            found.map(|m| c.record(m.index).entry.id.as_str()),
            Some("b")
        );
    }

    #[test]
    fn links_carry_their_field_label_and_position() {
        let c = catalog(&[("a", A)]);
        let links = c.get("a").unwrap().links();
        let got: Vec<(&str, &str, u32)> = links
            .iter()
            .map(|l| (l.label, l.url.as_str(), l.pos.line))
            .collect();
        assert_eq!(
            got,
            [
                ("paper", "https://arxiv.org/abs/2402.01109", 5),
                ("code", "https://github.com/a/b", 6),
            ]
        );
    }
}
