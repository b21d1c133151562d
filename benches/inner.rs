//! Criterion benchmarks of the inner functions the whole-process figures depend on:
//! `cargo bench --bench inner`. Whole-process timings are in `benches/run.sh`.
#![allow(clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use hftlist::store::db::{Db, Entry, Spans};

fn synthetic(n: usize) -> Db {
    let real = Db::load(Path::new("papers")).expect("papers/ loads");
    let titles: Vec<String> = real.entries.iter().map(|e| e.paper.title.clone()).collect();
    let synth = hftlist::synth::generate(n, n / 1000, &titles, &real.list, 1).expect("generates");
    let entries: Vec<Entry> = synth
        .papers
        .into_iter()
        .map(|(id, paper)| Entry {
            path: format!("db/{id}.yaml").into(),
            id,
            paper,
            spans: Spans::default(),
        })
        .collect();
    Db {
        list: real.list,
        files: entries.len(),
        entries,
        diagnostics: Vec::new(),
    }
}

fn benches(c: &mut Criterion) {
    let record = std::fs::read_to_string("papers/vaccine.yaml").expect("a record");
    c.bench_function("parse_record", |b| {
        b.iter(|| hftlist::store::db::parse_record(Path::new("x.yaml"), black_box(&record)))
    });

    let real = std::sync::Arc::new(
        hftlist::catalog::Catalog::load(Path::new("papers")).expect("papers/ loads"),
    );
    let today = jiff::civil::date(2026, 11, 30);
    c.bench_function("lint::check (papers/)", |b| {
        b.iter(|| hftlist::checks::lint::check(black_box(&real), today))
    });
    let template = std::fs::read_to_string("papers/README.template.md").expect("the template");
    c.bench_function("render (papers/)", |b| {
        b.iter(|| {
            hftlist::views::render::render(
                black_box(&real),
                &template,
                hftlist::views::render::Options::default(),
            )
        })
    });

    for n in [10_000, 100_000] {
        let db = std::sync::Arc::new(hftlist::catalog::Catalog::new(synthetic(n)));
        let titles: Vec<&str> = db
            .db()
            .entries
            .iter()
            .map(|e| e.paper.title.as_str())
            .collect();
        let mut group = c.benchmark_group(format!("{n} papers"));
        group.sample_size(10);
        group.bench_function("clusters", |b| {
            b.iter(|| hftlist::checks::lint::clusters(black_box(&titles)))
        });
        group.bench_function("lint::check", |b| {
            b.iter(|| hftlist::checks::lint::check(black_box(&db), today))
        });
        group.bench_function("render", |b| {
            b.iter(|| {
                hftlist::views::render::render(
                    black_box(&db),
                    &template,
                    hftlist::views::render::Options::default(),
                )
            })
        });
        group.finish();
    }
}

criterion_group!(inner, benches);
criterion_main!(inner);
