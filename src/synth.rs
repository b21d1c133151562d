//! Synthetic databases for benchmarks and scale tests, with a known set of planted
//! near-duplicate titles, in three shapes:
//!
//! - `Realistic`: titles reuse the real titles' lengths and words, drawn as often as the real list
//!   uses them, with made-up method names and new terms standing in for the vocabulary a larger
//!   field brings; most papers have an arXiv id consistent with their date; venues come from the
//!   registry; about four in ten have a code link.
//! - `Hostile`: titles of 7 to 12 words drawn uniformly from the real list's 150 commonest words,
//!   so no word is rare.
//! - `Cluster`: half the titles share the same ten words and differ in one made-up word; the
//!   others are hostile.
//!
//! Every planted near-duplicate copies an earlier title with one typo (a letter inserted,
//! deleted, replaced or two letters swapped), its words reordered, or its method name dropped;
//! `validate` must report it as `similar-title` beside its source.

use std::collections::{HashMap, HashSet};

use anyhow::Context;

use crate::checks::lint::near_identical;
use crate::model::date::PartialDate;
use crate::model::ident::{ArxivId, PaperId};
use crate::model::list::List;
use crate::model::paper::{Kind, Paper, Stage, normalize_title};

/// The share of title words drawn from the made-up terms rather than the real list's words.
pub const NEW_TERM_PERCENT: u64 = 25;

/// How many of the real list's commonest words a hostile title draws from.
pub const HOSTILE_VOCABULARY: usize = 150;

/// How many words the titles of a cluster share.
pub const CLUSTER_SHARED_WORDS: usize = 10;

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

closed_enum!(
    /// Which titles a synthetic database gets.
    Shape, "shape", {
        /// Drawn from the real list's words as often as it uses them, plus new terms.
        Realistic = "realistic",
        /// 7 to 12 words from a vocabulary of 150: no word is rare.
        Hostile = "hostile",
        /// Half the titles share ten words and differ in one.
        Cluster = "cluster",
    }
);

/// Generates about `count` realistic papers (of which up to `near_duplicates` are planted
/// copies) from the titles of a real list, with venues from its registry.
pub fn generate(
    count: usize,
    near_duplicates: usize,
    real_titles: &[String],
    list: &List,
    seed: u64,
) -> anyhow::Result<Synthetic> {
    generate_shape(
        Shape::Realistic,
        count,
        near_duplicates,
        real_titles,
        list,
        seed,
    )
}

/// Generates about `count` papers of the given shape, of which up to `near_duplicates` are
/// planted copies, from the words of a real list, with venues from its registry.
pub fn generate_shape(
    shape: Shape,
    count: usize,
    near_duplicates: usize,
    real_titles: &[String],
    list: &List,
    seed: u64,
) -> anyhow::Result<Synthetic> {
    let mut rng = Rng::new(seed);
    let mut seen: HashSet<String> = HashSet::new();
    let originals = count - near_duplicates.min(count);
    let titles = match shape {
        Shape::Realistic => realistic_titles(&mut rng, originals, real_titles, &mut seen),
        Shape::Hostile => hostile_titles(&mut rng, originals, real_titles, &mut seen),
        Shape::Cluster => {
            let shared = originals / 2;
            let mut titles = cluster_titles(&mut rng, shared, real_titles, &mut seen);
            titles.extend(hostile_titles(
                &mut rng,
                originals - titles.len(),
                real_titles,
                &mut seen,
            ));
            titles
        }
    };
    let venues: Vec<String> = list
        .registry
        .series()
        .iter()
        .filter(|s| s.type_ != crate::model::venue::VenueType::PreprintServer)
        .map(|s| s.name.clone())
        .collect();
    let mut arxiv_numbers: HashMap<(i16, i8), u32> = HashMap::new();
    let mut papers: Vec<(PaperId, Paper)> = Vec::with_capacity(count);
    for (i, title) in titles.into_iter().enumerate() {
        let paper = record(&mut rng, i, title, &venues, &mut arxiv_numbers)?;
        let id: PaperId = format!("p{i:06}").parse().context("a generated id")?;
        papers.push((id, paper));
    }
    let planted = plant(&mut rng, &mut papers, near_duplicates, &mut seen)?;
    Ok(Synthetic { papers, planted })
}

/// Titles drawn from the real list's words as often as it uses them, a quarter of them from a
/// pool of made-up terms; most open with a made-up method name.
fn realistic_titles(
    rng: &mut Rng,
    count: usize,
    real_titles: &[String],
    seen: &mut HashSet<String>,
) -> Vec<String> {
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
        .map(|_| made_up_word(rng))
        .collect();
    let lengths: Vec<usize> = real_titles
        .iter()
        .map(|t| t.split_whitespace().count().max(3))
        .collect();
    let mut titles = Vec::with_capacity(count);
    while titles.len() < count {
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
            let mut name = made_up_word(rng);
            name.push(':');
            words.insert(0, name);
        }
        let title = words.join(" ");
        if seen.insert(normalize_title(&title)) {
            titles.push(title);
        }
    }
    titles
}

/// The real list's `HOSTILE_VOCABULARY` commonest words (letters only), padded with made-up
/// words when the list has fewer.
fn hostile_vocabulary(rng: &mut Rng, real_titles: &[String]) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for word in real_titles.iter().flat_map(|t| t.split_whitespace()) {
        if word.len() > 1 && word.chars().all(|c| c.is_ascii_alphabetic()) {
            *counts.entry(word.to_ascii_lowercase()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, String)> = counts.into_iter().map(|(w, n)| (n, w)).collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut words: Vec<String> = ranked
        .into_iter()
        .take(HOSTILE_VOCABULARY)
        .map(|(_, w)| w)
        .collect();
    while words.len() < HOSTILE_VOCABULARY {
        let word = made_up_word(rng).to_ascii_lowercase();
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// Titles of 7 to 12 words drawn uniformly from `HOSTILE_VOCABULARY` common words.
fn hostile_titles(
    rng: &mut Rng,
    count: usize,
    real_titles: &[String],
    seen: &mut HashSet<String>,
) -> Vec<String> {
    let vocabulary = hostile_vocabulary(rng, real_titles);
    let mut titles = Vec::with_capacity(count);
    while titles.len() < count {
        let len = 7 + rng.below(6);
        let words: Vec<&str> = (0..len)
            .map(|_| vocabulary[rng.below(vocabulary.len())].as_str())
            .collect();
        let title = capitalize(&words.join(" "));
        if seen.insert(normalize_title(&title)) {
            titles.push(title);
        }
    }
    titles
}

/// Titles that share `CLUSTER_SHARED_WORDS` words and differ in one made-up word, placed
/// anywhere among them.
fn cluster_titles(
    rng: &mut Rng,
    count: usize,
    real_titles: &[String],
    seen: &mut HashSet<String>,
) -> Vec<String> {
    let vocabulary = hostile_vocabulary(rng, real_titles);
    let shared: Vec<&str> = vocabulary
        .iter()
        .take(CLUSTER_SHARED_WORDS)
        .map(String::as_str)
        .collect();
    let mut titles = Vec::with_capacity(count);
    while titles.len() < count {
        let mut words = shared.clone();
        let word = made_up_word(rng);
        words.insert(rng.below(words.len() + 1), &word);
        let title = capitalize(&words.join(" "));
        if seen.insert(normalize_title(&title)) {
            titles.push(title);
        }
    }
    titles
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// A record around a title: kind, date, arXiv id, venue and code drawn at random.
fn record(
    rng: &mut Rng,
    i: usize,
    title: String,
    venues: &[String],
    arxiv_numbers: &mut HashMap<(i16, i8), u32>,
) -> anyhow::Result<Paper> {
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
    Ok(Paper {
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
    })
}

/// Plants up to `count` near-duplicate copies of distinct earlier titles, each with its own DOI
/// and no other identifier, and returns the `(source, copy)` pairs.
fn plant(
    rng: &mut Rng,
    papers: &mut Vec<(PaperId, Paper)>,
    count: usize,
    seen: &mut HashSet<String>,
) -> anyhow::Result<Vec<(PaperId, PaperId)>> {
    let mut sources: Vec<usize> = (0..papers.len()).collect();
    let mut planted = Vec::new();
    let mut attempts = 0;
    while planted.len() < count && !sources.is_empty() && attempts < 20 * count + 100 {
        attempts += 1;
        let source = sources.swap_remove(rng.below(sources.len()));
        let (source_id, original) = papers[source].clone();
        let Some(title) = variant(rng, &original.title, planted.len()) else {
            continue;
        };
        if !near_identical(&original.title, &title) || !seen.insert(normalize_title(&title)) {
            continue;
        }
        let j = planted.len();
        let mut copy = original;
        copy.title = title;
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
    Ok(planted)
}

/// A near-identical variant of a title: mostly one typo in a word of four letters or more, the
/// kind chosen by `n`; sometimes two words swapped, or the method name before a colon dropped.
fn variant(rng: &mut Rng, title: &str, n: usize) -> Option<String> {
    let mut words: Vec<String> = title.split_whitespace().map(str::to_owned).collect();
    match n % 8 {
        6 if words.len() >= 3 => {
            let (a, b) = (rng.below(words.len()), rng.below(words.len()));
            words.swap(a, b);
            return Some(words.join(" "));
        }
        7 if title.contains(':') => {
            let (_, tail) = title.split_once(':')?;
            return Some(tail.trim().to_owned());
        }
        _ => {}
    }
    let eligible: Vec<usize> = (0..words.len())
        .filter(|&k| words[k].len() >= 4 && words[k].chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    if eligible.is_empty() {
        return None;
    }
    let at = eligible[rng.below(eligible.len())];
    let mut letters: Vec<char> = words[at].chars().collect();
    let p = rng.below(letters.len());
    let letter = char::from(b'a' + rng.below(26) as u8);
    match n % 4 {
        0 => letters.insert(p, letter),
        1 => {
            letters.remove(p);
        }
        2 if letters[p] != letter => letters[p] = letter,
        _ if p + 1 < letters.len() && letters[p] != letters[p + 1] => letters.swap(p, p + 1),
        _ => letters.insert(p, letter),
    }
    words[at] = letters.into_iter().collect();
    Some(words.join(" "))
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
