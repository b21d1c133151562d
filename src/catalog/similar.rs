//! Near-identical titles as a reader sees them (the matcher of the catalog, which the
//! `similar-title` rule, `add`, `import` and `discover` share), found in time bounded by the input and the output.
//!
//! **The definition** (docs/format.md gives examples). A title is read as a multiset of canonical
//! words: lowercase letters and digits, with hyphens and apostrophes inside a word dropped
//! (`Fine-tuning` = `finetuning`) and British spellings folded to American ones (`behaviour`,
//! `optimise`, `defence`, `towards`). Its *bodies* are the whole title and, when it has a subtitle
//! (`X: Y`, or `X - Y` with a spaced dash), each side of at least two words. Two titles are
//! near-identical when a body of one and a body of the other, at least one of them a whole title,
//! have the same words in any order, except at most one word that differs by one typo (a letter
//! inserted, deleted or replaced, or two neighbouring letters swapped), in a body of three or more
//! words, in a word of 4 to 40 letters, and never in a digit (`Llama 2` is not `Llama 3`).
//!
//! **The search.** Each body of `n` words is indexed under `n` keys: the hash of the multiset of
//! its words with word `i` left out, and word `i` itself. Two bodies within the definition leave
//! out their differing word (or any word, when none differs) and meet under one key, so the
//! filter is exact for the definition and does not depend on how often words occur. Inside one
//! key's group, the left-out words are matched by their own typo keys (the word; the word with
//! one letter deleted, replaced by a wildcard, or swapped with its neighbour), under which every
//! member is one typo from the others or from the word the key names. Groups never compare all
//! their pairs: matching titles are joined in a union-find, each join checked against the
//! definition (keys are hashes), and each cluster of near-identical titles comes out once. The
//! cost is one key per word of each body, sorted, plus three keys per letter of a left-out word
//! in a large group: linear in the input, whatever the vocabulary, and the output is one line
//! per cluster.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use crate::model::paper::normalize_title;

/// How many other files a cluster's diagnostic names before it counts the rest.
pub const MAX_LISTED: usize = 5;

/// The fewest words a body needs before a typo in it is forgiven.
const TYPO_MIN_WORDS: usize = 3;

/// The fewest letters the longer of two words needs before they may differ by a typo.
const TYPO_MIN_LETTERS: usize = 4;

/// The most letters a word may have and still differ by a typo: it bounds the typo keys of a
/// hostile record's giant word.
const TYPO_MAX_LETTERS: usize = 40;

/// The fewest words a subtitle or a main title needs to be compared on its own.
const PART_MIN_WORDS: usize = 2;

/// Words a British text spells differently, with the American spelling they fold to.
const SPELLINGS: &[(&str, &str)] = &[
    ("towards", "toward"),
    ("defence", "defense"),
    ("defences", "defenses"),
    ("offence", "offense"),
    ("offences", "offenses"),
    ("licence", "license"),
    ("pretence", "pretense"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("grey", "gray"),
    ("judgement", "judgment"),
    ("judgements", "judgments"),
    ("ageing", "aging"),
    ("artefact", "artifact"),
    ("artefacts", "artifacts"),
    ("practise", "practice"),
    ("enrol", "enroll"),
    ("aluminium", "aluminum"),
];

/// Endings a British text spells differently (`optimise`, `behaviour`, `modelling`, `centre`),
/// folded to the American ending. Folding is applied to both titles alike, so it can only ever
/// equate two spellings of one word.
const ENDINGS: &[(&str, &str)] = &[
    ("isations", "izations"),
    ("isation", "ization"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("isers", "izers"),
    ("iser", "izer"),
    ("ises", "izes"),
    ("ise", "ize"),
    ("ysing", "yzing"),
    ("ysed", "yzed"),
    ("yses", "yzes"),
    ("yse", "yze"),
    ("ourable", "orable"),
    ("ouring", "oring"),
    ("oured", "ored"),
    ("ourite", "orite"),
    ("oural", "oral"),
    ("ours", "ors"),
    ("our", "or"),
    ("elling", "eling"),
    ("elled", "eled"),
    ("ellers", "elers"),
    ("eller", "eler"),
    ("alling", "aling"),
    ("alled", "aled"),
    ("ogues", "ogs"),
    ("ogue", "og"),
    ("tres", "ters"),
    ("tre", "ter"),
];

/// A word's canonical spelling, in place: the American form of a British one.
fn fold_spelling(word: &mut String) {
    if let Some((_, american)) = SPELLINGS.iter().find(|(british, _)| *british == word) {
        word.clear();
        word.push_str(american);
        return;
    }
    for (british, american) in ENDINGS {
        // `our` only in words of six letters or more (`behaviour`, not `four` or `your`); the
        // other endings need a stem of at least two letters (`rise` stays, `noise` folds alike).
        let min_stem = if british.starts_with("our") { 3 } else { 2 };
        // The last letter first: most words end in none of the endings, and this is per word.
        if word.len() >= british.len() + min_stem
            && word.as_bytes().last() == british.as_bytes().last()
            && word.ends_with(british)
        {
            word.truncate(word.len() - british.len());
            word.push_str(american);
            return;
        }
    }
}

/// Calls `f` with each canonical word of a piece of title (see `canonical_words`), reusing one
/// buffer.
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut emit = |word: &mut String| {
        if !word.is_empty() {
            fold_spelling(word);
            f(word);
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        } else if matches!(c, '-' | '\'' | '\u{2019}' | '\u{2010}' | '\u{2011}') && !word.is_empty()
        {
            // Joined: the next letter continues the word.
        } else {
            emit(&mut word);
        }
    }
    emit(&mut word);
}

/// The canonical words of a piece of title: lowercase letters and digits; hyphens and
/// apostrophes inside a word joined (`Fine-tuning` -> `finetuning`); British spellings folded.
pub fn canonical_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(text, |w| words.push(w.to_owned()));
    words
}

/// Splits a title at its first subtitle mark: a colon, or a dash with spaces around it.
fn split_subtitle(title: &str) -> Option<(&str, &str)> {
    let colon = title.find(':').map(|i| (i, 1));
    let dash = [" - ", " \u{2013} ", " \u{2014} "]
        .iter()
        .filter_map(|d| title.find(d).map(|i| (i, d.len())))
        .min();
    let (at, len) = match (colon, dash) {
        (Some(c), Some(d)) => c.min(d),
        (c, d) => c.or(d)?,
    };
    Some((&title[..at], &title[at + len..]))
}

/// One way of reading a title: its canonical words, sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Body {
    words: Vec<String>,
    /// The whole title, not one side of its subtitle mark.
    whole: bool,
}

/// The bodies of a title: the whole title, then each side of a subtitle mark that has at least
/// `PART_MIN_WORDS` words.
fn bodies(title: &str) -> Vec<Body> {
    let sorted = |text: &str| {
        let mut words = canonical_words(text);
        words.sort_unstable();
        words
    };
    let mut out = vec![Body {
        words: sorted(title),
        whole: true,
    }];
    if let Some((head, tail)) = split_subtitle(title) {
        for part in [head, tail] {
            let words = sorted(part);
            if words.len() >= PART_MIN_WORDS {
                out.push(Body {
                    words,
                    whole: false,
                });
            }
        }
    }
    out
}

/// Whether two distinct words are one typo apart: one letter inserted, deleted or replaced, or
/// two neighbouring letters swapped; the longer has `TYPO_MIN_LETTERS` to `TYPO_MAX_LETTERS`
/// letters and neither has a digit.
fn one_typo(a: &str, b: &str) -> bool {
    if a == b || a.chars().chain(b.chars()).any(|c| c.is_numeric()) {
        return false;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if !(TYPO_MIN_LETTERS..=TYPO_MAX_LETTERS).contains(&long.len()) {
        return false;
    }
    let prefix = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    match long.len() - short.len() {
        0 => {
            let rest = |from: usize| short[from..] == long[from..];
            rest(prefix + 1)
                || (prefix + 1 < long.len()
                    && short[prefix] == long[prefix + 1]
                    && short[prefix + 1] == long[prefix]
                    && rest(prefix + 2))
        }
        1 => short[prefix..] == long[prefix + 1..],
        _ => false,
    }
}

/// Whether two bodies meet the definition: the same words except at most one, one typo apart.
fn bodies_match(a: &Body, b: &Body) -> bool {
    if !(a.whole || b.whole) || a.words.len() != b.words.len() || a.words.is_empty() {
        return false;
    }
    // The multiset difference of two sorted lists, given up at the second word on either side.
    let (mut i, mut j) = (0, 0);
    let (mut only_a, mut only_b): (Option<&String>, Option<&String>) = (None, None);
    loop {
        let (x, y) = (a.words.get(i), b.words.get(j));
        let (from_a, from_b) = match (x, y) {
            (None, None) => break,
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
                continue;
            }
            (Some(x), Some(y)) if x < y => (Some(x), None),
            (Some(_), Some(y)) | (None, Some(y)) => (None, Some(y)),
            (Some(x), None) => (Some(x), None),
        };
        if let Some(x) = from_a {
            if only_a.replace(x).is_some() {
                return false;
            }
            i += 1;
        }
        if let Some(y) = from_b {
            if only_b.replace(y).is_some() {
                return false;
            }
            j += 1;
        }
    }
    match (only_a, only_b) {
        (None, None) => true,
        (Some(x), Some(y)) => a.words.len() >= TYPO_MIN_WORDS && one_typo(x, y),
        _ => false,
    }
}

/// A title read for comparison once, to compare with many others (`near_identical` reads both
/// titles on every call).
#[derive(Clone, Debug)]
pub struct ReadTitle {
    normalized: String,
    bodies: Vec<Body>,
}

impl ReadTitle {
    /// Reads a title: its normalised form and its bodies.
    pub fn new(title: &str) -> Self {
        Self {
            normalized: normalize_title(title),
            bodies: bodies(title),
        }
    }

    /// Whether the two titles are near-identical (see `near_identical`).
    pub fn matches(&self, other: &Self) -> bool {
        self.normalized == other.normalized
            || self
                .bodies
                .iter()
                .any(|x| other.bodies.iter().any(|y| bodies_match(x, y)))
    }

    /// The title normalised as `duplicate-paper` compares it.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// How many canonical words the whole title has.
    pub fn word_count(&self) -> usize {
        self.bodies[0].words.len()
    }
}

/// Whether two titles are near-identical by the definition (module documentation), compared
/// directly. Titles equal once normalised count as near-identical here; `validate` reports those
/// as `duplicate-paper` instead.
pub fn near_identical(a: &str, b: &str) -> bool {
    ReadTitle::new(a).matches(&ReadTitle::new(b))
}

/// A fast fixed-key hasher (the multiply-rotate step of rustc's FxHash, with a final mix so
/// that sorted keys spread evenly): keys are the same in every run, so the search is
/// reproducible. Keys are only a filter: every match is checked against the definition.
#[derive(Clone, Copy, Default)]
pub(crate) struct Fx(u64);

impl Fx {
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(eight));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 56));
    }

    fn write_u8(&mut self, x: u8) {
        self.add(u64::from(x));
    }

    fn write_u32(&mut self, x: u32) {
        self.add(u64::from(x));
    }

    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }

    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }

    fn finish(&self) -> u64 {
        // MurmurHash3's finaliser.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// Builds `Fx` hashers.
#[derive(Clone, Copy, Default, Debug)]
pub(crate) struct FixedState;

impl BuildHasher for FixedState {
    type Hasher = Fx;

    fn build_hasher(&self) -> Fx {
        Fx::default()
    }
}

/// A hash map keyed with `Fx`.
pub(crate) type FxMap<K, V> = HashMap<K, V, FixedState>;

/// One index entry: a body with one word left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Posting {
    /// The hash of the body's other words (and their count).
    rest: u64,
    /// The title's index.
    title: u32,
    /// The left-out word, as an index into the index's words, and two flags in the top bits:
    /// `WHOLE` (the body is the whole title) and `TYPOS` (it has enough words for a typo to be
    /// forgiven). Sixteen bytes a posting keep the sort fast.
    word_flags: u32,
}

/// `Posting::word_flags`: the body is the whole title.
const WHOLE: u32 = 1 << 31;
/// `Posting::word_flags`: the body has `TYPO_MIN_WORDS` words or more.
const TYPOS: u32 = 1 << 30;

impl Posting {
    fn word(&self) -> u32 {
        self.word_flags & !(WHOLE | TYPOS)
    }

    fn whole(&self) -> bool {
        self.word_flags & WHOLE != 0
    }

    fn typos(&self) -> bool {
        self.word_flags & TYPOS != 0
    }
}

/// A word id mixed into 64 bits, for the multiset hashes of `RestHashes`.
fn mix(id: u32) -> u64 {
    let mut h = Fx::default();
    h.write_u32(id);
    h.finish()
}

/// The hashes of a body's words with one left out, each in constant time: the multiset hash of
/// the words is the sum of their mixed ids, and leaving a word out subtracts it. (A title of
/// thousands of words, which a hostile record may carry, costs linear time, not quadratic.)
struct RestHashes {
    sum: u64,
    len: u64,
}

impl RestHashes {
    fn new(ids: &[u32]) -> Self {
        Self {
            sum: ids.iter().fold(0u64, |s, &id| s.wrapping_add(mix(id))),
            len: ids.len() as u64,
        }
    }

    /// The key of the body with `id` (one of its words) left out.
    fn without(&self, id: u32) -> u64 {
        let mut h = Fx::default();
        h.write_u64(self.len);
        h.write_u64(self.sum.wrapping_sub(mix(id)));
        h.finish()
    }
}

/// The titles of a list, indexed once for near-identical matches: `clusters` for a whole list
/// (`validate`), `near` for one new title (`add`, `import`, `discover`).
#[derive(Debug)]
pub struct TitleIndex {
    /// Every distinct canonical word, by id.
    words: Vec<String>,
    ids: FxMap<String, u32>,
    /// Sorted by rest hash.
    postings: Vec<Posting>,
    /// For each title, the first earlier title with the same normalised title, if any.
    duplicate_of: Vec<Option<u32>>,
    /// The titles of each normalised title, in order.
    normalized: FxMap<String, Vec<u32>>,
    titles: Vec<String>,
}

impl TitleIndex {
    /// Indexes the titles; results refer to them by their position in `titles`.
    pub fn new<S: AsRef<str>>(titles: &[S]) -> Self {
        let mut index = Self {
            words: Vec::new(),
            ids: FxMap::default(),
            postings: Vec::with_capacity(titles.len() * 16),
            duplicate_of: Vec::with_capacity(titles.len()),
            normalized: FxMap::with_capacity_and_hasher(titles.len(), FixedState),
            titles: titles.iter().map(|t| t.as_ref().to_owned()).collect(),
        };
        let (mut head, mut tail, mut whole) = (Vec::new(), Vec::new(), Vec::new());
        for (i, title) in titles.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let title = title.as_ref();
            let same = index.normalized.entry(normalize_title(title)).or_default();
            index.duplicate_of.push(same.first().copied());
            same.push(i);
            // The whole title's words are those of its two sides.
            let (head_text, tail_text) = split_subtitle(title).unwrap_or((title, ""));
            head.clear();
            tail.clear();
            for_each_word(head_text, |w| head.push(index.intern(w)));
            for_each_word(tail_text, |w| tail.push(index.intern(w)));
            whole.clear();
            whole.extend_from_slice(&head);
            whole.extend_from_slice(&tail);
            index.add_body(i, &mut whole, true);
            if !tail_text.is_empty() {
                for part in [&mut head, &mut tail] {
                    if part.len() >= PART_MIN_WORDS {
                        index.add_body(i, part, false);
                    }
                }
            }
        }
        index.postings.sort_unstable();
        index.postings.dedup();
        index
    }

    /// Indexes one body of title `i` under each of its words left out.
    fn add_body(&mut self, i: u32, ids: &mut [u32], whole: bool) {
        ids.sort_unstable();
        let typos = ids.len() >= TYPO_MIN_WORDS;
        let rests = RestHashes::new(ids);
        for (k, &word) in ids.iter().enumerate() {
            // A repeated word gives the same key: one posting is enough.
            if k > 0 && ids[k - 1] == word {
                continue;
            }
            self.postings.push(Posting {
                rest: rests.without(word),
                title: i,
                word_flags: word | if whole { WHOLE } else { 0 } | if typos { TYPOS } else { 0 },
            });
        }
    }

    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        // Ids leave the top two bits to the posting flags: a list would need a billion distinct
        // words to reach them, and the count saturates rather than wraps.
        let id = u32::try_from(self.words.len())
            .unwrap_or(u32::MAX)
            .min(TYPOS - 1);
        self.words.push(word.to_owned());
        self.ids.insert(word.to_owned(), id);
        id
    }

    /// How many titles are indexed.
    pub fn len(&self) -> usize {
        self.titles.len()
    }

    /// Whether no title is indexed.
    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    /// The indexed titles near-identical to `title` (equal normalised titles included), by
    /// position, in order.
    pub fn near(&self, title: &str) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .normalized
            .get(&normalize_title(title))
            .map_or(Vec::new(), |same| {
                same.iter().map(|&i| i as usize).collect()
            });
        let read = ReadTitle::new(title);
        for body in bodies(title) {
            // Words by id, as the index sorts them; a word the index has never seen can only be
            // the left-out word of a match, and sorts last.
            let mut words: Vec<(u32, &str)> = body
                .words
                .iter()
                .map(|w| (self.ids.get(w).copied().unwrap_or(u32::MAX), w.as_str()))
                .collect();
            words.sort_unstable();
            let unknown = words.iter().filter(|w| w.0 == u32::MAX).count();
            if unknown > 1 {
                continue;
            }
            let ids: Vec<u32> = words.iter().map(|w| w.0).collect();
            let rests = RestHashes::new(&ids);
            for (k, &(id, word)) in words.iter().enumerate() {
                if unknown == 1 && id != u32::MAX || k > 0 && ids[k - 1] == id {
                    continue;
                }
                let rest = rests.without(id);
                let start = self.postings.partition_point(|p| p.rest < rest);
                for p in self.postings[start..].iter().take_while(|p| p.rest == rest) {
                    let other = &self.words[p.word() as usize];
                    let words_match = other == word
                        || body.words.len() >= TYPO_MIN_WORDS && one_typo(other, word);
                    if (body.whole || p.whole())
                        && words_match
                        && read.matches(&ReadTitle::new(&self.titles[p.title as usize]))
                    {
                        found.push(p.title as usize);
                    }
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The clusters of near-identical titles: each a sorted list of two or more positions, in
    /// order of their first. A title whose normalised form repeats an earlier one is left out
    /// (it is a duplicate, not a near-duplicate); the earlier one stands for it.
    pub fn clusters(&self) -> Vec<Vec<usize>> {
        let mut sets = UnionFind::new(self.titles.len());
        let postings = &self.postings;
        let mut start = 0;
        while start < postings.len() {
            let rest = postings[start].rest;
            let mut end = start + 1;
            while end < postings.len() && postings[end].rest == rest {
                end += 1;
            }
            let whole_group = &postings[start..end];
            start = end;
            if whole_group.iter().all(|p| p.title == whole_group[0].title) {
                continue;
            }
            let group: Vec<Posting> = whole_group
                .iter()
                .filter(|p| self.duplicate_of[p.title as usize].is_none())
                .copied()
                .collect();
            if group.len() <= 8 {
                for (a, p) in group.iter().enumerate() {
                    for q in &group[a + 1..] {
                        if self.postings_match(p, q) {
                            self.join(&mut sets, p.title, q.title);
                        }
                    }
                }
            } else {
                self.join_by_typo_keys(&mut sets, &group);
            }
        }
        sets.groups()
    }

    /// Whether two postings under one key are bodies within the definition.
    fn postings_match(&self, p: &Posting, q: &Posting) -> bool {
        p.title != q.title
            && (p.whole() || q.whole())
            && (p.word() == q.word()
                || p.typos()
                    && one_typo(
                        &self.words[p.word() as usize],
                        &self.words[q.word() as usize],
                    ))
    }

    /// Joins two titles' clusters, checking the pair against the definition first: the keys are
    /// hashes, and a collision must not join unrelated titles.
    fn join(&self, sets: &mut UnionFind, a: u32, b: u32) {
        if sets.find(a) != sets.find(b)
            && near_identical(&self.titles[a as usize], &self.titles[b as usize])
        {
            sets.union(a, b);
        }
    }

    /// Joins the matching members of a large group (all sharing the other words) without
    /// comparing all pairs: members meet under typo keys of their left-out words.
    fn join_by_typo_keys(&self, sets: &mut UnionFind, group: &[Posting]) {
        // (key, kind, member): `Exact` keys are the word; `Deleted` keys the word
        // with one letter deleted, which meet the `Exact` key of the shorter word. Wildcard and
        // swap keys are cliques: every two members are one typo apart.
        let mut keys: Vec<(u64, KeyKind, u32)> = Vec::new();
        for (m, p) in group.iter().enumerate() {
            let m = u32::try_from(m).unwrap_or(u32::MAX);
            let word: Vec<char> = self.words[p.word() as usize].chars().collect();
            keys.push((hash_chars(0, &word, usize::MAX, None), KeyKind::Exact, m));
            if !p.typos() || word.iter().any(|c| c.is_numeric()) {
                continue;
            }
            if (TYPO_MIN_LETTERS..=TYPO_MAX_LETTERS).contains(&word.len()) {
                for at in 0..word.len() {
                    if at > 0 && word[at] == word[at - 1] {
                        continue; // deleting either of two equal letters gives one word
                    }
                    keys.push((hash_chars(0, &word, at, None), KeyKind::Deleted, m));
                    keys.push((
                        hash_chars(1 + at as u64, &word, at, Some('*')),
                        KeyKind::Clique,
                        m,
                    ));
                    if at + 1 < word.len() && word[at] != word[at + 1] {
                        // The two letters in a fixed order: `form` and `from` meet.
                        let mut swapped = word.clone();
                        swapped[at] = word[at].min(word[at + 1]);
                        swapped[at + 1] = word[at].max(word[at + 1]);
                        keys.push((
                            hash_chars(u64::MAX - at as u64, &swapped, usize::MAX, None),
                            KeyKind::Clique,
                            m,
                        ));
                    }
                }
            }
        }
        keys.sort_unstable();
        let mut start = 0;
        while start < keys.len() {
            let key = keys[start].0;
            let end = start + keys[start..].partition_point(|k| k.0 == key);
            let members = &keys[start..end];
            start = end;
            if members.len() < 2 {
                continue;
            }
            let posting = |k: &(u64, KeyKind, u32)| group[k.2 as usize];
            // A hub every member may join: a whole-title member, preferring the word itself.
            let exact: Vec<Posting> = members
                .iter()
                .filter(|k| k.1 != KeyKind::Deleted)
                .map(posting)
                .collect();
            let deleted: Vec<Posting> = members
                .iter()
                .filter(|k| k.1 == KeyKind::Deleted)
                .map(posting)
                .collect();
            if let Some(hub) = exact.iter().find(|p| p.whole()) {
                for p in exact.iter().chain(&deleted) {
                    self.join(sets, hub.title, p.title);
                }
            } else if let Some(hub) = deleted.iter().find(|p| p.whole()) {
                // Parts of titles meet a whole title only.
                for p in &exact {
                    self.join(sets, hub.title, p.title);
                }
                if let Some(first) = exact.first() {
                    for p in deleted.iter().filter(|p| p.whole()) {
                        self.join(sets, first.title, p.title);
                    }
                }
            }
        }
    }
}

/// What a typo key stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum KeyKind {
    /// The word itself: members are the same word.
    Exact,
    /// A wildcard or swap key.
    Clique,
    /// The word with one letter deleted: a member is one typo from the `Exact` members.
    Deleted,
}

/// The hash of a word's letters, leaving out `skip` or putting `wildcard` in its place.
fn hash_chars(salt: u64, word: &[char], skip: usize, wildcard: Option<char>) -> u64 {
    let mut h = FixedState.build_hasher();
    h.write_u64(salt);
    for (i, c) in word.iter().enumerate() {
        if i == skip {
            if let Some(w) = wildcard {
                h.write_u32(u32::from(w) | 0x8000_0000);
            }
        } else {
            h.write_u32(u32::from(*c));
        }
    }
    h.finish()
}

/// Disjoint sets over title positions, with path halving and union by size.
struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n)
                .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
                .collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    /// The sets of two or more members, each sorted, in order of their first member.
    fn groups(&mut self) -> Vec<Vec<usize>> {
        let mut members: Vec<(u32, u32)> = Vec::new();
        for i in 0..self.parent.len() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let root = self.find(i);
            if self.size[root as usize] > 1 {
                members.push((root, i));
            }
        }
        members.sort_unstable();
        let mut out: Vec<Vec<usize>> = Vec::new();
        let mut last = None;
        for (root, i) in members {
            if last != Some(root) {
                out.push(Vec::new());
                last = Some(root);
            }
            if let Some(group) = out.last_mut() {
                group.push(i as usize);
            }
        }
        out.sort_unstable();
        out
    }

    fn union(&mut self, a: u32, b: u32) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
    }
}

/// The clusters of near-identical titles in a list (see `TitleIndex::clusters`).
pub fn clusters<S: AsRef<str>>(titles: &[S]) -> Vec<Vec<usize>> {
    TitleIndex::new(titles).clusters()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairs a reader calls the same title, each with the reason.
    pub(crate) const SAME: &[(&str, &str, &str)] = &[
        (
            "a one-letter typo in a short title",
            "Shadow Alignment against Harmful Fine-tuning",
            "Shadow Alignment aginst Harmful Fine-tuning",
        ),
        (
            "a doubled letter",
            "Unleashing the Unseen: Harnessing Benign Datasets for Jailbreaking Large Language Models",
            "Unleashing the Unseen: Harnessing Benign Datasets for Jailbreaking Large Language Modelss",
        ),
        (
            "two letters swapped",
            "Safety Tax: Safety Alignment Makes Your Large Reasoning Models Less Reasonable",
            "Safety Tax: Saftey Alignment Makes Your Large Reasoning Models Less Reasonable",
        ),
        (
            "a letter replaced",
            "Fine-tuning Aligned Language Models Compromises Safety",
            "Fine-tuning Aligned Language Modes Compromises Safety",
        ),
        (
            "word order",
            "Vaccine: Perturbation-aware Alignment for Large Language Models",
            "Alignment for Large Language Models Vaccine: Perturbation-aware",
        ),
        (
            "punctuation and casing",
            "What's in your \"safe\" data? Identifying benign data that breaks safety",
            "WHATS IN YOUR SAFE DATA: IDENTIFYING BENIGN DATA THAT BREAKS SAFETY",
        ),
        (
            "hyphenation",
            "Safety Alignment Should Be Made More Than Just a Few Tokens Deep for Fine-tuning",
            "Safety Alignment Should Be Made More Than Just a Few Tokens Deep for Finetuning",
        ),
        (
            "a subtitle present in one only",
            "Emergent Misalignment: Narrow finetuning can produce broadly misaligned LLMs",
            "Emergent Misalignment",
        ),
        (
            "a method name present in one only",
            "Booster: Tackling Harmful Fine-tuning for Large Language Models",
            "Tackling Harmful Fine-tuning for Large Language Models",
        ),
        (
            "British and American spelling",
            "Characterising the Behaviour of Defences against Harmful Fine-tuning",
            "Characterizing the Behavior of Defenses against Harmful Fine-tuning",
        ),
        (
            "towards and toward, modelling and modeling",
            "Towards Modelling Harmful Fine-tuning",
            "Toward Modeling Harmful Fine-tuning",
        ),
    ];

    /// Pairs a reader calls different titles, each with the reason.
    pub(crate) const DIFFERENT: &[(&str, &str, &str)] = &[
        (
            "the field's stock words only",
            "Safety Alignment for Large Language Models against Harmful Fine-tuning",
            "Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful Fine-tuning",
        ),
        (
            "one word added",
            "Attention Is All You Need",
            "Attention Is Not All You Need",
        ),
        (
            "one word replaced by another",
            "Safety Alignment for Large Language Models via Booster",
            "Safety Alignment for Large Language Models via Vaccine",
        ),
        (
            "a version number",
            "Fine-tuning Llama 2 Removes Safety Guardrails",
            "Fine-tuning Llama 3 Removes Safety Guardrails",
        ),
        (
            "same method name, different subtitles",
            "Vaccine: Perturbation-aware Alignment for Large Language Models",
            "Vaccine: A Benchmark of Harmful Fine-tuning Attacks",
        ),
        (
            "same description, different method names",
            "Lisa: Lazy Safety Alignment for Large Language Models",
            "Booster: Lazy Safety Alignment for Large Language Models",
        ),
        (
            "a typo in a two-word title",
            "Shadow Alignment",
            "Shadow Alignmint",
        ),
        (
            "two typos",
            "Shadow Alignment against Harmful Fine-tuning",
            "Shadow Alignmnet aginst Harmful Fine-tuning",
        ),
        (
            "a typo in a short word",
            "Attacks on Large Language Models",
            "Attacks of Large Language Models",
        ),
    ];

    #[test]
    fn pairs_a_reader_calls_the_same_are_near_identical() {
        for (why, a, b) in SAME {
            assert!(near_identical(a, b), "{why}: {a} / {b}");
            assert!(near_identical(b, a), "{why} (reversed)");
            assert_eq!(clusters(&[*a, *b]), [vec![0, 1]], "{why}: the index");
            assert_eq!(TitleIndex::new(&[*a]).near(b), [0], "{why}: a query");
        }
    }

    #[test]
    fn pairs_a_reader_calls_different_are_not() {
        for (why, a, b) in DIFFERENT {
            assert!(!near_identical(a, b), "{why}: {a} / {b}");
            assert!(clusters(&[*a, *b]).is_empty(), "{why}: the index");
            assert!(TitleIndex::new(&[*a]).near(b).is_empty(), "{why}: a query");
        }
    }

    #[test]
    fn the_examples_in_the_format_guide_hold() {
        let guide = include_str!("../../docs/format.md");
        let (mut reported, mut not) = (0, 0);
        for row in guide
            .lines()
            .filter(|l| l.starts_with("| reported |") || l.starts_with("| not reported |"))
        {
            let cells: Vec<&str> = row.split(" | ").collect();
            let title = |cell: &str| cell.trim().trim_matches('`').to_owned();
            let (a, b) = (title(cells[1]), title(cells[2]));
            let expected = row.starts_with("| reported |");
            assert_eq!(near_identical(&a, &b), expected, "{row}");
            assert_eq!(clusters(&[&a, &b]).len(), usize::from(expected), "{row}");
            if expected {
                reported += 1;
            } else {
                not += 1;
            }
        }
        assert!(
            reported >= 9 && not >= 9,
            "the table has {reported} and {not} rows"
        );
    }

    #[test]
    fn typos_are_one_edit_in_a_word_of_four_letters_without_digits() {
        assert!(one_typo("against", "aginst"));
        assert!(one_typo("models", "modelss"));
        assert!(one_typo("safety", "saftey"));
        assert!(one_typo("data", "date"));
        assert!(!one_typo("data", "data"));
        assert!(!one_typo("on", "of"));
        assert!(!one_typo("gpt4", "gpt5"));
        assert!(!one_typo("safety", "sfaety2"));
        assert!(!one_typo("booster", "vaccine"));
        assert!(!one_typo("alignment", "alignmnte"));
    }

    #[test]
    fn spelling_folds_british_to_american_and_leaves_other_words() {
        let fold = |w: &str| {
            let mut w = w.to_owned();
            fold_spelling(&mut w);
            w
        };
        assert_eq!(fold("optimisation"), "optimization");
        assert_eq!(fold("behaviour"), "behavior");
        assert_eq!(fold("analyse"), "analyze");
        assert_eq!(fold("centre"), "center");
        assert_eq!(fold("labelled"), "labeled");
        assert_eq!(fold("catalogue"), "catalog");
        assert_eq!(fold("four"), "four");
        assert_eq!(fold("your"), "your");
        assert_eq!(fold("safety"), "safety");
        assert_eq!(
            canonical_words("Fine-tuning LLMs' Safety"),
            ["finetuning", "llms", "safety"]
        );
    }

    #[test]
    fn a_cluster_comes_out_once_and_duplicates_are_left_to_their_rule() {
        let titles = [
            "Shadow Alignment against Harmful Fine-tuning",
            "An Unrelated Benchmark of Something Else",
            "Shadow Alignment aginst Harmful Fine-tuning",
            "shadow alignment against harmful fine tuning",
            "Harmful Fine-tuning against Shadow Alignment",
        ];
        assert_eq!(clusters(&titles), [vec![0, 2, 4]]);
        assert_eq!(
            TitleIndex::new(&titles).near("Shadow Alignment agianst Harmful Fine-tuning"),
            [0, 2, 4]
        );
        assert_eq!(
            TitleIndex::new(&titles).near("Shadow Alignment against Harmful Fine-Tuning!"),
            [0, 2, 3, 4],
            "equal normalised titles are near"
        );
    }

    #[test]
    fn a_large_group_is_joined_by_typo_keys_as_pairs_would_be() {
        // Twenty titles sharing nine words; the tenth word is a typo of `guardrail` in a few
        // and an unrelated word in the rest: only the typos and their source form a cluster.
        let base = "fine tuning removes the safety of large language models";
        let mut titles: Vec<String> = vec![format!("{base} guardrail")];
        for typo in [
            "guardrial",
            "guardrails",
            "gaurdrail",
            "guardail",
            "guardrall",
        ] {
            titles.push(format!("{base} {typo}"));
        }
        for other in [
            "vaccine", "booster", "antidote", "lisa", "salora", "shield", "sentinel", "barrier",
            "fence", "wall", "gate", "moat", "lock", "door",
        ] {
            titles.push(format!("{base} {other}"));
        }
        // Parts alone never meet parts: a head shared by many titles links nothing.
        for other in [
            "apples", "bridges", "cactus", "dolphin", "engines", "forests", "glacier", "harbors",
        ] {
            titles.push(format!("Shared Method Name: about {other} things"));
        }
        let found = clusters(&titles);
        assert_eq!(found, [vec![0, 1, 2, 3, 4, 5]]);
        assert_eq!(found, brute_force(&titles));
    }

    /// Clusters by comparing every pair with `near_identical`, leaving out later duplicates.
    pub(crate) fn brute_force<S: AsRef<str>>(titles: &[S]) -> Vec<Vec<usize>> {
        let mut seen = std::collections::HashSet::new();
        let keep: Vec<bool> = titles
            .iter()
            .map(|t| seen.insert(normalize_title(t.as_ref())))
            .collect();
        let mut sets = UnionFind::new(titles.len());
        for i in 0..titles.len() {
            for j in i + 1..titles.len() {
                if keep[i] && keep[j] && near_identical(titles[i].as_ref(), titles[j].as_ref()) {
                    sets.union(i as u32, j as u32);
                }
            }
        }
        let mut groups: HashMap<u32, Vec<usize>> = HashMap::new();
        for i in 0..titles.len() {
            groups.entry(sets.find(i as u32)).or_default().push(i);
        }
        let mut out: Vec<Vec<usize>> = groups.into_values().filter(|c| c.len() > 1).collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn hostile_titles_cost_linear_time() {
        // Twenty thousand words in a title, a word of a hundred thousand letters: each would
        // take minutes if any step were quadratic in the title or the word.
        let many: String = (0..20_000).map(|i| format!("w{i} ")).collect();
        let giant = "a".repeat(100_000);
        let titles = [
            many.clone(),
            format!("{many} extra"),
            format!("one two {giant}"),
            format!("one two {giant}b"),
        ];
        let started = std::time::Instant::now();
        assert!(clusters(&titles).is_empty());
        assert!(
            TitleIndex::new(&titles)
                .near(&format!("{many}x"))
                .is_empty()
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }
}
