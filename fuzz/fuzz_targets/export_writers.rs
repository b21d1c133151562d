//! The export writers: papers built from any text export as BibTeX, BibLaTeX, CSV, CSL-JSON and
//! JSON that independent parsers (the biblatex crate, the csv crate, serde_json) read back to
//! exactly the papers that went in.
//!
//! Input: fields separated by NUL, seven per paper (title, authors separated by `|`, venue, DOI,
//! paper link, note, arXiv id), at most four papers. Fields that would not validate (a DOI or
//! link that does not parse, an empty title) are left out; control characters other than tab
//! and newline, which `validate` refuses, end the run.
//!
//! Documented differences the comparison allows: BibTeX folds whitespace; the biblatex crate
//! reads `--` as a dash even in verbatim fields (biber does not), so verbatim values are compared
//! after the same mapping, and it takes a braced word in `von Last` for a particle (BibTeX does
//! not), so there only particle + family is compared whole; a CSV cell starting with `'` loses
//! that one `'`.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use biblatex::{Bibliography, ChunksExt};
use hftlist::catalog::{Catalog, Record};
use hftlist::model::list::List;
use hftlist::model::paper::{Kind, Paper};
use hftlist::store::db::{Db, Entry, Spans};
use hftlist::views::cite::names::Name;
use hftlist::views::cite::{self, Citation, CitationType};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn list() -> &'static List {
    static LIST: OnceLock<List> = OnceLock::new();
    LIST.get_or_init(|| {
        hftlist::store::db::parse_list(Path::new("list.yaml"), include_str!("../../papers/list.yaml"))
            .expect("the bundled list.yaml is valid")
    })
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the biblatex crate makes of a verbatim value: TeX's dash ligatures.
fn dashes(s: &str) -> String {
    s.replace("---", "—").replace("--", "–")
}

/// The percent-encoding of `{`, `}`, `\` and whitespace that verbatim fields get.
fn encoded(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '{' | '}' | '\\') || c.is_whitespace() || c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn opt(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_owned())
}

fn build(text: &str) -> Option<Vec<Entry>> {
    if text.chars().any(|c| c.is_control() && !matches!(c, '\0' | '\t' | '\n')) {
        return None;
    }
    let fields: Vec<&str> = text.split('\0').collect();
    let mut entries = Vec::new();
    for (i, f) in fields.chunks(7).take(4).enumerate() {
        let get = |k: usize| f.get(k).copied().unwrap_or("");
        let title = get(0);
        if title.trim().is_empty() {
            continue;
        }
        let paper = Paper {
            title: title.to_owned(),
            kind: Kind::Attack,
            stage: None,
            date: "2024-02-02".parse().expect("a valid date"),
            venue: opt(get(2)),
            // biber and the biblatex crate read any name holding `=` in biblatex's extended name
            // format (`family=..., given=...`); docs/citations.md lists it as a limitation.
            authors: get(1)
                .split('|')
                .filter(|a| !a.trim().is_empty() && !a.contains('='))
                .map(str::to_owned)
                .collect(),
            arxiv: get(6).parse().ok(),
            doi: get(3).parse().ok(),
            openreview: None,
            paper: get(4).parse().ok(),
            code: None,
            project: None,
            tags: Vec::new(),
            note: opt(get(5)),
        };
        entries.push(Entry {
            id: format!("p{i}").parse().expect("a valid id"),
            path: PathBuf::from(format!("p{i}.yaml")),
            paper,
            spans: Spans::default(),
        });
    }
    (!entries.is_empty()).then_some(entries)
}

fn person_parts(n: &Name) -> (String, String, String, String) {
    match n {
        Name::Person {
            given,
            particle,
            family,
            suffix,
        } => (given.clone(), particle.clone(), family.clone(), suffix.clone()),
        Name::Literal(s) => (String::new(), String::new(), s.clone(), String::new()),
    }
}

fn check_bib(text: &str, citations: &[Citation<'_>], biblatex_dialect: bool) {
    let bib = Bibliography::parse(text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    assert_eq!(bib.len(), citations.len(), "{text}");
    for c in citations {
        let entry = bib.get(c.key).unwrap_or_else(|| panic!("no {}\n{text}", c.key));
        let field = |k: &str| entry.get(k).map(|v| v.format_verbatim());
        assert_eq!(field("title"), Some(fold(c.title)), "{text}");
        let container = match (c.type_, biblatex_dialect) {
            (CitationType::Journal, true) => "journaltitle",
            (CitationType::Journal, false) => "journal",
            _ => "booktitle",
        };
        assert_eq!(field(container), c.container.as_deref().map(fold), "{text}");
        assert_eq!(field("note"), c.note.as_deref().map(fold), "{text}");
        assert_eq!(field("doi"), c.doi.map(|d| dashes(&encoded(d))), "{text}");
        assert_eq!(field("url"), c.url.as_deref().map(|u| dashes(&encoded(u))), "{text}");
        let want: Vec<_> = c.authors.iter().map(person_parts).map(|(g, p, f, s)| {
            (fold(&g), fold(&p), fold(&f), fold(&s))
        }).collect();
        let got: Vec<_> = if c.authors.is_empty() {
            Vec::new()
        } else {
            entry
                .author()
                .unwrap_or_else(|e| panic!("{e:?}\n{text}"))
                .into_iter()
                .map(|p| (p.given_name, p.prefix, p.name, p.suffix))
                .collect()
        };
        assert_eq!(got.len(), want.len(), "{text}");
        for (g, w) in got.iter().zip(&want) {
            if g == w {
                continue;
            }
            // The biblatex crate departs from BibTeX in one place: in `von Last, First` it takes
            // a braced word for a lowercase one, so it may move the particle/family boundary
            // (BibTeX and biber take a braced word for part of Last, as written). The given
            // name, the suffix and the words of particle + family must still be the same.
            let join = |p: &str, f: &str| fold(&format!("{p} {f}"));
            assert!(
                g.0 == w.0 && g.3 == w.3 && join(&g.1, &g.2) == join(&w.1, &w.2),
                "{g:?} != {w:?}\n{text}"
            );
        }
    }
}

fn check_csv(text: &str, entries: &[&Entry]) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("CSV parses")).collect();
    assert_eq!(rows.len(), entries.len(), "{text}");
    for (row, e) in rows.iter().zip(entries) {
        let cell = |i: usize| {
            let c = &row[i];
            c.strip_prefix('\'').unwrap_or(c).to_owned()
        };
        let p = &e.paper;
        assert_eq!(cell(0), e.id.to_string());
        assert_eq!(cell(1), p.title, "{text}");
        assert_eq!(cell(5), p.venue.clone().unwrap_or_default(), "{text}");
        assert_eq!(cell(6), p.authors.join("; "), "{text}");
        assert_eq!(cell(8), p.doi.as_ref().map(ToString::to_string).unwrap_or_default());
        assert_eq!(cell(10), p.paper.as_ref().map(ToString::to_string).unwrap_or_default());
        assert_eq!(cell(14), p.note.clone().unwrap_or_default(), "{text}");
    }
}

fn check_csl(text: &str, citations: &[Citation<'_>]) {
    let items: Vec<Value> = serde_json::from_str(text).expect("CSL-JSON parses");
    assert_eq!(items.len(), citations.len());
    for (item, c) in items.iter().zip(citations) {
        assert_eq!(item["id"], c.key);
        assert_eq!(item["title"], c.title);
        assert_eq!(item["DOI"].as_str(), c.doi);
        assert_eq!(item["URL"].as_str(), c.url.as_deref());
        let names = item["author"].as_array().cloned().unwrap_or_default();
        assert_eq!(names.len(), c.authors.len());
        for (got, want) in names.iter().zip(&c.authors) {
            let s = |k: &str| got[k].as_str().unwrap_or("").to_owned();
            match want {
                Name::Literal(l) => assert_eq!(&s("literal"), l),
                Name::Person { given, particle, family, suffix } => {
                    assert_eq!(
                        (s("given"), s("non-dropping-particle"), s("family"), s("suffix")),
                        (given.clone(), particle.clone(), family.clone(), suffix.clone())
                    );
                }
            }
        }
    }
}

fn check_json(text: &str, entries: &[&Entry]) {
    let items: Vec<Value> = serde_json::from_str(text).expect("JSON parses");
    assert_eq!(items.len(), entries.len());
    for (item, e) in items.iter().zip(entries) {
        let p = &e.paper;
        assert_eq!(item["id"], e.id.as_str());
        assert_eq!(item["title"], p.title.as_str());
        assert_eq!(item["venue"].as_str(), p.venue.as_deref());
        assert_eq!(item["note"].as_str(), p.note.as_deref());
        assert_eq!(item["doi"].as_str(), p.doi.as_ref().map(|d| d.as_str()));
        let authors: Vec<&str> = item["authors"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        assert_eq!(authors, p.authors);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(owned) = build(text) else {
        return;
    };
    let files = owned.len();
    let catalog = Catalog::new(Db {
        list: list().clone(),
        entries: owned,
        diagnostics: Vec::new(),
        files,
    });
    let records: Vec<Record<'_>> = catalog.ordered().collect();
    let entries: Vec<&Entry> = records.iter().map(|r| r.entry).collect();
    let citations = cite::citations(&records, &catalog);
    check_bib(&cite::bibtex(&records, &catalog), &citations, false);
    check_bib(&cite::biblatex(&records, &catalog), &citations, true);
    check_csl(&cite::csl_json(&records, &catalog).expect("CSL-JSON"), &citations);
    check_csv(&hftlist::views::output::csv(&entries), &entries);
    check_json(&hftlist::views::output::json(&entries).expect("JSON"), &entries);
});
