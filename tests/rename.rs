//! `hftlist rename` and `hftlist remove`.

use crate::util::{assert_text, two_papers};

#[test]
fn rename_moves_the_record() {
    let db = two_papers();
    let before = std::fs::read_to_string(db.papers().join("vaccine.yaml")).unwrap();
    let run = db.run(&["rename", "vaccine", "vaccine-2024"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stderr,
        "renamed papers/vaccine.yaml -> papers/vaccine-2024.yaml\n",
    );
    assert!(!db.papers().join("vaccine.yaml").exists());
    assert_text(
        &std::fs::read_to_string(db.papers().join("vaccine-2024.yaml")).unwrap(),
        &before,
    );
    assert_text(
        &db.run(&["query", "--id", "vaccine-2024", "--format", "ids"])
            .stdout,
        "vaccine-2024\n",
    );
}

#[test]
fn rename_points_at_text_that_mentions_the_old_id() {
    let db = two_papers();
    db.file("README.template.md", "See vaccine here.\n");
    let run = db.run(&["rename", "vaccine", "vax"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr
            .contains("papers/README.template.md:1: note: mentions the old id `vaccine`"),
        "{}",
        run.stderr
    );
}

#[test]
fn rename_refuses_a_taken_id() {
    let db = two_papers();
    let run = db.run(&["rename", "vaccine", "clean"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: the id `clean` is taken by `papers/clean.yaml`; nothing was renamed\n",
    );
    assert!(db.papers().join("vaccine.yaml").exists());
}

#[test]
fn rename_refuses_an_invalid_id() {
    let run = two_papers().run(&["rename", "vaccine", "Vaccine_2"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("hftlist: `Vaccine_2` is not a valid id: "),
        "{}",
        run.stderr
    );
}

#[test]
fn rename_of_an_unknown_id_suggests_one() {
    let run = two_papers().run(&["rename", "vacine", "vax"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: no paper has the id `vacine` (did you mean `vaccine`?)\n",
    );
}

#[test]
fn remove_without_yes_deletes_nothing() {
    let db = two_papers();
    let run = db.run(&["remove", "vaccine"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: would remove `papers/vaccine.yaml` (Vaccine: Perturbation-aware Alignment); run again with --yes to delete it\n",
    );
    assert!(db.papers().join("vaccine.yaml").exists());
}

#[test]
fn remove_with_yes_deletes_the_record() {
    let db = two_papers();
    let run = db.run(&["remove", "vaccine", "--yes"]);
    assert_eq!(run.code, 0);
    assert_text(&run.stderr, "removed papers/vaccine.yaml\n");
    assert!(!db.papers().join("vaccine.yaml").exists());
}

#[test]
fn rename_of_a_record_that_does_not_load_says_so() {
    let db = two_papers();
    db.file("broken.yaml", "title: [unclosed\n");
    let run = db.run(&["rename", "broken", "fixed"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: `papers/broken.yaml` does not load; fix it first (`hftlist validate` says why)\n",
    );
    assert!(db.papers().join("broken.yaml").exists());
}
