//! `hftlist fmt`: records written by hand become canonical; `--check` only reports.

use crate::util::{BASE, TestDb, assert_text};

/// A record as a person might write it: fields out of order, an unquoted date and arXiv id, a
/// title folded over two lines.
const HAND_WRITTEN: &str =
    "kind: attack\narxiv: 2402.01109\ntitle: >-\n  A Clean\n  Attack\ndate: 2024-02-02\n";

#[test]
fn fmt_rewrites_a_hand_written_record_in_canonical_form() {
    let db = TestDb::new();
    db.file("a.yaml", HAND_WRITTEN);
    let run = db.run(&["fmt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stderr, "formatted papers/a.yaml\n");
    let text = std::fs::read_to_string(db.papers().join("a.yaml")).unwrap();
    assert_text(&text, BASE);
}

#[test]
fn fmt_check_lists_what_is_not_canonical_and_writes_nothing() {
    let db = TestDb::new();
    db.file("a.yaml", HAND_WRITTEN).file("b.yaml", BASE);
    let run = db.run(&["fmt", "--check"]);
    assert_eq!(run.code, 1);
    assert_text(&run.stdout, "papers/a.yaml\n");
    assert!(
        run.stderr.contains("1 record(s) are not in canonical form"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(db.papers().join("a.yaml")).unwrap();
    assert_text(&text, HAND_WRITTEN);
}

#[test]
fn fmt_check_passes_on_canonical_records() {
    let db = TestDb::new();
    db.file("b.yaml", BASE);
    let run = db.run(&["fmt", "--check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, "");
}

#[test]
fn fmt_leaves_an_unreadable_record_as_it_is() {
    let db = TestDb::new();
    let broken = "title: A Clean Attack\nkind: atack\ndate: 2024-02-02\n";
    db.file("a.yaml", broken);
    let run = db.run(&["fmt"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("1 record file(s) could not be read"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(db.papers().join("a.yaml")).unwrap();
    assert_text(&text, broken);
}

#[test]
fn fmt_with_files_touches_only_those() {
    let db = TestDb::new();
    db.file("a.yaml", HAND_WRITTEN).file(
        "b.yaml",
        HAND_WRITTEN
            .replace("2402.01109", "2402.01110")
            .replace("A Clean", "Another"),
    );
    let run = db.run(&["fmt", "papers/b.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stderr, "formatted papers/b.yaml\n");
    let text = std::fs::read_to_string(db.papers().join("a.yaml")).unwrap();
    assert_text(&text, HAND_WRITTEN);
}
