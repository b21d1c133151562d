//! The near-duplicate detector on synthetic databases: it finds every planted near-duplicate,
//! agrees with comparing every pair at 10,000 hostile titles, and flags no unrelated record.
//! (Timings live in benches/, never in tests.)

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use hftlist::checks::lint::ReadTitle;
use hftlist::model::diag::Rule;
use hftlist::store::db::{Db, Entry, Spans};
use hftlist::synth::{Shape, Synthetic};

fn synthetic(shape: Shape, count: usize, planted: usize, seed: u64) -> (Synthetic, Db) {
    let real = Db::load(Path::new("papers")).unwrap();
    let titles: Vec<String> = real.entries.iter().map(|e| e.paper.title.clone()).collect();
    let synthetic =
        hftlist::synth::generate_shape(shape, count, planted, &titles, &real.list, seed).unwrap();
    assert_eq!(synthetic.planted.len(), planted, "every copy planted");
    let entries: Vec<Entry> = synthetic
        .papers
        .iter()
        .map(|(id, paper)| Entry {
            id: id.clone(),
            path: format!("db/{id}.yaml").into(),
            paper: paper.clone(),
            spans: Spans::default(),
        })
        .collect();
    let db = Db {
        list: real.list,
        files: entries.len(),
        entries,
        diagnostics: Vec::new(),
    };
    (synthetic, db)
}

/// The files a diagnostic names: its own and those in backticks in its message.
fn named_ids(d: &hftlist::model::diag::Diagnostic) -> BTreeSet<String> {
    let stem = |p: &str| {
        p.trim_start_matches("db/")
            .trim_end_matches(".yaml")
            .to_owned()
    };
    let mut ids: BTreeSet<String> = d.message.split('`').skip(1).step_by(2).map(stem).collect();
    ids.insert(stem(&d.file.display().to_string()));
    ids
}

#[test]
fn validate_reports_exactly_the_planted_near_duplicates() {
    let (synthetic, db) = synthetic(Shape::Realistic, 3000, 40, 7);
    let diagnostics = hftlist::checks::lint::check(
        &hftlist::catalog::Catalog::new(db),
        jiff::civil::date(2030, 1, 1),
    );
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == hftlist::model::diag::Severity::Error)
        .map(|d| d.human())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let found: BTreeSet<BTreeSet<String>> = diagnostics
        .iter()
        .filter(|d| d.rule == Rule::SimilarTitle)
        .map(named_ids)
        .collect();
    let planted: BTreeSet<BTreeSet<String>> = synthetic
        .planted
        .iter()
        .map(|(a, b)| [a.to_string(), b.to_string()].into())
        .collect();
    assert_eq!(found, planted);
    let others: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.rule == Rule::SharedIdentity)
        .map(|d| d.human())
        .collect();
    assert!(others.is_empty(), "{}", others.join("\n"));
}

/// Clusters by comparing every pair of titles, later duplicates left out, on two threads.
fn brute_force(titles: &[&str]) -> Vec<Vec<usize>> {
    let read: Vec<ReadTitle> = titles.iter().map(|t| ReadTitle::new(t)).collect();
    let mut seen = HashSet::new();
    let keep: Vec<bool> = read
        .iter()
        .map(|r| seen.insert(r.normalized().to_owned()))
        .collect();
    let pairs: Vec<(usize, usize)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let (read, keep) = (&read, &keep);
                scope.spawn(move || {
                    let mut pairs = Vec::new();
                    for i in (w..read.len()).step_by(2) {
                        for j in i + 1..read.len() {
                            if keep[i] && keep[j] && read[i].matches(&read[j]) {
                                pairs.push((i, j));
                            }
                        }
                    }
                    pairs
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    // Connected components of the pairs.
    let mut parent: Vec<usize> = (0..titles.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            x = parent[x];
        }
        x
    }
    for (a, b) in pairs {
        let (a, b) = (find(&mut parent, a), find(&mut parent, b));
        parent[a.max(b)] = a.min(b);
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..titles.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    out.sort_unstable();
    out
}

fn agrees_with_brute_force(shape: Shape, count: usize, planted: usize, seed: u64) {
    let (synthetic, db) = synthetic(shape, count, planted, seed);
    let titles: Vec<&str> = db.entries.iter().map(|e| e.paper.title.as_str()).collect();
    let found = hftlist::checks::lint::clusters(&titles);
    assert_eq!(
        found,
        brute_force(&titles),
        "the index and every pair agree"
    );
    // Recall of the planted pairs: each source and its copy in one cluster.
    let position: HashMap<String, usize> = db
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.to_string(), i))
        .collect();
    let cluster_of: HashMap<usize, usize> = found
        .iter()
        .enumerate()
        .flat_map(|(c, members)| members.iter().map(move |&m| (m, c)))
        .collect();
    for (source, copy) in &synthetic.planted {
        let (a, b) = (position[source.as_str()], position[copy.as_str()]);
        assert!(
            cluster_of.contains_key(&a) && cluster_of.get(&a) == cluster_of.get(&b),
            "planted pair {source} / {copy} not found: {:?} / {:?}",
            titles[a],
            titles[b]
        );
    }
}

#[test]
fn every_planted_typo_is_found_among_10000_hostile_titles_as_by_brute_force() {
    agrees_with_brute_force(Shape::Hostile, 10_000, 100, 11);
}

#[test]
fn a_cluster_of_titles_sharing_all_but_one_word_is_searched_exactly() {
    agrees_with_brute_force(Shape::Cluster, 3_000, 30, 5);
}
