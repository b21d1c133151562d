use crate::util::{TestDb, assert_text};

fn db() -> TestDb {
    let db = TestDb::new();
    db.file("b.yaml", "title: \"B: Second\"\nkind: defense\nstage: alignment\ndate: \"2024-02\"\nvenue: ICLR 2025\nauthors: [Ada Lovelace]\narxiv: \"2402.01109\"\ntags: [llm]\n");
    db.file(
        "a.yaml",
        "title: A First\nkind: attack\ndate: \"2023\"\ndoi: 10.1145/3712003\n",
    );
    db
}

#[test]
fn json_prints_every_record_with_its_id() {
    let run = db().run(&["query", "--format", "json"]);
    assert_eq!(run.code, 0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"id": "a", "title": "A First", "kind": "attack", "date": "2023", "doi": "10.1145/3712003"},
            {"id": "b", "title": "B: Second", "kind": "defense", "stage": "alignment", "date": "2024-02",
             "venue": "ICLR 2025", "authors": ["Ada Lovelace"], "arxiv": "2402.01109", "tags": ["llm"]}
        ])
    );
}

#[test]
fn ids_one_per_line() {
    let run = db().run(&["query", "--format", "ids"]);
    assert_text(&run.stdout, "a\nb\n");
    assert_eq!(run.code, 0);
}

#[test]
fn nothing_to_print_exits_1_like_grep() {
    let run = TestDb::new().run(&["query", "--format", "ids"]);
    assert_text(&run.stdout, "");
    assert_text(&run.stderr, "hftlist: no papers match\n");
    assert_eq!(run.code, 1);
}

#[test]
fn broken_records_are_left_out_with_a_warning() {
    let db = db();
    db.file("c.yaml", "title: [x]\n");
    let run = db.run(&["query", "--format", "ids"]);
    assert_text(&run.stdout, "a\nb\n");
    assert_text(
        &run.stderr,
        "hftlist: warning: 1 record file(s) could not be read and are left out; run `hftlist validate`\n",
    );
}

#[test]
fn an_invalid_format_is_a_usage_error() {
    let run = db().run(&["query", "--format", "yml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("invalid value 'yml' for '--format <FORMAT>'"),
        "{}",
        run.stderr
    );
}
