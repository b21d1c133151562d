//! The pure core of `hftlist discover`: candidates from the sources -> merged -> those the list
//! already holds dropped (by identity, then by near-identical title) -> scored -> a guessed kind
//! -> best first. No network, no printing: `cmd/discover.rs` gathers, `views/discover.rs`
//! prints.
//!
//! The score adds up the signals, each worth what it says about a paper belonging to the field:
//! [`CITE_POINTS`] per key paper it cites (the strongest: the field cites its own),
//! [`TITLE_POINTS`] per phrase in its title, [`ABSTRACT_POINTS`] per phrase found only in its
//! abstract (at most [`MAX_ABSTRACT_PHRASES`]), and up to [`RECENCY_POINTS`] for how recent it
//! is within the searched window.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::catalog::Catalog;
use crate::model::date::PartialDate;
use crate::model::ident::{ArxivId, Doi};
use crate::model::paper::{Field, Kind, Stage, normalize_title};

/// Points per key paper a candidate cites.
pub const CITE_POINTS: f64 = 3.0;
/// Points per phrase in the title.
pub const TITLE_POINTS: f64 = 2.0;
/// Points per phrase found in the abstract only.
pub const ABSTRACT_POINTS: f64 = 1.0;
/// Abstract phrases counted at most (a long abstract repeating the field's words is no
/// stronger a sign than one naming it).
pub const MAX_ABSTRACT_PHRASES: usize = 3;
/// Points for the newest paper of the window, falling linearly to 0 at `since`.
pub const RECENCY_POINTS: f64 = 1.0;

/// A paper a source found, before scoring.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Candidate {
    /// The title, whitespace folded.
    pub title: String,
    /// The abstract, when a source gave one.
    pub abstract_text: Option<String>,
    /// The arXiv id.
    pub arxiv: Option<ArxivId>,
    /// The DOI.
    pub doi: Option<Doi>,
    /// The date of first appearance, when known.
    pub date: Option<PartialDate>,
    /// The ids of the key papers it cites.
    pub cites: BTreeSet<String>,
}

/// A candidate worth a look, with its score and the reasons for it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scored {
    /// The score (see the module documentation), rounded to a tenth.
    pub score: f64,
    /// The date of first appearance, when known.
    #[serde(serialize_with = "as_text")]
    pub date: Option<PartialDate>,
    /// The arXiv id.
    #[serde(serialize_with = "as_text")]
    pub arxiv: Option<ArxivId>,
    /// The DOI.
    #[serde(serialize_with = "as_text")]
    pub doi: Option<Doi>,
    /// The title.
    pub title: String,
    /// The kind its abstract's words suggest: a guess for the reviewer to confirm.
    pub kind_guess: Kind,
    /// For a guessed defense, the stage its words suggest: a guess too.
    pub stage_guess: Option<Stage>,
    /// The key papers it cites, by id.
    pub cites: Vec<String>,
    /// The phrases in its title.
    pub title_phrases: Vec<String>,
    /// The phrases in its abstract but not its title.
    pub abstract_phrases: Vec<String>,
    /// The signals in words, for the table's `why` column.
    pub why: String,
}

fn as_text<T: std::fmt::Display, S: serde::Serializer>(
    value: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// The window and words the score is computed against.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The search phrases of `list.yaml`.
    pub phrases: Vec<String>,
    /// Papers before this date are not candidates.
    pub since: PartialDate,
    /// Today, the newest end of the window.
    pub today: PartialDate,
}

/// What ranking found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ranked {
    /// The candidates, best first.
    pub candidates: Vec<Scored>,
    /// Candidates dropped because the list already holds them: (title, id in the list).
    pub listed: Vec<(String, String)>,
    /// Candidates dropped as older than `since`.
    pub older: usize,
}

/// For each title, the id of the record that already holds a paper with it: an equal
/// normalised title (the catalog's identity index), else a near-identical one by the matcher
/// `validate` uses (`Catalog::near_titles`). This is the one place `discover` asks the matcher.
pub fn already_listed(catalog: &Catalog, titles: &[&str]) -> Vec<Option<String>> {
    titles
        .iter()
        .map(|t| {
            let same = [(Field::Title, "title", normalize_title(t))];
            let index = match catalog.identity().find(&same) {
                Some(m) => Some(m.index),
                None => catalog.near_titles(t).first().map(|r| r.index),
            };
            index.map(|i| catalog.record(i).entry.id.to_string())
        })
        .collect()
}

/// The id of the record that holds the candidate by identity (arXiv id, DOI, normalised title).
pub fn listed_by_identity(catalog: &Catalog, c: &Candidate) -> Option<String> {
    let keys =
        crate::model::paper::identity_keys(c.arxiv.as_ref(), c.doi.as_ref(), None, None, &c.title);
    catalog
        .identity()
        .find(&keys)
        .map(|m| catalog.record(m.index).id.to_string())
}

/// Merges the candidates that are one paper (same arXiv id, DOI or normalised title): the
/// cited key papers are joined, the first abstract, identifier and date kept.
pub fn merge(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for c in candidates {
        let keys = keys_of(&c);
        match keys.iter().find_map(|k| index.get(k).copied()) {
            Some(i) => {
                let kept = &mut out[i];
                kept.cites.extend(c.cites);
                if kept.abstract_text.is_none() {
                    kept.abstract_text = c.abstract_text;
                }
                if kept.arxiv.is_none() {
                    kept.arxiv = c.arxiv;
                }
                if kept.doi.is_none() {
                    kept.doi = c.doi;
                }
                // A full date beats a year.
                if kept.date.is_none_or(|d| d.day().is_none())
                    && c.date.is_some_and(|d| d.day().is_some())
                {
                    kept.date = c.date;
                }
                for k in keys_of(kept) {
                    index.entry(k).or_insert(i);
                }
            }
            None => {
                let i = out.len();
                for k in keys {
                    index.entry(k).or_insert(i);
                }
                out.push(c);
            }
        }
    }
    out
}

fn keys_of(c: &Candidate) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(id) = &c.arxiv {
        keys.push(format!("arxiv:{id}"));
    }
    if let Some(doi) = &c.doi {
        keys.push(format!("doi:{}", doi.as_str().to_lowercase()));
    }
    let title = normalize_title(&c.title);
    if !title.is_empty() {
        keys.push(format!("title:{title}"));
    }
    keys
}

/// Merges, drops what the list holds and what is older than `since`, scores, and sorts best
/// first (score, then date, newest first, then title).
pub fn rank(catalog: &Catalog, candidates: Vec<Candidate>, settings: &Settings) -> Ranked {
    let mut ranked = Ranked::default();
    let mut unknown = Vec::new();
    for c in merge(candidates) {
        if c.date.is_some_and(|d| d < settings.since) {
            ranked.older += 1;
        } else if let Some(id) = listed_by_identity(catalog, &c) {
            ranked.listed.push((c.title, id));
        } else {
            unknown.push(c);
        }
    }
    let titles: Vec<&str> = unknown.iter().map(|c| c.title.as_str()).collect();
    let near = already_listed(catalog, &titles);
    for (c, listed) in unknown.into_iter().zip(near) {
        match listed {
            Some(id) => ranked.listed.push((c.title, id)),
            None => ranked.candidates.push(score(c, settings)),
        }
    }
    ranked.candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.date.cmp(&a.date))
            .then(a.title.cmp(&b.title))
    });
    ranked
}

/// Scores one candidate.
pub fn score(c: Candidate, settings: &Settings) -> Scored {
    let abstract_text = c.abstract_text.as_deref().unwrap_or_default();
    let (title, summary) = (normalize_title(&c.title), normalize_title(abstract_text));
    let mut title_phrases = Vec::new();
    let mut abstract_phrases = Vec::new();
    for phrase in &settings.phrases {
        let normalized = normalize_title(phrase);
        if contains_normalized(&title, &normalized) {
            title_phrases.push(phrase.clone());
        } else if contains_normalized(&summary, &normalized) {
            abstract_phrases.push(phrase.clone());
        }
    }
    let recency = c.date.map_or(0.0, |d| {
        let (from, to, at) = (
            days(settings.since),
            days(settings.today),
            days(d).min(days(settings.today)),
        );
        if to > from {
            ((at - from) as f64 / (to - from) as f64).clamp(0.0, 1.0)
        } else {
            1.0
        }
    });
    let raw = CITE_POINTS * c.cites.len() as f64
        + TITLE_POINTS * title_phrases.len() as f64
        + ABSTRACT_POINTS * abstract_phrases.len().min(MAX_ABSTRACT_PHRASES) as f64
        + RECENCY_POINTS * recency;
    let mut why = Vec::new();
    if !c.cites.is_empty() {
        why.push(format!(
            "cites {}",
            c.cites.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if !title_phrases.is_empty() {
        why.push(format!("title: {}", quoted(&title_phrases)));
    }
    if !abstract_phrases.is_empty() {
        why.push(format!("abstract: {}", quoted(&abstract_phrases)));
    }
    let kind_guess = guess_kind(&c.title, abstract_text);
    let stage_guess =
        (kind_guess == Kind::Defense).then(|| guess_stage(&format!("{} {abstract_text}", c.title)));
    Scored {
        score: (raw * 10.0).round() / 10.0,
        date: c.date,
        arxiv: c.arxiv,
        doi: c.doi,
        title: c.title,
        kind_guess,
        stage_guess,
        cites: c.cites.into_iter().collect(),
        title_phrases,
        abstract_phrases,
        why: why.join("; "),
    }
}

fn quoted(phrases: &[String]) -> String {
    phrases
        .iter()
        .map(|p| format!("\"{p}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `text` holds `phrase`, ignoring case, punctuation and the hyphen or space inside a
/// compound (`fine-tuning`, `fine tuning` and `finetuning` are one word here).
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    contains_normalized(&normalize_title(text), &normalize_title(phrase))
}

/// [`contains_phrase`] on texts already through `normalize_title`.
fn contains_normalized(text: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    if format!(" {text} ").contains(&format!(" {phrase} ")) {
        return true;
    }
    // Without spaces, at word starts only: `finetuning attack` is in `... finetuning attacks`
    // but `tuning` is not in `retuning`.
    let squeezed_phrase: String = phrase.split(' ').collect();
    let mut squeezed = String::with_capacity(text.len());
    let mut starts = Vec::new();
    for word in text.split(' ') {
        starts.push(squeezed.len());
        squeezed.push_str(word);
    }
    squeezed
        .match_indices(&squeezed_phrase)
        .any(|(at, _)| starts.binary_search(&at).is_ok())
}

/// Word stems that suggest each kind, with the kind they suggest. Checked in this order, so a
/// tie goes to the first.
const KIND_WORDS: &[(Kind, &[&str])] = &[
    (
        Kind::Survey,
        &["survey", "systematization", "sok", "overview", "review"],
    ),
    (
        Kind::Benchmark,
        &["benchmark", "dataset", "leaderboard", "testbed", "suite"],
    ),
    (
        Kind::Defense,
        &[
            "defen",
            "mitigat",
            "protect",
            "safeguard",
            "immuni",
            "vaccin",
            "robustif",
            "prevent",
            "preserv",
            "restor",
            "recover",
            "resist",
            "counter",
        ],
    ),
    (
        Kind::Attack,
        &[
            "attack",
            "jailbreak",
            "bypass",
            "poison",
            "backdoor",
            "exploit",
            "subvert",
            "compromis",
            "evad",
            "stealth",
        ],
    ),
    (
        Kind::Analysis,
        &[
            "analy",
            "understand",
            "investigat",
            "empirical",
            "study",
            "explain",
            "mechanis",
            "characteri",
            "measur",
            "why",
        ],
    ),
];

/// The kind a paper's words suggest: stems counted in the title (three times) and the
/// abstract; analysis when nothing stands out. A defense paper names the attack it defends
/// against, so defense words count double.
pub fn guess_kind(title: &str, abstract_text: &str) -> Kind {
    let (title, abstract_text) = (normalize_title(title), normalize_title(abstract_text));
    let count = |text: &str, stems: &[&str]| {
        text.split(' ')
            .filter(|w| stems.iter().any(|s| w.starts_with(s)))
            .count()
    };
    let mut best = (Kind::Analysis, 0usize);
    for (kind, stems) in KIND_WORDS {
        let weight = if *kind == Kind::Defense { 2 } else { 1 };
        let n = weight * (3 * count(&title, stems) + count(&abstract_text, stems));
        if n > best.1 {
            best = (*kind, n);
        }
    }
    best.0
}

/// The stage a defense's words suggest: the first of post-fine-tuning, pre-training and
/// alignment whose phrases it uses, else fine-tuning (where most defenses act).
pub fn guess_stage(text: &str) -> Stage {
    const STAGES: &[(Stage, &[&str])] = &[
        (
            Stage::PostFineTuning,
            &[
                "post fine tuning",
                "after fine tuning",
                "realign",
                "model merging",
                "pruning",
            ],
        ),
        (Stage::PreTraining, &["pre training", "pretraining"]),
        (
            Stage::Alignment,
            &["alignment stage", "during alignment", "alignment time"],
        ),
    ];
    STAGES
        .iter()
        .find(|(_, phrases)| phrases.iter().any(|p| contains_phrase(text, p)))
        .map_or(Stage::FineTuning, |(stage, _)| *stage)
}

/// Days since 1970-01-01 of the first day a partial date may mean (Howard Hinnant's
/// `days_from_civil`).
fn days(d: PartialDate) -> i64 {
    let (y, m, day) = (
        i64::from(d.year()),
        i64::from(d.month().unwrap_or(1)),
        i64::from(d.day().unwrap_or(1)),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `n` days before `d` (its first day when partial).
pub fn days_before(d: PartialDate, n: i64) -> PartialDate {
    let z = days(d) - n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    PartialDate::from_ymd(
        i16::try_from(year).unwrap_or(i16::MAX),
        month as i8,
        day as i8,
    )
    .unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::db::Db;

    fn date(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    fn settings() -> Settings {
        Settings {
            phrases: vec![
                "harmful fine-tuning".to_owned(),
                "safety alignment".to_owned(),
            ],
            since: date("2025-01-01"),
            today: date("2025-12-31"),
        }
    }

    fn catalog() -> (tempfile::TempDir, Catalog) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("list.yaml"),
            "title: T\nsections:\n  - heading: All\nvenues: []\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("vaccine.yaml"),
            "title: \"Vaccine: Perturbation-aware Alignment for Large Language Models against \
             Harmful Fine-tuning Attack\"\nkind: defense\ndate: \"2024-02-02\"\narxiv: \
             \"2402.01109\"\n",
        )
        .unwrap();
        let catalog = Catalog::new(Db::load(dir.path()).unwrap());
        (dir, catalog)
    }

    fn candidate(title: &str) -> Candidate {
        Candidate {
            title: title.to_owned(),
            date: Some(date("2025-06-01")),
            ..Candidate::default()
        }
    }

    #[test]
    fn phrases_match_across_hyphens_and_case_but_not_inside_words() {
        assert!(contains_phrase(
            "Against Harmful Finetuning",
            "harmful fine-tuning"
        ));
        assert!(contains_phrase(
            "harmful fine tuning attacks",
            "harmful fine-tuning"
        ));
        assert!(contains_phrase(
            "HARMFUL FINE-TUNING",
            "harmful fine-tuning"
        ));
        assert!(!contains_phrase(
            "unharmful fine-tuning",
            "harmful fine-tuning"
        ));
        assert!(!contains_phrase("harmful data", "harmful fine-tuning"));
        assert!(!contains_phrase("anything", ""));
    }

    #[test]
    fn a_listed_paper_is_found_by_id_by_title_and_by_near_identical_title() {
        let (_dir, catalog) = catalog();
        let by_id = Candidate {
            arxiv: Some("2402.01109".parse().unwrap()),
            ..candidate("A different title")
        };
        assert_eq!(
            listed_by_identity(&catalog, &by_id).as_deref(),
            Some("vaccine")
        );
        let by_title = candidate(
            "Vaccine: perturbation-aware alignment for large language models against harmful \
             fine-tuning attack",
        );
        assert_eq!(
            listed_by_identity(&catalog, &by_title).as_deref(),
            Some("vaccine")
        );
        let near = candidate(
            "Vaccine: Perturbation-aware Alignment for Large Language Model against Harmful \
             Fine-tuning Attack",
        );
        assert_eq!(
            already_listed(
                &catalog,
                &[&near.title, &by_title.title, "Something else entirely"]
            ),
            [Some("vaccine".to_owned()), Some("vaccine".to_owned()), None]
        );
        assert_eq!(
            listed_by_identity(&catalog, &candidate("Something else entirely")),
            None
        );
    }

    #[test]
    fn the_score_adds_cites_title_abstract_and_recency() {
        let c = Candidate {
            abstract_text: Some("We study safety alignment.".to_owned()),
            cites: ["lisa".to_owned(), "vaccine".to_owned()].into(),
            date: Some(date("2025-12-31")),
            ..candidate("Defending against harmful fine-tuning")
        };
        let s = score(c, &settings());
        assert_eq!(s.score, 3.0 * 2.0 + 2.0 + 1.0 + 1.0);
        assert_eq!(
            s.why,
            "cites lisa, vaccine; title: \"harmful fine-tuning\"; abstract: \"safety alignment\""
        );
        assert_eq!(s.kind_guess, Kind::Defense);
        // At `since`, recency adds nothing.
        let old = Candidate {
            date: Some(date("2025-01-01")),
            ..candidate("nothing")
        };
        assert_eq!(score(old, &settings()).score, 0.0);
    }

    #[test]
    fn ranking_merges_drops_and_sorts() {
        let (_dir, catalog) = catalog();
        let a = Candidate {
            arxiv: Some("2505.00001".parse().unwrap()),
            cites: ["vaccine".to_owned()].into(),
            ..candidate("Paper A on harmful fine-tuning")
        };
        let a_again = Candidate {
            arxiv: Some("2505.00001".parse().unwrap()),
            cites: ["lisa".to_owned()].into(),
            abstract_text: Some("abstract".to_owned()),
            ..candidate("Paper A on harmful fine-tuning")
        };
        let b = candidate("Paper B");
        let old = Candidate {
            date: Some(date("2024-01-01")),
            ..candidate("Paper C")
        };
        let listed = Candidate {
            arxiv: Some("2402.01109".parse().unwrap()),
            ..candidate("Vaccine")
        };
        let ranked = rank(&catalog, vec![b, a, old, listed, a_again], &settings());
        let titles: Vec<&str> = ranked.candidates.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Paper A on harmful fine-tuning", "Paper B"]);
        assert_eq!(ranked.candidates[0].cites, ["lisa", "vaccine"]);
        assert_eq!(ranked.older, 1);
        assert_eq!(
            ranked.listed,
            [("Vaccine".to_owned(), "vaccine".to_owned())]
        );
    }

    #[test]
    fn kinds_are_guessed_from_words() {
        assert_eq!(
            guess_kind("A Survey of Harmful Fine-tuning", "we review attacks"),
            Kind::Survey
        );
        assert_eq!(
            guess_kind(
                "Booster",
                "we propose a defense that mitigates the harmful fine-tuning attack"
            ),
            Kind::Defense
        );
        assert_eq!(
            guess_kind(
                "Jailbreaking via fine-tuning",
                "an attack that bypasses moderation"
            ),
            Kind::Attack
        );
        assert_eq!(
            guess_kind("HarmBench", "a benchmark and dataset"),
            Kind::Benchmark
        );
        assert_eq!(guess_kind("On something", ""), Kind::Analysis);
    }

    #[test]
    fn stages_are_guessed_from_phrases() {
        assert_eq!(
            guess_stage("a fix applied after fine-tuning"),
            Stage::PostFineTuning
        );
        assert_eq!(guess_stage("an alignment-stage defense"), Stage::Alignment);
        assert_eq!(guess_stage("a defense"), Stage::FineTuning);
    }

    #[test]
    fn dates_move_back_by_days() {
        assert_eq!(days_before(date("2025-03-01"), 1), date("2025-02-28"));
        assert_eq!(days_before(date("2024-03-01"), 1), date("2024-02-29"));
        assert_eq!(days_before(date("2025-01-15"), 30), date("2024-12-16"));
        assert_eq!(days_before(date("2025"), 0), date("2025-01-01"));
    }
}
