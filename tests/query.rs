use std::collections::BTreeMap;

use crate::util::{TestDb, assert_text};

fn db() -> TestDb {
    let db = TestDb::new();
    db.file(
        "vaccine.yaml",
        "title: \"Vaccine: Perturbation-aware Alignment\"\nkind: defense\nstage: alignment\ndate: \"2024-02-02\"\n\
         venue: NeurIPS 2024\nauthors: [Tiansheng Huang, Ling Liu]\narxiv: \"2402.01109\"\ncode: https://github.com/git-disl/Vaccine\ntags: [llm]\n",
    );
    db.file(
        "booster.yaml",
        "title: \"Booster: Tackling Harmful Fine-tuning\"\nkind: defense\nstage: alignment\ndate: \"2024-09-03\"\n\
         venue: ICLR 2025\narxiv: \"2409.01586\"\nopenreview: tTPHgb0EtV\n",
    );
    db.file(
        "shadow.yaml",
        "title: \"Shadow Alignment: The Ease of Subverting Safely-Aligned Language Models\"\nkind: attack\ndate: \"2023-10\"\n\
         arxiv: \"2310.02949\"\ncode: https://github.com/BeyonderXX/ShadowAlignment\nnote: \"a \\\"quoted\\\", note\"\n",
    );
    db.file(
        "fed.yaml",
        "title: PEFT-as-an-Attack & Federated {LLM} Tuning\nkind: attack\ndate: \"2024\"\nvenue: TMLR 2025\n\
         authors: [Ada Lovelace]\ndoi: 10.1145/3712003\ntags: [federated]\n",
    );
    db
}

fn ids(db: &TestDb, args: &[&str]) -> (String, i32) {
    let mut all = vec!["query", "--format", "ids"];
    all.extend_from_slice(args);
    let run = db.run(&all);
    (run.stdout, run.code)
}

#[test]
fn every_filter() {
    let db = db();
    for (args, expected) in [
        (vec![], "shadow\nfed\nvaccine\nbooster\n"),
        (vec!["--kind", "attack"], "shadow\nfed\n"),
        (
            vec!["--kind", "attack", "--kind", "defense"],
            "shadow\nfed\nvaccine\nbooster\n",
        ),
        (vec!["--stage", "alignment"], "vaccine\nbooster\n"),
        (vec!["--tag", "llm", "--tag", "federated"], "fed\nvaccine\n"),
        (vec!["--year", "2024"], "fed\nvaccine\nbooster\n"),
        (vec!["--year", "..2023"], "shadow\n"),
        (vec!["--year", "2024..2024"], "fed\nvaccine\nbooster\n"),
        (vec!["--since", "2024-02"], "vaccine\nbooster\n"),
        (vec!["--until", "2024-02-02"], "shadow\nfed\nvaccine\n"),
        (vec!["--venue", "ICLR"], "booster\n"),
        (vec!["--venue", "NIPS 2024"], "vaccine\n"),
        (vec!["--venue", "ICLR 2024"], ""),
        (vec!["--published"], "fed\nvaccine\nbooster\n"),
        (vec!["--preprint"], "shadow\n"),
        (vec!["--has-code"], "shadow\nvaccine\n"),
        (vec!["--text", "ALIGNMENT perturbation"], "vaccine\n"),
        (vec!["--text", "liu"], "vaccine\n"),
        (vec!["--text", "quoted"], "shadow\n"),
        (
            vec!["--id", "booster", "--id", "shadow"],
            "shadow\nbooster\n",
        ),
        (
            vec!["--kind", "defense", "--year", "2024", "--has-code"],
            "vaccine\n",
        ),
    ] {
        let (out, code) = ids(&db, &args);
        assert_eq!(out, expected, "{args:?}");
        assert_eq!(code, i32::from(expected.is_empty()), "{args:?}");
    }
}

#[test]
fn sort_reverse_and_limit() {
    let db = db();
    assert_eq!(
        ids(&db, &["--sort", "title"]).0,
        "booster\nfed\nshadow\nvaccine\n"
    );
    assert_eq!(
        ids(&db, &["--sort", "venue"]).0,
        "booster\nvaccine\nfed\nshadow\n"
    );
    assert_eq!(
        ids(&db, &["--reverse"]).0,
        "booster\nvaccine\nfed\nshadow\n"
    );
    assert_eq!(ids(&db, &["--limit", "2"]).0, "shadow\nfed\n");
}

#[test]
fn no_match_prints_nothing_and_exits_1() {
    let run = db().run(&["query", "--kind", "survey"]);
    assert_text(&run.stdout, "");
    assert_text(&run.stderr, "hftlist: no papers match\n");
    assert_eq!(run.code, 1);
}

#[test]
fn invalid_values_are_usage_errors_listing_the_valid_ones() {
    let db = db();
    for (args, message) in [
        (
            vec!["--kind", "attacker"],
            "invalid value 'attacker' for '--kind <KIND>'\n  [possible values: attack, defense, analysis, benchmark, survey]",
        ),
        (
            vec!["--stage", "lunch"],
            "[possible values: pre-training, alignment, fine-tuning, post-fine-tuning]",
        ),
        (
            vec!["--year", "20x5"],
            "`20x5` is not a year or a range of years",
        ),
        (
            vec!["--sort", "size"],
            "invalid value 'size' for '--sort <KEY>'\n  [possible values: date, title, venue]",
        ),
        (vec!["--since", "2024/01"], "is not a date of the form"),
        (
            vec!["--venue", "FOO 2024"],
            "`FOO 2024` does not start with a venue series: expected one of `ICLR`, `NeurIPS`, `TMLR`",
        ),
        (
            vec!["--venue", "arXiv"],
            "`arXiv` is a preprint server, not a venue: preprints have no venue, so use `--preprint`",
        ),
        (
            vec!["--venue", "ICLR 25"],
            "`ICLR 25`: the year must have four digits",
        ),
        (vec!["--published", "--preprint"], "cannot be used with"),
    ] {
        let mut all = vec!["query"];
        all.extend_from_slice(&args);
        let run = db.run(&all);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert_text(&run.stdout, "");
    }
}

#[test]
fn table_fits_the_width() {
    let db = db();
    let out = assert_cmd::Command::cargo_bin("hftlist")
        .unwrap()
        .current_dir(db.root())
        .env("COLUMNS", "100")
        .args(["query", "--kind", "attack"])
        .output()
        .unwrap();
    assert_text(
        &String::from_utf8(out.stdout.clone()).unwrap(),
        "ID      DATE     KIND    VENUE      TITLE\n\
         shadow  2023-10  attack  preprint   Shadow Alignment: The Ease of Subverting Safely-Aligned Languag…\n\
         fed     2024     attack  TMLR 2025  PEFT-as-an-Attack & Federated {LLM} Tuning\n",
    );
    let lines: Vec<usize> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| l.chars().count())
        .collect();
    assert!(lines.iter().all(|&n| n <= 100), "{lines:?}");
}

#[test]
fn markdown_is_the_readme_line() {
    let run = db().run(&["query", "--format", "markdown", "--id", "vaccine"]);
    assert_text(
        &run.stdout,
        "- [2024/02/02] **Vaccine: Perturbation-aware Alignment** *NeurIPS 2024* [[paper](https://arxiv.org/abs/2402.01109)] [[code](https://github.com/git-disl/Vaccine)] `llm`\n",
    );
}

#[test]
fn json_prints_every_record_with_its_id() {
    let run = db().run(&["query", "--format", "json", "--kind", "defense"]);
    assert_eq!(run.code, 0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"id": "vaccine", "title": "Vaccine: Perturbation-aware Alignment", "kind": "defense", "stage": "alignment",
             "date": "2024-02-02", "venue": "NeurIPS 2024", "authors": ["Tiansheng Huang", "Ling Liu"],
             "arxiv": "2402.01109", "code": "https://github.com/git-disl/Vaccine", "tags": ["llm"]},
            {"id": "booster", "title": "Booster: Tackling Harmful Fine-tuning", "kind": "defense", "stage": "alignment",
             "date": "2024-09-03", "venue": "ICLR 2025", "arxiv": "2409.01586", "openreview": "tTPHgb0EtV"}
        ])
    );
}

#[test]
fn yaml_lists_records_with_ids() {
    let run = db().run(&["query", "--format", "yaml", "--id", "booster"]);
    assert_text(
        &run.stdout,
        "- id: booster\n  title: \"Booster: Tackling Harmful Fine-tuning\"\n  kind: defense\n  stage: alignment\n  date: \"2024-09-03\"\n  venue: ICLR 2025\n  arxiv: \"2409.01586\"\n  openreview: tTPHgb0EtV\n",
    );
}

#[test]
fn csv_is_rfc4180() {
    let run = db().run(&["query", "--format", "csv", "--kind", "attack"]);
    assert_text(
        &run.stdout,
        "id,title,kind,stage,date,venue,authors,arxiv,doi,openreview,paper,code,project,tags,note\r\n\
         shadow,Shadow Alignment: The Ease of Subverting Safely-Aligned Language Models,attack,,2023-10,,,2310.02949,,,,https://github.com/BeyonderXX/ShadowAlignment,,,\"a \"\"quoted\"\", note\"\r\n\
         fed,PEFT-as-an-Attack & Federated {LLM} Tuning,attack,,2024,TMLR 2025,Ada Lovelace,,10.1145/3712003,,,,,federated,\r\n",
    );
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][14], "a \"quoted\", note");
}

#[test]
fn bibtex_entry_types_and_escaping() {
    let run = db().run(&["query", "--format", "bibtex"]);
    assert_text(
        &run.stdout,
        "@misc{shadow,\n  title = {{Shadow Alignment}: The Ease of Subverting Safely-Aligned Language Models},\n  key = {shadow},\n  howpublished = {arXiv:2310.02949},\n  year = {2023},\n  eprint = {2310.02949},\n  archivePrefix = {arXiv},\n  url = {https://arxiv.org/abs/2310.02949},\n}\n\n\
         @article{fed,\n  title = {{PEFT-as-an-Attack} \\& Federated {\\textbraceleft{}LLM\\textbraceright{}} Tuning},\n  author = {Lovelace, Ada},\n  journal = {Transactions on Machine Learning Research},\n  year = {2025},\n  doi = {10.1145/3712003},\n}\n\n\
         @inproceedings{vaccine,\n  title = {{Vaccine}: Perturbation-aware Alignment},\n  author = {Huang, Tiansheng and Liu, Ling},\n  booktitle = {Advances in Neural Information Processing Systems},\n  year = {2024},\n  eprint = {2402.01109},\n  archivePrefix = {arXiv},\n  url = {https://arxiv.org/abs/2402.01109},\n}\n\n\
         @inproceedings{booster,\n  title = {{Booster}: Tackling Harmful Fine-tuning},\n  key = {booster},\n  booktitle = {International Conference on Learning Representations},\n  year = {2025},\n  eprint = {2409.01586},\n  archivePrefix = {arXiv},\n  url = {https://arxiv.org/abs/2409.01586},\n}\n",
    );
}

#[test]
fn export_formats_and_output_file() {
    let db = db();
    let run = db.run(&["export", "--format", "csl-json", "--id", "vaccine"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "id": "vaccine", "type": "paper-conference", "title": "Vaccine: Perturbation-aware Alignment",
            "author": [{"family": "Huang", "given": "Tiansheng"}, {"family": "Liu", "given": "Ling"}],
            "issued": {"date-parts": [[2024]]},
            "container-title": "Advances in Neural Information Processing Systems",
            "URL": "https://arxiv.org/abs/2402.01109"
        }])
    );
    let run = db.run(&["export", "--kind", "attack", "-o", "out.bib"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bib = std::fs::read_to_string(db.root().join("out.bib")).unwrap();
    assert!(bib.starts_with("@misc{shadow,"), "{bib}");
    assert_eq!(db.run(&["export", "--kind", "survey"]).code, 1);
    let run = db.run(&["export", "--format", "csv", "--id", "fed"]);
    assert!(run.stdout.starts_with("id,title,"), "{}", run.stdout);
    let run = db.run(&["export", "--format", "json", "--id", "fed"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()[0]["id"],
        "fed"
    );
}

#[test]
fn stats_text_and_json() {
    let db = db();
    let run = db.run(&["stats"]);
    assert_text(
        &run.stdout,
        "year      attack   defense  analysis benchmark    survey   total\n\
         2023           1         0         0         0         0       1\n\
         2024           1         2         0         0         0       3\n\
         total          2         2         0         0         0       4\n\n\
         venue         papers\n\
         ICLR 2025          1\n\
         NeurIPS 2024       1\n\
         TMLR 2025          1\n\n\
         with code: 2 of 4 (50%)\npublished: 3 (75%), preprints: 1 (25%)\n",
    );
    let run = db.run(&["stats", "--format", "json", "--kind", "attack"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["total"], 2);
    assert_eq!(json["by_year"]["2023"]["attack"], 1);
    assert_eq!(json["published"], 1);
}

#[test]
fn stats_svg_is_written_and_checked() {
    let db = db();
    assert_eq!(db.run(&["stats", "--svg", "chart.svg", "--check"]).code, 1);
    assert_eq!(db.run(&["stats", "--svg", "chart.svg"]).code, 0);
    assert_eq!(db.run(&["stats", "--svg", "chart.svg", "--check"]).code, 0);
    let svg = std::fs::read_to_string(db.root().join("chart.svg")).unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("prefers-color-scheme: dark"));
    assert!(svg.contains("<title>2024: 2 defense</title>"), "{svg}");
}

/// The bundled database read independently of hftlist's loader: plain YAML maps.
fn bundled() -> BTreeMap<String, BTreeMap<String, serde_json::Value>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir("papers").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if !name.ends_with(".yaml") || name == "list.yaml" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let map: BTreeMap<String, serde_json::Value> = serde_saphyr::from_str(&text).unwrap();
        out.insert(name.trim_end_matches(".yaml").to_owned(), map);
    }
    out
}

fn field<'a>(record: &'a BTreeMap<String, serde_json::Value>, key: &str) -> &'a str {
    record.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

#[test]
fn query_agrees_with_an_independent_reading_of_papers() {
    let records = bundled();
    type Pred = Box<dyn Fn(&BTreeMap<String, serde_json::Value>) -> bool>;
    let cases: Vec<(Vec<&str>, Pred)> = vec![
        (
            vec![
                "--kind",
                "defense",
                "--stage",
                "fine-tuning",
                "--year",
                "2025",
            ],
            Box::new(|r| {
                field(r, "kind") == "defense"
                    && field(r, "stage") == "fine-tuning"
                    && field(r, "date").starts_with("2025")
            }),
        ),
        (
            vec!["--kind", "attack", "--has-code"],
            Box::new(|r| field(r, "kind") == "attack" && r.contains_key("code")),
        ),
        (
            vec!["--venue", "ICLR"],
            Box::new(|r| main_track(field(r, "venue"), "ICLR ")),
        ),
        (
            vec!["--venue", "NeurIPS 2024"],
            Box::new(|r| main_track(field(r, "venue"), "NeurIPS 2024")),
        ),
        (
            vec!["--venue", "NeurIPS 2024 Workshop"],
            Box::new(|r| field(r, "venue").starts_with("NeurIPS 2024 Workshop ")),
        ),
        (
            vec!["--venue", "ICLR 2025 *"],
            Box::new(|r| field(r, "venue").starts_with("ICLR 2025")),
        ),
        (
            vec!["--preprint", "--year", "2026"],
            Box::new(|r| !r.contains_key("venue") && field(r, "date").starts_with("2026")),
        ),
        (
            vec!["--text", "diffusion"],
            Box::new(|r| {
                field(r, "title").to_lowercase().contains("diffusion")
                    || field(r, "note").to_lowercase().contains("diffusion")
            }),
        ),
    ];
    for (args, pred) in cases {
        let mut all = vec![
            "--db", "papers", "query", "--format", "ids", "--sort", "title",
        ];
        all.extend_from_slice(&args);
        let out = assert_cmd::Command::cargo_bin("hftlist")
            .unwrap()
            .args(&all)
            .output()
            .unwrap();
        let mut got: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        got.sort();
        let want: Vec<String> = records
            .iter()
            .filter(|(_, r)| pred(r))
            .map(|(id, _)| id.clone())
            .collect();
        assert!(!want.is_empty(), "{args:?} selects something");
        assert_eq!(got, want, "{args:?}");
    }
}

/// An independent reading of "the main proceedings": the venue starts with the prefix (series,
/// or series and year) and whatever follows the year is nothing or a presentation form.
fn main_track(venue: &str, prefix: &str) -> bool {
    let Some(rest) = venue.strip_prefix(prefix) else {
        return false;
    };
    let mut words = rest.split_whitespace();
    if prefix.ends_with(' ') {
        // `ICLR ` + a year first.
        words.next();
    }
    match words.next() {
        None => true,
        Some(w) => ["Oral", "Spotlight", "Poster", "Highlight"].contains(&w),
    }
}

#[test]
fn bibtex_of_every_paper_parses_back_entry_for_entry() {
    let out = assert_cmd::Command::cargo_bin("hftlist")
        .unwrap()
        .args(["--db", "papers", "export", "--format", "bibtex"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let bibliography = biblatex::Bibliography::parse(&text).unwrap();
    let records = bundled();
    assert_eq!(bibliography.len(), records.len());
    for (id, record) in &records {
        let entry = bibliography
            .get(id)
            .unwrap_or_else(|| panic!("no entry for {id}"));
        let title = entry.title().unwrap();
        let plain: String = title.iter().map(|c| c.v.get()).collect();
        let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(fold(&plain), fold(field(record, "title")), "{id}");
    }
}

#[test]
fn stats_agree_with_independent_counts() {
    let records = bundled();
    let out = assert_cmd::Command::cargo_bin("hftlist")
        .unwrap()
        .args(["--db", "papers", "stats", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["total"], records.len());
    let with_code = records.values().filter(|r| r.contains_key("code")).count();
    assert_eq!(json["with_code"], with_code);
    let published = records.values().filter(|r| r.contains_key("venue")).count();
    assert_eq!(json["published"], published);
    for kind in ["attack", "defense", "analysis", "benchmark", "survey"] {
        let n = records
            .values()
            .filter(|r| field(r, "kind") == kind)
            .count();
        assert_eq!(json["by_kind"][kind], n, "{kind}");
    }
    let in_2025_defense = records
        .values()
        .filter(|r| field(r, "kind") == "defense" && field(r, "date").starts_with("2025"))
        .count();
    assert_eq!(json["by_year"]["2025"]["defense"], in_2025_defense);
}
