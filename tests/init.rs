//! `hftlist init`: a new list's database.

use crate::util::{TestDb, assert_text, hftlist_in, output_of, two_papers};

#[test]
fn init_creates_a_database_that_validates_and_builds() {
    let root = tempfile::tempdir().unwrap();
    let (_, err, code) = output_of(hftlist_in(root.path()).args(["init", "--title", "My: List"]));
    assert_eq!(code, 0, "{err}");
    assert_text(
        &err,
        "wrote papers/list.yaml\nwrote papers/README.template.md\n\
         hftlist: a new list in `papers`; add papers with `hftlist --db papers add ARXIV_ID --kind KIND`\n",
    );
    let list = std::fs::read_to_string(root.path().join("papers/list.yaml")).unwrap();
    assert!(list.contains("title: \"My: List\"\n"), "{list}");
    assert!(list.contains("- name: NeurIPS"), "{list}");
    let (out, _, code) = output_of(hftlist_in(root.path()).args(["validate"]));
    assert_eq!(code, 0);
    assert_text(&out, "0 errors, 0 warnings in 0 files checked\n");
    let (_, err, code) = output_of(hftlist_in(root.path()).args(["build"]));
    assert_eq!(code, 0, "{err}");
    let readme = std::fs::read_to_string(root.path().join("README.md")).unwrap();
    assert!(readme.starts_with("# My: List\n\n0 papers.\n"), "{readme}");
}

#[test]
fn init_refuses_a_folder_that_holds_files() {
    let db = two_papers();
    let run = db.run(&["init"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: `papers` already holds a database; nothing was written (give an empty or new folder)\n",
    );
}

#[test]
fn import_into_a_folder_without_list_yaml_suggests_init() {
    let db = TestDb::empty();
    std::fs::write(db.root().join("list.md"), "- [2024] **T**\n").unwrap();
    let run = db.run(&["import", "list.md"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: `papers` holds no list.yaml: start a new list there with `hftlist init papers`\n",
    );
}
