//! Papercuts of issue 17: empty JSON answers, exit codes, canonical venues, slugs, template errors, the table's width.

use crate::util::{TestDb, assert_text, hftlist_in, markdown_list, output_of, two_papers};

#[test]
fn a_json_query_with_no_match_prints_an_empty_array() {
    let run = two_papers().run(&["query", "--text", "nothing-like-this", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_text(&run.stdout, "[]\n");
    assert_text(&run.stderr, "hftlist: no papers match\n");
}

#[test]
fn a_csv_export_with_no_match_prints_the_header() {
    let run = two_papers().run(&["export", "--text", "nothing-like-this", "--format", "csv"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("id,title,kind,"), "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 1);
}

#[test]
fn list_rules_honours_the_json_format() {
    let run = TestDb::new().run(&["validate", "--list-rules", "--format", "json"]);
    assert_eq!(run.code, 0);
    let rules: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(rules[0]["name"], "unreadable-file");
    assert_eq!(rules[0]["severity"], "error");
}

#[test]
fn stats_with_no_match_exits_1_like_query() {
    let run = two_papers().run(&["stats", "--text", "nothing-like-this"]);
    assert_eq!(run.code, 1);
    assert_text(&run.stderr, "hftlist: no papers match\n");
    assert!(run.stdout.contains("total"), "{}", run.stdout);
}

#[test]
fn an_unknown_id_is_an_error_with_a_suggestion() {
    let run = two_papers().run(&["query", "--id", "vacine"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: --id: no paper has the id `vacine` (did you mean `vaccine`?)\n",
    );
}

fn add_by_hand(db: &TestDb, title: &str, extra: &[&str]) -> crate::util::Run {
    let mut args = vec![
        "add",
        "--kind",
        "Attack",
        "--title",
        title,
        "--date",
        "2024-05-05",
        "--paper",
        "https://example.org/paper",
    ];
    args.extend_from_slice(extra);
    db.run(&args)
}

#[test]
fn add_writes_the_canonical_venue() {
    let db = two_papers();
    let run = add_by_hand(&db, "Some Attack", &["--venue", "nips 2024"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stderr, "");
    let text = std::fs::read_to_string(db.papers().join("some-attack.yaml")).unwrap();
    assert!(text.contains("venue: NeurIPS 2024\n"), "{text}");
}

#[test]
fn add_writes_a_long_title_on_one_line() {
    let db = two_papers();
    let title = "A Very Long Title About Harmful Fine-Tuning That Goes On And On Past Eighty Columns And Then Some More Words";
    let run = add_by_hand(&db, title, &["--id", "long"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(db.papers().join("long.yaml")).unwrap();
    assert!(text.starts_with(&format!("title: {title}\n")), "{text}");
}

#[test]
fn slugs_transliterate_non_ascii_titles() {
    let db = two_papers();
    let run = add_by_hand(&db, "Ünïcödé: Attacks on Everything", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, "papers/unicode.yaml\n");
}

#[test]
fn import_writes_two_digit_year_venues_canonically() {
    let db = two_papers();
    markdown_list(&db);
    let run = db.run(&["import", "list.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("list.md:2: note: venue `NeurIPS24` written as `NeurIPS 2024`"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(db.papers().join("a-new-attack.yaml")).unwrap();
    assert!(text.contains("venue: NeurIPS 2024\n"), "{text}");
}

#[test]
fn a_template_error_names_the_file_line_and_variable() {
    let db = two_papers();
    db.file("README.template.md", "# {{ title }}\n\n{{ totl }}\n");
    let run = db.run(&["render"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: papers/README.template.md:3: error in the README template: undefined value: `totl` is undefined\n",
    );
}

/// Five records with long ids, venues and titles, as the real list has.
fn wide_two_papers() -> TestDb {
    let db = TestDb::new();
    for i in 0..5 {
        db.file(
            &format!("fine-tuning-aligned-language-models-{i}.yaml"),
            format!(
                "title: \"Fine-tuning Aligned Language Models Compromises Safety, Even When Users Do Not Intend To {i}\"\n\
                 kind: defense\nstage: post-fine-tuning\ndate: \"2023-10-0{}\"\nvenue: NeurIPS 2024 Workshop SafeGenAI\n\
                 arxiv: \"2310.0369{i}\"\n",
                i + 1
            ),
        );
    }
    db
}

#[test]
fn the_table_fits_80_columns_by_dropping_columns() {
    let db = wide_two_papers();
    let (out, _, code) = output_of(hftlist_in(db.root()).env("COLUMNS", "80").args(["query"]));
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "ID                                     TITLE");
    assert!(lines.iter().all(|l| unicode_columns(l) <= 80), "{out}");
    assert!(
        lines[1].contains("Fine-tuning Aligned Language Models"),
        "{out}"
    );
}

#[test]
fn the_table_counts_wide_characters_as_two_columns() {
    let db = TestDb::new();
    db.file(
        "cjk.yaml",
        "title: 大型语言模型的有害微调攻击与防御综述以及更多更多更多更多的内容\nkind: survey\ndate: \"2024\"\narxiv: \"2409.18169\"\n",
    );
    let (out, _, _) = output_of(hftlist_in(db.root()).env("COLUMNS", "60").args(["query"]));
    for line in out.lines() {
        assert!(
            unicode_columns(line) <= 60,
            "{line}: {}",
            unicode_columns(line)
        );
    }
    assert!(out.lines().nth(1).unwrap().ends_with('…'), "{out}");
}

/// Display columns, counting CJK ideographs as two (what a terminal shows).
fn unicode_columns(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn import_normalises_the_issue_s_venues_against_the_real_registry() {
    let db = TestDb::empty();
    db.file(
        "list.yaml",
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/papers/list.yaml")).unwrap(),
    );
    std::fs::write(
        db.root().join("list.md"),
        "## Attacks\n- [2025/9/1] **One Attack** *ICASSP26* [[paper](https://arxiv.org/abs/2509.00001)]\n\
         - [2024/8/1] **Two Attack** *AAAI25-AIA* [[paper](https://arxiv.org/abs/2408.00001)]\n",
    )
    .unwrap();
    let run = db.run(&["import", "list.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let venue = |id: &str| {
        std::fs::read_to_string(db.papers().join(format!("{id}.yaml")))
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("venue: ").map(str::to_owned))
    };
    assert_eq!(venue("one-attack").as_deref(), Some("ICASSP 2026"));
    assert_eq!(venue("two-attack").as_deref(), Some("AAAI 2025 AIA"));
}
