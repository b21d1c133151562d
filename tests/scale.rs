//! The near-duplicate detector at small scale on a synthetic database: it finds every planted
//! near-duplicate and flags no unrelated pair. (Timings live in benches/, never in tests.)

use std::collections::BTreeSet;
use std::path::Path;

use hftlist::model::diag::Rule;
use hftlist::store::db::{Db, Entry, Spans};

#[test]
fn the_detector_finds_exactly_the_planted_near_duplicates() {
    let real = Db::load(Path::new("papers")).unwrap();
    let titles: Vec<String> = real.entries.iter().map(|e| e.paper.title.clone()).collect();
    let synthetic = hftlist::synth::generate(3000, 40, &titles, &real.list, 7).unwrap();
    assert!(
        synthetic.planted.len() >= 30,
        "only {} planted",
        synthetic.planted.len()
    );
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
    let found: BTreeSet<(String, String)> = diagnostics
        .iter()
        .filter(|d| d.rule == Rule::SimilarTitle)
        .map(|d| {
            let copy = d.file.file_stem().unwrap().to_string_lossy().into_owned();
            let original = d
                .message
                .split('`')
                .nth(1)
                .unwrap()
                .trim_start_matches("db/")
                .trim_end_matches(".yaml")
                .to_owned();
            (original, copy)
        })
        .collect();
    let planted: BTreeSet<(String, String)> = synthetic
        .planted
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(found, planted);
}
