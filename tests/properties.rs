use std::collections::HashMap;
use std::path::Path;

use hftlist::catalog::query::{Query, YearRange};
use hftlist::import::{Importer, Outcome};
use hftlist::model::date::PartialDate;
use hftlist::model::ident::PaperId;
use hftlist::model::paper::{Kind, Paper, Stage};
use hftlist::store::db::{Db, Entry, Spans};
use proptest::prelude::*;

fn date() -> impl Strategy<Value = PartialDate> {
    (2015i16..2027, 0i8..=12, 0i8..=28).prop_map(|(y, m, d)| match (m, d) {
        (0, _) => format!("{y}").parse().unwrap(),
        (m, 0) => PartialDate::from_ym(y, m).unwrap(),
        (m, d) => PartialDate::from_ymd(y, m, d).unwrap(),
    })
}

/// Text as people write it, hostile characters included, without blank-only values.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(
        "[A-Za-z0-9 :,.'!?&()\\-\"#*_<>\\[\\]|`~/\\\\éü–—]{{1,{max}}}"
    ))
    .unwrap()
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

/// Like `text`, but with single spaces and no padding, as a rendered README keeps it.
fn folded(max: usize) -> impl Strategy<Value = String> {
    text(max)
        .prop_map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .prop_filter("not empty", |s| !s.is_empty())
}

fn url(host: &'static str) -> impl Strategy<Value = hftlist::model::link::Url> {
    proptest::string::string_regex("[a-z0-9_-]{1,12}(/[a-z0-9_.-]{1,8}){0,2}")
        .unwrap()
        .prop_map(move |p| format!("https://{host}/{p}").parse().unwrap())
}

fn kind_and_stage() -> impl Strategy<Value = (Kind, Option<Stage>)> {
    prop_oneof![
        Just((Kind::Attack, None)),
        Just((Kind::Analysis, None)),
        Just((Kind::Benchmark, None)),
        Just((Kind::Survey, None)),
        proptest::sample::select(Stage::ALL.to_vec()).prop_map(|s| (Kind::Defense, Some(s))),
    ]
}

const VENUES: &[&str] = &[
    "NeurIPS 2024",
    "ICLR 2025 Oral",
    "ACL 2024 Findings",
    "TMLR 2025",
    "ICML 2025 Workshop TAIG",
];

/// A record with every field drawn, in the forms `add` and `import` write.
fn paper(
    title: impl Strategy<Value = String>,
    note: impl Strategy<Value = String>,
) -> impl Strategy<Value = Paper> {
    (
        (
            title,
            kind_and_stage(),
            date(),
            proptest::option::of(proptest::sample::select(VENUES)),
        ),
        (
            proptest::collection::vec(folded(30), 0..4),
            proptest::option::of((2001u32..2512, 1u32..99_999)),
            proptest::option::of("10\\.[0-9]{4,5}/[a-z0-9.-]{1,12}"),
            proptest::option::of("[A-Za-z0-9_-]{10}"),
        ),
        (
            proptest::option::of(url("example.org")),
            proptest::option::of(url("github.com")),
            proptest::option::of(url("project.example.net")),
            proptest::collection::vec("[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5})?", 0..3),
            proptest::option::of(note),
        ),
    )
        .prop_map(
            |(
                (title, (kind, stage), date, venue),
                (authors, arxiv, doi, openreview),
                (paper, code, project, tags, note),
            )| {
                let arxiv = arxiv.and_then(|(yymm, n)| {
                    let month = yymm % 100;
                    (1..=12)
                        .contains(&month)
                        .then(|| format!("{yymm:04}.{n:05}").parse().unwrap())
                });
                let mut tags: Vec<hftlist::model::ident::Tag> =
                    tags.iter().map(|t| t.parse().unwrap()).collect();
                tags.sort();
                tags.dedup();
                Paper {
                    title,
                    kind,
                    stage,
                    date,
                    venue: venue.map(str::to_owned),
                    authors,
                    arxiv,
                    doi: doi.map(|d| d.parse().unwrap()),
                    openreview: openreview.map(|o| o.parse().unwrap()),
                    paper,
                    code,
                    project,
                    tags,
                    note,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any valid record survives save then load unchanged, and saving again gives the same bytes.
    #[test]
    fn save_then_load_is_the_identity(p in paper(text(120), text(60))) {
        let text = hftlist::store::db::to_yaml(&p).unwrap();
        let (loaded, _, diagnostics) = hftlist::store::db::parse_record(Path::new("x.yaml"), &text);
        prop_assert!(diagnostics.is_empty(), "{diagnostics:?}\n{text}");
        let loaded = loaded.unwrap();
        prop_assert_eq!(&loaded, &p);
        prop_assert_eq!(hftlist::store::db::to_yaml(&loaded).unwrap(), text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// The fast path for canonical records reads every file exactly as serde-saphyr does: the
    /// same paper, the same positions, the same diagnostics.
    #[test]
    fn the_fast_path_agrees_with_the_yaml_parser(p in paper(prop_oneof![text(200), "[A-Za-z0-9 ().,:/_+=$^-]{1,200}".prop_filter("x", |s| !s.trim().is_empty())], text(60)), extra in "[a-z:\\- \"]{0,12}") {
        let text = hftlist::store::db::to_yaml(&p).unwrap();
        let path = Path::new("x.yaml");
        prop_assert_eq!(hftlist::store::db::parse_record(path, &text), hftlist::store::db::parse_record_full(path, &text));
        // And on files that are not quite canonical.
        for variant in [format!("{text}{extra}\n"), text.replacen('\n', &format!("\n{extra}"), 1), text.replace("- ", "-  ")] {
            prop_assert_eq!(hftlist::store::db::parse_record(path, &variant), hftlist::store::db::parse_record_full(path, &variant), "{}", variant);
        }
    }
}

/// Found by the `record_loader` fuzz target: a NUL byte in a plain value, which the fast path
/// read as text where serde-saphyr refuses it.
#[test]
fn the_fast_path_leaves_control_characters_to_the_yaml_parser() {
    let path = Path::new("x.yaml");
    for text in [
        "title: A\nkind: a\u{0}b\n",
        "title: A\u{7f}\nkind: attack\ndate: \"2024\"\n",
        "title: \"A\u{1b}\"\n",
    ] {
        let full = hftlist::store::db::parse_record_full(path, text);
        assert_eq!(
            hftlist::store::db::parse_record(path, text),
            full,
            "{text:?}"
        );
    }
    let (_, _, diagnostics) = hftlist::store::db::parse_record(path, "title: A\nkind: a\u{0}b\n");
    assert_eq!(diagnostics[0].rule, hftlist::model::diag::Rule::YamlSyntax);
}

#[test]
fn the_fast_path_agrees_on_every_bundled_record() {
    for entry in std::fs::read_dir("papers").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") && !path.ends_with("list.yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(
                hftlist::store::db::parse_record(&path, &text),
                hftlist::store::db::parse_record_full(&path, &text),
                "{}",
                path.display()
            );
        }
    }
}

fn list() -> hftlist::model::list::List {
    hftlist::store::db::load_list(Path::new("papers/list.yaml")).unwrap()
}

fn entry(i: usize, paper: Paper) -> Entry {
    Entry {
        id: format!("p{i}").parse::<PaperId>().unwrap(),
        path: format!("papers/p{i}.yaml").into(),
        paper,
        spans: Spans::default(),
    }
}

/// Notes that `render` and `import` agree on: no URLs (import recovers those as links) and no
/// code spans (those are tags).
fn note() -> impl Strategy<Value = String> {
    folded(40).prop_filter("no URL or backtick", |n| {
        !n.contains("http") && !n.contains('`')
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any database survives render then import with the same titles, dates, venues,
    /// identifiers, links, tags, notes and sections.
    #[test]
    fn render_then_import_keeps_every_paper(papers in proptest::collection::vec(paper(folded(100), note()), 1..12)) {
        // Titles must differ, or the second copy is (rightly) a duplicate.
        let mut seen = std::collections::HashSet::new();
        let papers: Vec<Paper> = papers
            .into_iter()
            .filter(|p| seen.insert(hftlist::model::paper::normalize_title(&p.title)))
            .filter(|p| p.identity_keys().iter().all(|(_, _, k)| !k.is_empty()))
            .collect();
        let mut ids_seen = HashMap::new();
        let papers: Vec<Paper> = papers
            .into_iter()
            .filter(|p| p.identity_keys().into_iter().filter(|(f, _, _)| *f != hftlist::model::paper::Field::Title).all(|(f, _, k)| ids_seen.insert((f, k), ()).is_none()))
            .collect();
        let db = Db {
            list: list(),
            entries: papers.iter().cloned().enumerate().map(|(i, p)| entry(i, p)).collect(),
            diagnostics: Vec::new(),
            files: papers.len(),
        };
        let catalog = std::sync::Arc::new(hftlist::catalog::Catalog::new(db));
        let db = catalog.db();
        let readme = hftlist::views::render::render(&catalog, "{{ sections }}\n", hftlist::views::render::Options::default()).unwrap();
        let mut importer = Importer::new(&db.list, HashMap::new());
        let mut back: Vec<(Paper, String)> = Vec::new();
        let items = hftlist::import::parse(&readme);
        prop_assert_eq!(items.len(), papers.len(), "{}", readme);
        for item in &items {
            match importer.take(item) {
                Outcome::New { paper, .. } => {
                    back.push((*paper, hftlist::import::heading_key(&item.heading)));
                }
                other => prop_assert!(false, "{:?} for {:?}\n{}", other, item, readme),
            }
        }
        for original in &papers {
            let found = back.iter().find(|(p, _)| p.title == original.title);
            prop_assert!(found.is_some(), "`{}` did not come back\n{}", original.title, readme);
            let (p, heading) = found.unwrap();
            let mut expected = original.clone();
            expected.authors.clear(); // the list does not show authors
            prop_assert_eq!(p, &expected);
            let paths = db.list.section_paths(original);
            let (_, section) = db.list.section_at(&paths[0]).unwrap();
            prop_assert_eq!(heading, &hftlist::import::heading_key(section.last().unwrap()));
        }
    }

    /// `Query::matches` agrees with a naive reference filter.
    #[test]
    fn query_filters_agree_with_a_reference(
        papers in proptest::collection::vec(paper(folded(60), note()), 0..30),
        kinds in proptest::collection::vec(proptest::sample::select(Kind::ALL.to_vec()), 0..3),
        stages in proptest::collection::vec(proptest::sample::select(Stage::ALL.to_vec()), 0..2),
        from in proptest::option::of(2015i16..2027),
        to in proptest::option::of(2015i16..2027),
        published in proptest::option::of(any::<bool>()),
        has_code in any::<bool>(),
        word in proptest::option::of("[a-z]{1,2}"),
    ) {
        let years = (from.is_some() || to.is_some()).then_some(YearRange { from, to });
        let query = Query {
            kinds: kinds.clone(),
            stages: stages.clone(),
            years,
            published,
            has_code,
            words: word.iter().cloned().collect(),
            ..Query::default()
        };
        let db = Db {
            list: list(),
            entries: papers.iter().cloned().enumerate().map(|(i, p)| entry(i, p)).collect(),
            diagnostics: Vec::new(),
            files: papers.len(),
        };
        let catalog = hftlist::catalog::Catalog::new(db);
        for (record, p) in catalog.records().zip(&papers) {
            let reference = (kinds.is_empty() || kinds.contains(&p.kind))
                && (stages.is_empty() || p.stage.map(|s| stages.contains(&s)).unwrap_or(false))
                && from.map(|f| p.date.year() >= f).unwrap_or(true)
                && to.map(|t| p.date.year() <= t).unwrap_or(true)
                && published.map(|want| want == p.venue.is_some()).unwrap_or(true)
                && (!has_code || p.code.is_some())
                && word.as_ref().map(|w| {
                    let hay = format!("{} {} {}", p.title, p.authors.join(" "), p.note.clone().unwrap_or_default()).to_lowercase();
                    hay.contains(w.as_str())
                }).unwrap_or(true);
            prop_assert_eq!(query.matches(&record), reference, "{:?}", p);
        }
    }
}

/// Pieces of template syntax, hostile ones included, for the renderer's bounds.
fn template() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("{{ sections }}"),
        Just("{{ toc }}"),
        Just("{{ title }}"),
        Just("{{ total }}"),
        Just("{% for a in \"abcdefghijklmnopqrstuvwxyz\" %}"),
        Just("{% for b in [1, 2, 3] %}"),
        Just("{% endfor %}"),
        Just("{% if total > 1 %}"),
        Just("{% else %}"),
        Just("{% endif %}"),
        Just("{{ count(kind=\"attack\") + 1 }}"),
        Just("{{ sections ~ toc }}"),
        Just("{{ sections + toc }}"),
        Just("{{ \"x\" * 1000 }}"),
        Just("{% set s = sections %}"),
        Just("{% macro m() %}"),
        Just("{{ "),
        Just(" }}"),
        Just("{%"),
        Just("%}"),
        Just("text "),
        Just("\n"),
    ];
    proptest::collection::vec(pieces, 0..24).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any template renders within the output cap or fails with an error naming the template;
    /// a template that passes the token check never uses a text-building operator.
    #[test]
    fn any_template_is_bounded_and_errors_name_it(t in template()) {
        let db = std::sync::Arc::new(hftlist::catalog::Catalog::new(Db {
            list: list(),
            entries: Vec::new(),
            diagnostics: Vec::new(),
            files: 0,
        }));
        let name = "tpl/README.template.md";
        match hftlist::views::render::render_named(&db, name, &t, hftlist::views::render::Options::default()) {
            Ok(out) => {
                prop_assert!(out.len() <= hftlist::views::render::MAX_OUTPUT);
                prop_assert!(!t.contains(" ~ ") && !t.contains(" * ") && !t.contains("{% set"), "{}", t);
            }
            Err(e) => prop_assert!(format!("{e:#}").contains(name), "{e:#}"),
        }
    }
}
