//! A query over the papers: built once from the arguments, then `matches` each paper.
//!
//! Each filter narrows the result; list-valued filters (`kinds`, `tags`...) accept a paper that
//! has any of the values. The shape follows rustsec's `database/query.rs`.

use std::fmt;
use std::str::FromStr;

use crate::date::PartialDate;
use crate::db::Entry;
use crate::ident::Tag;
use crate::paper::{Kind, Paper, Stage};
use crate::venue::Registry;

/// A year or a range of years: `2025`, `2024..2025`, `2024..`, `..2025`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YearRange {
    /// First year, inclusive.
    pub from: Option<i16>,
    /// Last year, inclusive.
    pub to: Option<i16>,
}

impl YearRange {
    /// Whether the year lies in the range.
    pub fn contains(self, year: i16) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }
}

impl FromStr for YearRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "`{s}` is not a year or a range of years: expected e.g. `2025`, `2024..2025`, `2024..` or `..2025`"
            )
        };
        let year = |p: &str| -> Result<Option<i16>, String> {
            if p.is_empty() {
                return Ok(None);
            }
            if p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map(Some).map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let range = match s.split_once("..") {
            Some((a, b)) => Self {
                from: year(a)?,
                to: year(b)?,
            },
            None => {
                let y = year(s)?.ok_or_else(bad)?;
                Self {
                    from: Some(y),
                    to: Some(y),
                }
            }
        };
        if range.from.is_none() && range.to.is_none() {
            return Err(bad());
        }
        if let (Some(f), Some(t)) = (range.from, range.to)
            && f > t
        {
            return Err(format!("the range `{s}` ends before it starts"));
        }
        Ok(range)
    }
}

impl fmt::Display for YearRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => write!(f, "{a}"),
            (a, b) => write!(
                f,
                "{}..{}",
                a.map(|y| y.to_string()).unwrap_or_default(),
                b.map(|y| y.to_string()).unwrap_or_default()
            ),
        }
    }
}

/// A venue filter: a series, and optionally a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VenueFilter {
    /// The registry's name of the series.
    pub series: String,
    /// The year, when the filter names one.
    pub year: Option<i16>,
}

impl VenueFilter {
    /// Resolves `ICLR` or `ICLR 2025` (any spelling the registry knows) against the registry.
    pub fn parse(s: &str, registry: &Registry) -> Result<Self, String> {
        match registry.resolve(s) {
            Some(r) if r.qualifier.is_none() => Ok(Self {
                series: r.series.name.clone(),
                year: r.year,
            }),
            _ => {
                let names: Vec<String> = registry
                    .series()
                    .iter()
                    .map(|s| format!("`{}`", s.name))
                    .collect();
                Err(format!(
                    "`{s}` is not a venue series, optionally with a year: expected one of {}",
                    names.join(", ")
                ))
            }
        }
    }
}

/// Which papers to keep.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Any of these kinds.
    pub kinds: Vec<Kind>,
    /// Any of these stages.
    pub stages: Vec<Stage>,
    /// Any of these tags.
    pub tags: Vec<Tag>,
    /// The year of the date.
    pub years: Option<YearRange>,
    /// Dated on or after.
    pub since: Option<PartialDate>,
    /// Dated on or before.
    pub until: Option<PartialDate>,
    /// Published at this venue.
    pub venue: Option<VenueFilter>,
    /// `Some(true)`: only papers with a venue; `Some(false)`: only preprints.
    pub published: Option<bool>,
    /// Only papers with a code link.
    pub has_code: bool,
    /// Every word must occur in the title, an author or the note (ignoring case).
    pub words: Vec<String>,
    /// Any of these ids.
    pub ids: Vec<String>,
}

impl Query {
    /// Whether the paper passes every filter.
    pub fn matches(&self, id: &str, p: &Paper, registry: &Registry) -> bool {
        if !self.kinds.is_empty() && !self.kinds.contains(&p.kind) {
            return false;
        }
        if !self.stages.is_empty() && !p.stage.is_some_and(|s| self.stages.contains(&s)) {
            return false;
        }
        if !self.tags.is_empty() && !self.tags.iter().any(|t| p.tags.contains(t)) {
            return false;
        }
        if let Some(years) = self.years
            && !years.contains(p.date.year())
        {
            return false;
        }
        if self.since.is_some_and(|d| p.date < d) || self.until.is_some_and(|d| p.date > d) {
            return false;
        }
        if let Some(filter) = &self.venue {
            let Some(resolved) = p.venue.as_deref().and_then(|v| registry.resolve(v)) else {
                return false;
            };
            if resolved.series.name != filter.series
                || filter.year.is_some_and(|y| resolved.year != Some(y))
            {
                return false;
            }
        }
        if self.published.is_some_and(|want| want != p.venue.is_some()) {
            return false;
        }
        if self.has_code && p.code.is_none() {
            return false;
        }
        if !self.words.is_empty() {
            let haystack = format!(
                "{}\n{}\n{}",
                p.title,
                p.authors.join("\n"),
                p.note.as_deref().unwrap_or_default()
            )
            .to_lowercase();
            if !self
                .words
                .iter()
                .all(|w| haystack.contains(&w.to_lowercase()))
            {
                return false;
            }
        }
        self.ids.is_empty() || self.ids.iter().any(|i| i == id)
    }
}

closed_enum!(
    /// The order of results.
    SortKey, "sort key", {
        /// By date, then title.
        Date = "date",
        /// By title, ignoring case.
        Title = "title",
        /// By venue (preprints last), then date.
        Venue = "venue",
    }
);

/// Sorts entries by the key; ties fall back to date, title and id so the order is total.
pub fn sort(entries: &mut [&Entry], key: SortKey, reverse: bool) {
    // Keys are computed once per entry, not once per comparison.
    entries.sort_by_cached_key(|e| {
        let p = &e.paper;
        let title = p.title.to_lowercase();
        let primary = match key {
            SortKey::Date => String::new(),
            SortKey::Title => title.clone(),
            // Preprints (no venue) after every venue.
            SortKey::Venue => p
                .venue
                .as_ref()
                .map_or_else(|| "\u{10FFFF}".to_owned(), Clone::clone),
        };
        (primary, p.date, title, e.id.clone())
    });
    if reverse {
        entries.reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges() {
        let r: YearRange = "2024..2025".parse().unwrap();
        assert!(r.contains(2024) && r.contains(2025) && !r.contains(2023));
        assert!("2024..".parse::<YearRange>().unwrap().contains(2999));
        assert!("..2024".parse::<YearRange>().unwrap().contains(1999));
        assert!("2025".parse::<YearRange>().unwrap().contains(2025));
        for bad in ["20x5", "..", "2025..2024", "25", "2024...2025", ""] {
            assert!(bad.parse::<YearRange>().is_err(), "{bad}");
        }
        assert_eq!(
            "20x5".parse::<YearRange>().unwrap_err(),
            "`20x5` is not a year or a range of years: expected e.g. `2025`, `2024..2025`, `2024..` or `..2025`"
        );
    }
}
