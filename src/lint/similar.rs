//! Near-identical titles without comparing all pairs.
//!
//! Titles become sets of normalised words; two titles are near-identical when the Jaccard
//! similarity of their sets reaches `THRESHOLD`. Prefix filtering (Bayardo et al., "Scaling up
//! all pairs similarity search", WWW 2007) finds every such pair while looking only at pairs that
//! share one of their rarest words: with words sorted from rarest to commonest, two sets with
//! Jaccard >= t must share a word among the first `n - ceil(t * n) + 1` of each. Rare words have
//! short posting lists, so the cost grows about linearly with the number of titles.

use std::collections::HashMap;

use crate::paper::normalize_title;

/// Jaccard similarity from which two titles are reported.
pub(crate) const THRESHOLD: f64 = 0.8;

/// Pairs `(earlier, later, similarity)` of indices into `titles` whose word sets are
/// near-identical, excluding pairs whose normalised titles are equal (those are duplicates).
pub fn similar_pairs(titles: &[&str]) -> Vec<(usize, usize, f64)> {
    let normalized: Vec<String> = titles.iter().map(|t| normalize_title(t)).collect();
    let mut sets: Vec<Vec<&str>> = normalized
        .iter()
        .map(|n| {
            let mut words: Vec<&str> = n.split(' ').filter(|w| !w.is_empty()).collect();
            words.sort_unstable();
            words.dedup();
            words
        })
        .collect();
    let mut frequency: HashMap<&str, u32> = HashMap::new();
    for set in &sets {
        for word in set {
            *frequency.entry(word).or_default() += 1;
        }
    }
    for set in &mut sets {
        set.sort_by_key(|w| (frequency[w], *w));
    }
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut pairs = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        if set.is_empty() {
            continue;
        }
        let prefix = prefix_len(set.len());
        candidates.clear();
        for word in &set[..prefix] {
            if let Some(list) = postings.get(word) {
                candidates.extend(list);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for &j in &candidates {
            if normalized[i] == normalized[j] {
                continue;
            }
            let similarity = jaccard(&sets[i], &sets[j]);
            if similarity >= THRESHOLD {
                pairs.push((j, i, similarity));
            }
        }
        for word in &set[..prefix] {
            postings.entry(word).or_default().push(i);
        }
    }
    pairs
}

fn prefix_len(n: usize) -> usize {
    let needed = (THRESHOLD * n as f64).ceil() as usize;
    (n + 1).saturating_sub(needed).clamp(1, n)
}

fn jaccard(a: &[&str], b: &[&str]) -> f64 {
    let shared = a.iter().filter(|w| b.contains(w)).count();
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
        let words = [
            "safety",
            "alignment",
            "fine",
            "tuning",
            "attack",
            "defense",
            "llm",
            "harmful",
            "data",
            "model",
            "robust",
            "via",
        ];
        let mut titles = Vec::new();
        let mut seed = 7u64;
        for _ in 0..300 {
            let mut t = Vec::new();
            for _ in 0..(3 + seed % 6) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                t.push(words[(seed >> 33) as usize % words.len()]);
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
        assert_eq!(found, expected);
    }
}
