//! Synthetic databases for benchmarks and scale tests: realistic records drawn from a real list's
//! vocabulary, with a known set of planted near-duplicate titles.
//!
//! Titles reuse the real titles' lengths and words, drawn as often as the real list uses them,
//! with made-up method names and new terms standing in for the vocabulary a larger field brings;
//! most papers have an arXiv id consistent with their date; venues come from the registry; about
//! four in ten have a code link. Every planted
//! near-duplicate copies an earlier title with one word changed, which `validate` must report as
//! `similar-title` and nothing else.

use std::collections::{HashMap, HashSet};

use anyhow::Context;

use crate::model::date::PartialDate;
use crate::model::ident::{ArxivId, PaperId};
use crate::model::list::List;
use crate::model::paper::{Kind, Paper, Stage, normalize_title};

/// The share of title words drawn from the made-up terms rather than the real list's words.
pub const NEW_TERM_PERCENT: u64 = 25;

/// A small, seedable generator (SplitMix64): reproducible databases without a dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// A generated database.
#[derive(Debug)]
pub struct Synthetic {
    /// The papers, with their ids.
    pub papers: Vec<(PaperId, Paper)>,
    /// `(original, copy)` ids of every planted near-duplicate pair.
    pub planted: Vec<(PaperId, PaperId)>,
}

/// Generates about `count` papers (of which up to `near_duplicates` are planted copies) from the
/// titles of a real list, with venues from its registry.
pub fn generate(
    count: usize,
    near_duplicates: usize,
    real_titles: &[String],
    list: &List,
    seed: u64,
) -> anyhow::Result<Synthetic> {
    let mut rng = Rng::new(seed);
    // Every word of every real title, repeats kept: drawing from it draws words as often as the
    // real list uses them ("Language" often, "Steganography" rarely).
    let mut vocabulary: Vec<String> = real_titles
        .iter()
        .flat_map(|t| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    if vocabulary.is_empty() {
        vocabulary.push("Safety".to_owned());
    }
    // A field's vocabulary grows with its size (new methods, new terms): a pool of made-up terms
    // about a third as large as the list stands in for the words a bigger list would bring.
    let new_terms: Vec<String> = (0..(count / 3).max(50))
        .map(|_| made_up_word(&mut rng))
        .collect();
    let lengths: Vec<usize> = real_titles
        .iter()
        .map(|t| t.split_whitespace().count().max(3))
        .collect();
    let venues: Vec<String> = list
        .registry
        .series()
        .iter()
        .filter(|s| s.type_ != crate::model::venue::VenueType::PreprintServer)
        .map(|s| s.name.clone())
        .collect();
    let mut titles_seen: HashSet<String> = HashSet::new();
    let mut arxiv_numbers: HashMap<(i16, i8), u32> = HashMap::new();
    let mut papers: Vec<(PaperId, Paper)> = Vec::with_capacity(count);
    let mut planted = Vec::new();
    let originals = count - near_duplicates.min(count);
    for i in 0..originals {
        // Titles of 3 or more words: near-identity needs enough words to be judged.
        let title = loop {
            let len = lengths
                .get(rng.below(lengths.len().max(1)))
                .copied()
                .unwrap_or(10)
                .max(6);
            let mut words: Vec<String> = (0..len)
                .map(|_| {
                    if rng.chance(NEW_TERM_PERCENT) {
                        new_terms[rng.below(new_terms.len())].clone()
                    } else {
                        vocabulary[rng.below(vocabulary.len())].clone()
                    }
                })
                .collect();
            // Most titles open with the method's name, as in `Vaccine: Perturbation-aware ...`.
            if rng.chance(65) {
                let mut name = made_up_word(&mut rng);
                name.push(':');
                words.insert(0, name);
            }
            let title = words.join(" ");
            if titles_seen.insert(normalize_title(&title)) {
                break title;
            }
        };
        let year = 2019 + rng.below(7) as i16;
        let month = 1 + rng.below(12) as i8;
        let day = 1 + rng.below(28) as i8;
        let date = PartialDate::from_ymd(year, month, day).context("a generated date")?;
        let (kind, stage) = match rng.below(10) {
            0..=2 => (Kind::Attack, None),
            3..=7 => (Kind::Defense, Some(Stage::ALL[rng.below(Stage::ALL.len())])),
            8 => (Kind::Analysis, None),
            _ => (Kind::Benchmark, None),
        };
        let arxiv = rng
            .chance(85)
            .then(|| {
                let n = arxiv_numbers.entry((year, month)).or_insert(0);
                *n += 1;
                format!("{:02}{:02}.{:05}", year % 100, month, *n)
                    .parse::<ArxivId>()
                    .ok()
            })
            .flatten();
        let venue = (rng.chance(45) && !venues.is_empty()).then(|| {
            let series = &venues[rng.below(venues.len())];
            format!("{series} {}", year + rng.below(2) as i16)
        });
        let code = rng
            .chance(40)
            .then(|| {
                format!("https://github.com/lab{}/repo{i}", rng.below(500))
                    .parse()
                    .ok()
            })
            .flatten();
        let paper = Paper {
            title,
            kind,
            stage,
            date,
            venue,
            authors: Vec::new(),
            arxiv,
            doi: None,
            openreview: None,
            paper: None,
            code,
            project: None,
            tags: Vec::new(),
            note: None,
        };
        let id: PaperId = format!("p{i:06}").parse().context("a generated id")?;
        papers.push((id, paper));
    }
    // Copies need titles of at least nine distinct words: one changed word then leaves a
    // Jaccard similarity of 8/10 or more. Each source is used once, so copies never pair up.
    let mut sources: Vec<usize> = (0..papers.len())
        .filter(|&i| distinct_words(&papers[i].1.title) >= 9)
        .collect();
    for j in 0..near_duplicates.min(count) {
        if sources.is_empty() {
            break;
        }
        let source = sources.swap_remove(rng.below(sources.len()));
        let (source_id, original) = papers[source].clone();
        let mut words: Vec<String> = original
            .title
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let at = rng.below(words.len());
        words[at].push_str("ing");
        let mut copy = original;
        copy.title = words.join(" ");
        if !titles_seen.insert(normalize_title(&copy.title)) || distinct_words(&copy.title) < 9 {
            continue;
        }
        copy.arxiv = None;
        copy.code = None;
        copy.doi = Some(
            format!("10.5555/synthetic.{j}")
                .parse()
                .context("a generated DOI")?,
        );
        let id: PaperId = format!("d{j:06}").parse().context("a generated id")?;
        planted.push((source_id, id.clone()));
        papers.push((id, copy));
    }
    Ok(Synthetic { papers, planted })
}

/// A pronounceable made-up word such as `Vorakim`, for method names and new terms.
fn made_up_word(rng: &mut Rng) -> String {
    const ONSETS: &[&str] = &[
        "b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "tr", "pl", "st",
    ];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ou"];
    let syllables = 2 + rng.below(3);
    let mut word = String::new();
    for _ in 0..syllables {
        word.push_str(ONSETS[rng.below(ONSETS.len())]);
        word.push_str(VOWELS[rng.below(VOWELS.len())]);
    }
    if rng.chance(50) {
        word.push_str(ONSETS[rng.below(ONSETS.len())]);
    }
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or(word)
}

fn distinct_words(title: &str) -> usize {
    normalize_title(title)
        .split(' ')
        .collect::<HashSet<_>>()
        .len()
}
