//! `hftlist validate FILE...` (pre-commit) and `--format github` (CI annotations).

use crate::util::{assert_text, two_papers};

#[test]
fn validate_with_files_reports_only_on_them() {
    let db = two_papers();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let run = db.run(&["validate", "papers/clean.yaml"]);
    assert_eq!(run.code, 0);
    assert_text(&run.stdout, "0 errors, 0 warnings in 1 file checked\n");
    let run = db.run(&["validate", "papers/bad.yaml", "papers/clean.yaml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with("papers/bad.yaml:2:7: error[invalid-kind]")
    );
}

#[test]
fn validate_with_files_still_sees_duplicates_in_other_files() {
    let db = two_papers();
    db.file(
        "again.yaml",
        "title: Again\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
    );
    let run = db.run(&["validate", "papers/again.yaml"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("duplicate-paper"), "{}", run.stdout);
}

#[test]
fn validate_github_prints_workflow_annotations() {
    let db = two_papers();
    db.file("bad.yaml", "title: T\nkind: attacker\ndate: \"2024\"\n");
    let run = db.run(&["validate", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stdout,
        "::error file=papers/bad.yaml,line=2,col=7,title=invalid-kind::`attacker` is not a valid kind: expected one of `attack`, `defense`, `analysis`, `benchmark`, `survey`\n\
         1 error, 0 warnings in 3 files checked\n",
    );
}

#[test]
fn the_papers_licence_file_is_not_a_record() {
    let db = two_papers();
    db.file("LICENSE", "CC0 1.0 Universal\n");
    let run = db.run(&["validate"]);
    assert_eq!(run.code, 0);
    assert_text(&run.stdout, "0 errors, 0 warnings in 2 files checked\n");
}

#[test]
fn validate_with_a_missing_file_is_an_error() {
    let run = two_papers().run(&["validate", "papers/nope.yaml"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: `papers/nope.yaml` does not exist\n",
    );
}

#[test]
fn validate_with_a_file_outside_the_database_warns() {
    let db = two_papers();
    std::fs::write(db.root().join("notes.yaml"), "x: 1\n").unwrap();
    let run = db.run(&["validate", "notes.yaml"]);
    assert_eq!(run.code, 0);
    assert_text(
        &run.stderr,
        "hftlist: warning: `notes.yaml` is not a record of the database `papers`; nothing to report on it\n",
    );
}
