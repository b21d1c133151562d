//! The venue registry and the venue grammar `SERIES [YEAR [QUALIFIER]]`.
//!
//! A record's `venue` is a registry series (`NeurIPS`), the year (`2024`) and an optional free
//! qualifier (`Oral`, `Findings`, `Workshop SafeGenAI`). Resolving a written venue against the
//! registry tells whether it is known, what its canonical spelling is (`ICLR2025` and
//! `iclr 2025` are `ICLR 2025`), and, for an unknown one, the closest registry spelling.

use serde::Deserialize;

closed_enum!(
    /// What kind of venue a series is.
    VenueType, "venue type", {
        /// A conference; BibTeX `@inproceedings`.
        Conference = "conference",
        /// A journal; BibTeX `@article`.
        Journal = "journal",
        /// A workshop; BibTeX `@inproceedings`.
        Workshop = "workshop",
        /// A preprint server such as arXiv: not a publication venue.
        PreprintServer = "preprint-server",
    }
);

/// One venue series of the registry in `list.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Series {
    /// The canonical short name, e.g. `NeurIPS`.
    pub name: String,
    /// The full name, e.g. `Advances in Neural Information Processing Systems`.
    pub full_name: String,
    /// Conference, journal, workshop or preprint server.
    #[serde(rename = "type")]
    pub type_: VenueType,
    /// Other spellings met in the wild, e.g. `NIPS`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// How the metadata services spell the series (what `refresh` and `add` read).
    #[serde(default)]
    pub sources: SourceSpellings,
}

/// The spellings of one series at each metadata service, so that a new series is a data change.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpellings {
    /// DBLP's `venue` field, e.g. `ICLR`, `NeurIPS`, `ACL (Findings)`, `Trans. Mach. Learn.
    /// Res.`; a parenthetical that is not a volume number becomes the qualifier.
    #[serde(default)]
    pub dblp: Vec<String>,
    /// Crossref's `container-title` without years, ordinals and a final parenthetical, e.g.
    /// `Findings of the Association for Computational Linguistics ACL`.
    #[serde(default)]
    pub crossref: Vec<String>,
    /// The first segment of an OpenReview venue id, e.g. `ICLR.cc` (`ICLR.cc/2025/Conference`).
    #[serde(default)]
    pub openreview: Vec<String>,
}

/// A metadata service whose spellings the registry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// DBLP's `venue` field.
    Dblp,
    /// Crossref's `container-title`.
    Crossref,
    /// The first segment of an OpenReview venue id.
    OpenReview,
}

impl Spelling {
    /// The key of the spelling list in `list.yaml` (`sources: {dblp: [...]}`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Dblp => "dblp",
            Self::Crossref => "crossref",
            Self::OpenReview => "openreview",
        }
    }
}

impl SourceSpellings {
    /// The spellings for one service.
    pub fn of(&self, source: Spelling) -> &[String] {
        match source {
            Spelling::Dblp => &self.dblp,
            Spelling::Crossref => &self.crossref,
            Spelling::OpenReview => &self.openreview,
        }
    }
}

/// The venue series a list knows.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    series: Vec<Series>,
}

/// What part of a venue a paper appeared in, read from the qualifier's first word. Only
/// [`Track::Main`] and [`Track::Presentation`] are the venue's main proceedings: they are what
/// `--venue "ICLR 2025"` and the README's per-venue counts mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Track {
    /// No qualifier: the main conference or the journal itself.
    Main,
    /// A main-conference paper with its presentation form: `Oral`, `Spotlight`, `Poster`,
    /// `Highlight`.
    Presentation,
    /// A companion volume such as ACL's `Findings`.
    Findings,
    /// A workshop held at the venue: `Workshop SafeGenAI`.
    Workshop,
    /// Any other track or special session: `AIA`, `Short Paper`, `Datasets and Benchmarks`.
    Other,
}

impl Track {
    /// The track a qualifier names (`None`: no qualifier).
    pub fn of(qualifier: Option<&str>) -> Self {
        let Some(first) = qualifier.and_then(|q| q.split_whitespace().next()) else {
            return Self::Main;
        };
        let first = first.to_ascii_lowercase();
        match first.as_str() {
            "oral" | "spotlight" | "poster" | "highlight" => Self::Presentation,
            "findings" => Self::Findings,
            "workshop" | "workshops" => Self::Workshop,
            _ => Self::Other,
        }
    }

    /// Whether papers of this track are in the venue's main proceedings.
    pub fn is_main(self) -> bool {
        matches!(self, Self::Main | Self::Presentation)
    }
}

/// A record's venue placed in the registry, owned so that the catalog can keep it beside the
/// record: the series by its index in the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    /// Index of the series in [`Registry::series`].
    pub series: usize,
    /// The year, when given.
    pub year: Option<i16>,
    /// Whatever follows the year, whitespace folded.
    pub qualifier: Option<String>,
    /// The track the qualifier names.
    pub track: Track,
    /// The canonical spelling: `{series} {year} {qualifier}`.
    pub canonical: String,
}

/// A venue placed in the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved<'r> {
    /// The series.
    pub series: &'r Series,
    /// The year, when given.
    pub year: Option<i16>,
    /// Whatever follows the year, whitespace folded.
    pub qualifier: Option<String>,
    /// The canonical spelling: `{series} {year} {qualifier}`.
    pub canonical: String,
}

impl PartialEq for Series {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Series {}

impl Registry {
    /// A registry of the given series; fails when two series share a spelling.
    pub fn new(series: Vec<Series>) -> Result<Self, String> {
        let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        for s in &series {
            for spelling in std::iter::once(&s.name).chain(&s.aliases) {
                let key = spelling.to_lowercase();
                if let Some(c) = spelling
                    .chars()
                    .find(|&c| crate::model::sanitize::is_forbidden(c))
                {
                    return Err(format!(
                        "venue spelling `{spelling}` holds the character {}: remove it",
                        crate::model::sanitize::code_point(c)
                    ));
                }
                if spelling.trim().is_empty() || spelling.trim() != spelling {
                    return Err(format!(
                        "venue spelling `{spelling}` of `{}` is empty or padded",
                        s.name
                    ));
                }
                if let Some(owner) = seen.get(&key) {
                    if *owner == s.name {
                        return Err(format!(
                            "venue alias `{spelling}` of `{owner}` repeats a spelling of the same \
                             series (matching ignores case): remove it"
                        ));
                    }
                    return Err(format!(
                        "venue spelling `{spelling}` is claimed by both `{owner}` and `{}`",
                        s.name
                    ));
                }
                seen.insert(key, &s.name);
            }
        }
        for source in [Spelling::Dblp, Spelling::Crossref, Spelling::OpenReview] {
            let mut seen: Vec<(String, &str)> = Vec::new();
            for s in &series {
                for spelling in s.sources.of(source) {
                    let key = source_key(source, spelling);
                    if key.is_empty() {
                        return Err(format!(
                            "the {} spelling `{spelling}` of `{}` is empty",
                            source.key(),
                            s.name
                        ));
                    }
                    if let Some((_, owner)) = seen.iter().find(|(k, _)| *k == key) {
                        return Err(format!(
                            "the {} spelling `{spelling}` is claimed by both `{owner}` and `{}`",
                            source.key(),
                            s.name
                        ));
                    }
                    seen.push((key, &s.name));
                }
            }
        }
        Ok(Self { series })
    }

    /// The series a service's spelling names, by its index in [`Registry::series`]: DBLP and
    /// OpenReview spellings match whole (ignoring case; DBLP's also without a final
    /// parenthetical), Crossref's once punctuation, years, ordinals and a final parenthetical
    /// (`(Volume 1: Long Papers)`) are dropped.
    pub fn by_source(&self, source: Spelling, written: &str) -> Option<usize> {
        let key = source_key(source, written);
        if key.is_empty() {
            return None;
        }
        let mut best: Option<(usize, usize)> = None;
        for (index, series) in self.series.iter().enumerate() {
            for spelling in series.sources.of(source) {
                let want = source_key(source, spelling);
                let hit = match source {
                    Spelling::Crossref => key == want,
                    Spelling::Dblp => {
                        key == want
                            || strip_parenthetical(written)
                                .is_some_and(|(bare, _)| source_key(source, bare) == want)
                    }
                    Spelling::OpenReview => key == want,
                };
                if hit && best.is_none_or(|(_, len)| want.len() > len) {
                    best = Some((index, want.len()));
                }
            }
        }
        best.map(|(index, _)| index)
    }

    /// Every series, in registry order.
    pub fn series(&self) -> &[Series] {
        &self.series
    }

    /// The series at an index of [`Registry::series`] (from a [`Placed`] venue).
    pub fn get(&self, index: usize) -> Option<&Series> {
        self.series.get(index)
    }

    /// Places a written venue, keeping the series as an index: what the catalog stores.
    pub fn place(&self, written: &str) -> Option<Placed> {
        let r = self.resolve(written)?;
        let series = self.series.iter().position(|s| s.name == r.series.name)?;
        Some(Placed {
            series,
            year: r.year,
            track: Track::of(r.qualifier.as_deref()),
            qualifier: r.qualifier,
            canonical: r.canonical,
        })
    }

    /// Splits `written` into the series it starts with and the rest (trimmed), matching the
    /// longest name or alias, ignoring case.
    pub fn split_series<'w>(&self, written: &'w str) -> Option<(&Series, &'w str)> {
        self.match_series(written.trim())
            .map(|(series, rest)| (series, rest.trim()))
    }

    /// Places a written venue in the registry, or returns `None` when it cannot be placed.
    pub fn resolve(&self, written: &str) -> Option<Resolved<'_>> {
        let (series, rest) = self.match_series(written)?;
        let rest = rest.trim_start();
        let (year, qualifier) = if rest.is_empty() {
            (None, None)
        } else {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let after = &rest[digits..];
            if digits != 4 || !(after.is_empty() || after.starts_with(char::is_whitespace)) {
                return None;
            }
            let year: i16 = rest[..4].parse().ok()?;
            let qualifier = after.split_whitespace().collect::<Vec<_>>().join(" ");
            (Some(year), (!qualifier.is_empty()).then_some(qualifier))
        };
        let mut canonical = series.name.clone();
        if let Some(y) = year {
            canonical.push_str(&format!(" {y}"));
        }
        if let Some(q) = &qualifier {
            canonical.push(' ');
            canonical.push_str(q);
        }
        Some(Resolved {
            series,
            year,
            qualifier,
            canonical,
        })
    }

    /// The series whose name or alias is the longest prefix of `written` (ignoring case) and
    /// is followed by the end, whitespace or a digit; with the rest of the string.
    fn match_series<'w>(&self, written: &'w str) -> Option<(&Series, &'w str)> {
        let mut best: Option<(&Series, usize)> = None;
        for series in &self.series {
            for spelling in std::iter::once(&series.name).chain(&series.aliases) {
                let n = spelling.len();
                let matches = written.len() >= n
                    && written.is_char_boundary(n)
                    && written[..n].eq_ignore_ascii_case(spelling)
                    && written[n..]
                        .chars()
                        .next()
                        .is_none_or(|c| c.is_whitespace() || c.is_ascii_digit());
                if matches && best.is_none_or(|(_, len)| n > len) {
                    best = Some((series, n));
                }
            }
        }
        best.map(|(series, n)| (series, &written[n..]))
    }

    /// The registry spelling closest to an unplaceable venue, trying the years around `year`.
    pub fn suggest(&self, written: &str, year: Option<i16>) -> Option<String> {
        // A spelling scores at most (shorter length / longer length), and only scores from 0.5
        // count: a venue over twice as long as every candidate needs no comparison (a 10 MB
        // venue would otherwise cost seconds of edit distance).
        let longest = self
            .series
            .iter()
            .map(|s| s.name.chars().count() + 5)
            .max()
            .unwrap_or(0);
        if written.chars().take(2 * longest + 1).count() > 2 * longest {
            return None;
        }
        let target = written.to_lowercase();
        let mut best: Option<(f64, String)> = None;
        for series in &self.series {
            let mut candidates = vec![series.name.clone()];
            if let Some(y) = year {
                candidates.extend((y - 1..=y + 2).map(|y| format!("{} {y}", series.name)));
            }
            for candidate in candidates {
                let score = strsim::normalized_levenshtein(&target, &candidate.to_lowercase());
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, candidate));
                }
            }
        }
        best.filter(|(score, _)| *score >= 0.5).map(|(_, c)| c)
    }
}

/// A service's spelling folded for comparison: case ignored everywhere; for Crossref also
/// punctuation, years (`2024`), ordinals (`62nd`) and a final parenthetical, which change
/// every edition.
fn source_key(source: Spelling, written: &str) -> String {
    match source {
        Spelling::Crossref => crate::model::paper::normalize_title(
            strip_parenthetical(written).map_or(written, |(bare, _)| bare),
        )
        .split(' ')
        .filter(|w| !w.is_empty() && !is_edition(w))
        .collect::<Vec<_>>()
        .join(" "),
        Spelling::Dblp | Spelling::OpenReview => written
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase(),
    }
}

/// A word that numbers an edition: all digits, or an ordinal such as `62nd`.
fn is_edition(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&word[digits..], "" | "st" | "nd" | "rd" | "th")
}

/// `ACL (Findings)` -> (`ACL`, `Findings`): the final parenthetical of a DBLP venue.
pub fn strip_parenthetical(written: &str) -> Option<(&str, &str)> {
    let inner = written.trim().strip_suffix(')')?;
    let (bare, paren) = inner.rsplit_once('(')?;
    let (bare, paren) = (bare.trim(), paren.trim());
    (!bare.is_empty() && !paren.is_empty()).then_some((bare, paren))
}

/// A conference series named `name` with the given spellings at DBLP, Crossref and OpenReview,
/// for the tests of the registry and of `refresh`.
#[cfg(test)]
pub(crate) fn conference_spelled(
    name: &str,
    dblp: &[&str],
    crossref: &[&str],
    openreview: &[&str],
) -> Series {
    let owned = |list: &[&str]| list.iter().map(|a| (*a).to_owned()).collect();
    Series {
        name: name.to_owned(),
        full_name: name.to_owned(),
        type_: VenueType::Conference,
        aliases: vec![],
        sources: SourceSpellings {
            dblp: owned(dblp),
            crossref: owned(crossref),
            openreview: owned(openreview),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        let s = |name: &str, t, aliases: &[&str]| Series {
            name: name.to_owned(),
            full_name: format!("full {name}"),
            type_: t,
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            sources: SourceSpellings::default(),
        };
        Registry::new(vec![
            s("ICLR", VenueType::Conference, &[]),
            s("NeurIPS", VenueType::Conference, &["NIPS"]),
            s("ACL", VenueType::Conference, &[]),
            s("ACM CSUR", VenueType::Journal, &["CSUR"]),
            s("arXiv", VenueType::PreprintServer, &["preprint"]),
        ])
        .unwrap()
    }

    #[test]
    fn resolves_canonical_and_alias_spellings() {
        let r = registry();
        for (written, canonical) in [
            ("ICLR 2025", "ICLR 2025"),
            ("ICLR2025", "ICLR 2025"),
            ("iclr  2026   Oral", "ICLR 2026 Oral"),
            ("NIPS 2024", "NeurIPS 2024"),
            ("Neurips2024", "NeurIPS 2024"),
            (
                "NeurIPS 2024 Workshop SafeGenAI",
                "NeurIPS 2024 Workshop SafeGenAI",
            ),
            ("ACL 2024 Findings", "ACL 2024 Findings"),
            ("CSUR 2025", "ACM CSUR 2025"),
            ("ACM CSUR", "ACM CSUR"),
            ("arxiv", "arXiv"),
        ] {
            assert_eq!(
                r.resolve(written).unwrap().canonical,
                canonical,
                "{written}"
            );
        }
        assert_eq!(r.resolve("ICLR 2026 Oral").unwrap().year, Some(2026));
    }

    #[test]
    fn qualifiers_name_tracks() {
        for (q, track) in [
            (None, Track::Main),
            (Some("Oral"), Track::Presentation),
            (Some("spotlight"), Track::Presentation),
            (Some("Findings"), Track::Findings),
            (Some("Workshop SafeGenAI"), Track::Workshop),
            (Some("AIA"), Track::Other),
            (Some("Short Paper"), Track::Other),
        ] {
            assert_eq!(Track::of(q), track, "{q:?}");
        }
        let placed = registry().place("iclr 2026 Oral").unwrap();
        assert_eq!(placed.canonical, "ICLR 2026 Oral");
        assert_eq!(placed.track, Track::Presentation);
        assert_eq!(registry().get(placed.series).unwrap().name, "ICLR");
    }

    #[test]
    fn refuses_what_it_cannot_place() {
        let r = registry();
        for bad in [
            "ICLR20206",
            "ICLR 25",
            "ICLRW 2025",
            "Nature 2025",
            "",
            "ICLR Oral",
        ] {
            assert!(r.resolve(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn suggests_nothing_for_a_venue_far_longer_than_any_spelling() {
        let r = registry();
        assert_eq!(r.suggest(&"ICLR 2025 ".repeat(1000), Some(2025)), None);
        assert_eq!(
            r.suggest("ICLR 2025x", Some(2025)).as_deref(),
            Some("ICLR 2025")
        );
    }

    #[test]
    fn suggests_the_closest_spelling_near_the_papers_year() {
        let r = registry();
        assert_eq!(
            r.suggest("ICLR20206", Some(2025)).as_deref(),
            Some("ICLR 2026")
        );
        assert_eq!(
            r.suggest("NeurlPS 2024", Some(2024)).as_deref(),
            Some("NeurIPS 2024")
        );
        assert_eq!(r.suggest("Completely different", Some(2024)), None);
    }

    #[test]
    fn a_spelling_belongs_to_one_series() {
        let s = |name: &str, aliases: &[&str]| Series {
            name: name.to_owned(),
            full_name: name.to_owned(),
            type_: VenueType::Conference,
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            sources: SourceSpellings::default(),
        };
        let err = Registry::new(vec![s("A", &["B"]), s("b", &[])]).unwrap_err();
        assert_eq!(err, "venue spelling `b` is claimed by both `A` and `b`");
        let err = Registry::new(vec![s("NeurIPS", &["Neurips"])]).unwrap_err();
        assert!(
            err.starts_with("venue alias `Neurips` of `NeurIPS` repeats a spelling"),
            "{err}"
        );
    }

    #[test]
    fn source_spellings_place_a_series() {
        let s = conference_spelled;
        let r = Registry::new(vec![
            s("ICLR", &["ICLR"], &[], &["ICLR.cc"]),
            s(
                "ACL",
                &["ACL"],
                &[
                    "Proceedings of the Annual Meeting of the Association for Computational \
                     Linguistics",
                    "Findings of the Association for Computational Linguistics ACL",
                ],
                &[],
            ),
            s("TMLR", &["Trans. Mach. Learn. Res."], &[], &["TMLR"]),
        ])
        .unwrap();
        assert_eq!(r.by_source(Spelling::Dblp, "ICLR"), Some(0));
        assert_eq!(r.by_source(Spelling::Dblp, "ACL (Findings)"), Some(1));
        assert_eq!(
            r.by_source(Spelling::Dblp, "trans. mach. learn. res."),
            Some(2)
        );
        assert_eq!(r.by_source(Spelling::Dblp, "ICML"), None);
        assert_eq!(r.by_source(Spelling::OpenReview, "ICLR.cc"), Some(0));
        assert_eq!(
            r.by_source(
                Spelling::Crossref,
                "Proceedings of the 62nd Annual Meeting of the Association for Computational \
                 Linguistics (Volume 1: Long Papers)"
            ),
            Some(1)
        );
        assert_eq!(
            r.by_source(
                Spelling::Crossref,
                "Findings of the Association for Computational Linguistics ACL 2024"
            ),
            Some(1)
        );
        assert_eq!(
            r.by_source(Spelling::Crossref, "Findings of the Association"),
            None
        );
        assert_eq!(
            r.by_source(
                Spelling::Crossref,
                "Findings of the Association for Computational Linguistics ACL 2024 Extra"
            ),
            None
        );
        assert_eq!(
            strip_parenthetical("ACL (Findings)"),
            Some(("ACL", "Findings"))
        );
        assert_eq!(strip_parenthetical("ICLR"), None);
        let clash = Registry::new(vec![s("A", &["X"], &[], &[]), s("B", &["x"], &[], &[])]);
        assert_eq!(
            clash.unwrap_err(),
            "the dblp spelling `x` is claimed by both `A` and `B`"
        );
    }
}
