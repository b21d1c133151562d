//! A query over the papers: built once from the arguments, then `matches` each paper.
//!
//! Each filter narrows the result; list-valued filters (`kinds`, `tags`...) accept a paper that
//! has any of the values. The shape follows rustsec's `database/query.rs`.

use std::fmt;
use std::str::FromStr;

use crate::catalog::Record;
use crate::model::date::PartialDate;
use crate::model::ident::Tag;
use crate::model::paper::{Kind, Stage};
use crate::model::venue::{Placed, Registry, VenueType};

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

/// Which tracks of a venue a filter takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrackFilter {
    /// The main proceedings only (orals and spotlights included): what `ICLR 2025` means.
    Main,
    /// Papers whose qualifier starts with these words, ignoring case: `Workshop`,
    /// `Workshop SafeGenAI`, `Oral`, `Findings`.
    Qualifier(Vec<String>),
    /// Every track: `ICLR 2025 *`.
    Any,
}

/// A venue filter: a series, optionally a year, and which of its tracks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VenueFilter {
    /// The series, by its index in the registry the filter was parsed against.
    pub series: usize,
    /// The year, when the filter names one.
    pub year: Option<i16>,
    /// Which tracks.
    pub track: TrackFilter,
}

impl VenueFilter {
    /// Reads `SERIES [YEAR] [QUALIFIER | *]` (any spelling the registry knows): `ICLR`,
    /// `ICLR 2025`, `NeurIPS 2024 Workshop`, `ICLR 2026 Oral`, `ICLR 2025 *`.
    pub fn parse(s: &str, registry: &Registry) -> Result<Self, String> {
        let Some((series, rest)) = registry.split_series(s) else {
            let names: Vec<String> = registry
                .series()
                .iter()
                .filter(|s| s.type_ != VenueType::PreprintServer)
                .map(|s| format!("`{}`", s.name))
                .collect();
            return Err(format!(
                "`{s}` does not start with a venue series: expected one of {}, optionally \
                 followed by a year and a track (`ICLR 2025`, `NeurIPS 2024 Workshop`)",
                names.join(", ")
            ));
        };
        if series.type_ == VenueType::PreprintServer {
            return Err(format!(
                "`{s}` is a preprint server, not a venue: preprints have no venue, so use \
                 `--preprint` to select them"
            ));
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (year, qualifier) = if digits == 0 {
            (None, rest)
        } else {
            let year = rest[..digits]
                .parse::<i16>()
                .ok()
                .filter(|_| digits == 4)
                .ok_or_else(|| format!("`{s}`: the year must have four digits"))?;
            let after = &rest[digits..];
            if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
                return Err(format!("`{s}`: expected a space after the year"));
            }
            (Some(year), after.trim())
        };
        let track = match qualifier {
            "" => TrackFilter::Main,
            "*" => TrackFilter::Any,
            q => TrackFilter::Qualifier(q.split_whitespace().map(str::to_lowercase).collect()),
        };
        let series = registry
            .series()
            .iter()
            .position(|s| s.name == series.name)
            .ok_or_else(|| format!("`{s}`: the series is not in the registry"))?;
        Ok(Self {
            series,
            year,
            track,
        })
    }

    /// Whether a venue placed in the same registry passes the filter.
    pub fn matches(&self, venue: &Placed) -> bool {
        if venue.series != self.series || self.year.is_some_and(|y| venue.year != Some(y)) {
            return false;
        }
        match &self.track {
            TrackFilter::Main => venue.track.is_main(),
            TrackFilter::Any => true,
            TrackFilter::Qualifier(words) => {
                let have: Vec<String> = venue
                    .qualifier
                    .as_deref()
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_lowercase)
                    .collect();
                have.len() >= words.len() && have.iter().zip(words).all(|(h, w)| h == w)
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
    /// Whether the record passes every filter.
    pub fn matches(&self, r: &Record<'_>) -> bool {
        let p = &r.paper;
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
            let Some(venue) = r.venue else {
                return false;
            };
            if !filter.matches(venue) {
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
        self.ids.is_empty() || self.ids.iter().any(|i| i == r.id.as_str())
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

/// Sorts records by the key. The records come in the catalog's order (date, title, id), and the
/// sort is stable, so ties keep that order and the result is total.
pub fn sort(records: &mut [Record<'_>], key: SortKey, reverse: bool) {
    match key {
        SortKey::Date => {}
        // Keys are computed once per record, not once per comparison.
        SortKey::Title => records.sort_by_cached_key(|r| r.paper.title.to_lowercase()),
        // Preprints (no venue) after every venue.
        SortKey::Venue => records.sort_by_cached_key(|r| {
            r.venue
                .map_or_else(|| "\u{10FFFF}".to_owned(), |v| v.canonical.clone())
        }),
    }
    if reverse {
        records.reverse();
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
