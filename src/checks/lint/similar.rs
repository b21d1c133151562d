//! Near-identical titles without comparing all pairs.
//!
//! Titles become sets of normalised words; two titles are near-identical when the Jaccard
//! similarity of their sets reaches `THRESHOLD`. Prefix filtering (Bayardo et al., "Scaling up
//! all pairs similarity search", WWW 2007) finds every such pair while looking only at pairs that
//! share one of their rarest words: with words sorted from rarest to commonest, two sets with
//! Jaccard >= t must share a word among the first `n - ceil(t * n) + 1` of each. PPJoin's size
//! and positional filters (Xiao et al., WWW 2008) drop most of those candidates before they are
//! compared. Rare words have short posting lists, so the cost grows about linearly with the
//! number of titles; a unit test checks the result against comparing every pair.

use std::collections::HashMap;

use crate::model::paper::normalize_title;

/// Jaccard similarity from which two titles are reported.
pub(crate) const THRESHOLD: f64 = 0.8;

/// Pairs `(earlier, later, similarity)` of indices into `titles` whose word sets are
/// near-identical, excluding pairs whose normalised titles are equal (those are duplicates).
pub fn similar_pairs(titles: &[&str]) -> Vec<(usize, usize, f64)> {
    let normalized: Vec<String> = titles.iter().map(|t| normalize_title(t)).collect();
    // Words become numbers ranked from rarest to commonest, so a set sorted by number starts
    // with its rarest words, and comparing two sets is a merge of two short integer lists.
    let mut frequency: HashMap<&str, u32> = HashMap::new();
    let word_sets: Vec<Vec<&str>> = normalized
        .iter()
        .map(|n| {
            let mut words: Vec<&str> = n.split(' ').filter(|w| !w.is_empty()).collect();
            words.sort_unstable();
            words.dedup();
            for w in &words {
                *frequency.entry(w).or_default() += 1;
            }
            words
        })
        .collect();
    let mut ranked: Vec<(&str, u32)> = frequency.into_iter().collect();
    ranked.sort_unstable_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    let rank: HashMap<&str, u32> = ranked
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let sets: Vec<Vec<u32>> = word_sets
        .iter()
        .map(|words| {
            let mut set: Vec<u32> = words.iter().map(|w| rank[w]).collect();
            set.sort_unstable();
            set
        })
        .collect();
    // PPJoin (Xiao et al., "Efficient similarity joins for near duplicate detection", WWW 2008):
    // records in order of size, so each is compared only with smaller or equal ones; an index of
    // each record's shorter "mid-prefix"; and a positional bound that drops a candidate as soon
    // as the words left cannot reach the overlap the threshold needs.
    let mut order: Vec<usize> = (0..sets.len()).filter(|&i| !sets[i].is_empty()).collect();
    order.sort_by_key(|&i| (sets[i].len(), i));
    // Per word: (record, position of the word in that record), in order of record size.
    let mut postings: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    // Overlap seen so far with each candidate (-1: pruned), and which entries to reset.
    let mut overlap: Vec<i64> = vec![0; sets.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut pairs = Vec::new();
    for &i in &order {
        let x = &sets[i];
        let n = x.len();
        // Size filter: |y| <= |x| here, and Jaccard >= t needs |y| >= t·|x|. Lists are in order
        // of size, so the records too small to matter are a prefix of each list.
        let min_size = (THRESHOLD * n as f64 - 1e-9).ceil() as usize;
        for (pos, word) in x[..probe_prefix_len(n)].iter().enumerate() {
            let Some(list) = postings.get(word) else {
                continue;
            };
            let start = list.partition_point(|&(j, _)| sets[j as usize].len() < min_size);
            for &(j, pos_j) in &list[start..] {
                let y_len = sets[j as usize].len();
                let seen = &mut overlap[j as usize];
                if *seen < 0 {
                    continue;
                }
                if *seen == 0 {
                    touched.push(j);
                }
                let rest = (n - pos - 1).min(y_len - pos_j as usize - 1) as i64;
                if *seen + 1 + rest >= required_overlap(n, y_len) as i64 {
                    *seen += 1;
                } else {
                    // Even matching every word left would not reach the threshold.
                    *seen = -1;
                }
            }
        }
        for &j in &touched {
            let j = j as usize;
            let seen = std::mem::take(&mut overlap[j]);
            if seen <= 0 || normalized[i] == normalized[j] {
                continue;
            }
            let similarity = jaccard(x, &sets[j]);
            if similarity >= THRESHOLD {
                pairs.push((i.min(j), i.max(j), similarity));
            }
        }
        touched.clear();
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        for (pos, word) in x[..index_prefix_len(n)].iter().enumerate() {
            let pos = u32::try_from(pos).unwrap_or(u32::MAX);
            postings.entry(*word).or_default().push((index, pos));
        }
    }
    pairs.sort_unstable_by_key(|p| (p.0, p.1));
    pairs
}

/// The overlap two sets of sizes `a` and `b` need for Jaccard >= t: t/(1+t)·(a+b).
fn required_overlap(a: usize, b: usize) -> usize {
    (THRESHOLD / (1.0 + THRESHOLD) * (a + b) as f64 - 1e-9).ceil() as usize
}

/// How many of its rarest words a record is probed with: n - ceil(t·n) + 1.
fn probe_prefix_len(n: usize) -> usize {
    prefix_len(n)
}

/// How many of its rarest words a record is indexed under, when only records at least as large
/// probe it: n - ceil(2t/(1+t)·n) + 1.
fn index_prefix_len(n: usize) -> usize {
    let needed = (2.0 * THRESHOLD / (1.0 + THRESHOLD) * n as f64 - 1e-9).ceil() as usize;
    (n + 1).saturating_sub(needed).clamp(1, n)
}

fn prefix_len(n: usize) -> usize {
    let needed = (THRESHOLD * n as f64 - 1e-9).ceil() as usize;
    (n + 1).saturating_sub(needed).clamp(1, n)
}

/// Jaccard similarity of two sorted sets of word numbers.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f64 / (a.len() + b.len() - shared) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: every pair, compared directly.
    fn all_pairs(titles: &[&str]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for i in 0..titles.len() {
            for j in 0..i {
                let (a, b) = (normalize_title(titles[i]), normalize_title(titles[j]));
                if a == b {
                    continue;
                }
                let set = |s: &str| {
                    let mut v: Vec<String> = s
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_owned)
                        .collect();
                    v.sort();
                    v.dedup();
                    v
                };
                let (sa, sb) = (set(&a), set(&b));
                let shared = sa.iter().filter(|w| sb.contains(w)).count();
                let total = sa.len() + sb.len() - shared;
                if total > 0 && shared as f64 / total as f64 >= THRESHOLD {
                    out.push((j, i));
                }
            }
        }
        out
    }

    #[test]
    fn finds_typos_and_reorderings_but_not_related_titles() {
        let titles = [
            "Unleashing the Unseen: Harnessing Benign Datasets for Jailbreaking Large Language Models",
            "Vaccine: Perturbation-aware Alignment for Large Language Models",
            "Unleashing the Unseen: Harnessing Benign Datasets for Jailbreaking Large Language Modelss",
            "Targeted Vaccine: Safety Alignment for Large Language Models",
            "Vaccine: Perturbation-aware alignment for large language models",
            "Alignment for Large Language Models Vaccine: Perturbation-aware",
        ];
        let found: Vec<(usize, usize)> = similar_pairs(&titles)
            .iter()
            .map(|&(a, b, _)| (a, b))
            .collect();
        assert_eq!(found, [(0, 2), (1, 5), (4, 5)]);
        assert_eq!(found, all_pairs(&titles));
    }

    #[test]
    fn agrees_with_all_pairs_on_generated_titles() {
        for (count, vocabulary, seed) in [(300, 12, 7u64), (500, 16, 11), (600, 8, 3)] {
            agrees_with_all_pairs(count, vocabulary, seed);
        }
    }

    fn agrees_with_all_pairs(count: usize, vocabulary: usize, mut seed: u64) {
        let words: Vec<String> = (0..vocabulary).map(|i| format!("w{i}")).collect();
        let mut titles = Vec::new();
        for _ in 0..count {
            let mut t = Vec::new();
            for _ in 0..(3 + seed % 9) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                t.push(words[(seed >> 33) as usize % words.len()].as_str());
            }
            titles.push(t.join(" "));
        }
        let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
        let mut found: Vec<(usize, usize)> = similar_pairs(&refs)
            .iter()
            .map(|&(a, b, _)| (a, b))
            .collect();
        found.sort_unstable();
        let mut expected = all_pairs(&refs);
        expected.sort_unstable();
        assert!(!expected.is_empty(), "the case has similar pairs to find");
        assert_eq!(found, expected);
    }
}
