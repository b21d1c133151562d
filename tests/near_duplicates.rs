//! `validate`'s near-duplicate rules from the command line: `similar-title` for near-identical
//! titles (one diagnostic per cluster) and `shared-identity` for an identity two records share
//! under different spellings. One behaviour per test.

use crate::util::{TestDb, assert_text};

/// A record with a title and one identifying line (`arxiv: ...`, `code: ...`).
fn record(title: &str, identity: &str) -> String {
    format!("title: \"{title}\"\nkind: attack\ndate: \"2024-10-01\"\n{identity}\n")
}

/// Runs `validate` on the files and returns stdout.
fn validate(files: &[(&str, String)]) -> String {
    let db = TestDb::new();
    for (name, text) in files {
        db.file(name, text);
    }
    db.run(&["validate"]).stdout
}

fn similar(a: &str, b: &str) -> String {
    validate(&[
        ("a.yaml", record(a, "arxiv: \"2410.00451\"")),
        ("b.yaml", record(b, "doi: 10.1145/3712003")),
    ])
}

const REPORTED: &str = "papers/b.yaml:1:8: warning[similar-title]: title is nearly the same as \
    that of `papers/a.yaml`: if they are one paper, merge them\n0 errors, 1 warning in 2 files checked\n";

const CLEAN: &str = "0 errors, 0 warnings in 2 files checked\n";

#[test]
fn a_one_letter_typo_in_a_short_title_is_reported() {
    assert_text(
        &similar(
            "Shadow Alignment against Harmful Fine-tuning",
            "Shadow Alignment aginst Harmful Fine-tuning",
        ),
        REPORTED,
    );
}

#[test]
fn swapped_letters_are_reported() {
    assert_text(
        &similar(
            "Safety Tax: Safety Alignment Makes Your Large Reasoning Models Less Reasonable",
            "Safety Tax: Saftey Alignment Makes Your Large Reasoning Models Less Reasonable",
        ),
        REPORTED,
    );
}

#[test]
fn the_same_words_in_another_order_are_reported() {
    assert_text(
        &similar(
            "Vaccine: Perturbation-aware Alignment for Large Language Models",
            "Perturbation-aware Alignment for Large Language Models: Vaccine",
        ),
        REPORTED,
    );
}

#[test]
fn a_subtitle_present_in_one_title_only_is_reported() {
    assert_text(
        &similar(
            "Emergent Misalignment: Narrow finetuning can produce broadly misaligned LLMs",
            "Emergent Misalignment",
        ),
        REPORTED,
    );
}

#[test]
fn a_method_name_present_in_one_title_only_is_reported() {
    assert_text(
        &similar(
            "Booster: Tackling Harmful Fine-tuning for Large Language Models",
            "Tackling Harmful Fine-tuning for Large Language Models",
        ),
        REPORTED,
    );
}

#[test]
fn british_and_american_spellings_are_reported() {
    assert_text(
        &similar(
            "Characterising the Behaviour of Defences against Harmful Fine-tuning",
            "Characterizing the Behavior of Defenses against Harmful Fine-tuning",
        ),
        REPORTED,
    );
}

#[test]
fn titles_sharing_only_the_fields_stock_words_are_not_reported() {
    assert_text(
        &similar(
            "Safety Alignment for Large Language Models against Harmful Fine-tuning",
            "Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful Fine-tuning",
        ),
        CLEAN,
    );
}

#[test]
fn one_different_word_is_not_a_typo() {
    assert_text(
        &similar(
            "Safety Alignment for Large Language Models via Booster",
            "Safety Alignment for Large Language Models via Vaccine",
        ),
        CLEAN,
    );
}

#[test]
fn a_different_version_number_is_not_a_typo() {
    assert_text(
        &similar(
            "Fine-tuning Llama 2 Removes Safety Guardrails",
            "Fine-tuning Llama 3 Removes Safety Guardrails",
        ),
        CLEAN,
    );
}

#[test]
fn equal_titles_are_a_duplicate_not_also_a_near_duplicate() {
    let out = similar(
        "Shadow Alignment against Harmful Fine-tuning",
        "shadow alignment: against harmful fine tuning",
    );
    assert_text(
        &out,
        "papers/b.yaml:1:8: error[duplicate-paper]: same title as `papers/a.yaml`: merge the two \
         records into one\n1 error, 0 warnings in 2 files checked\n",
    );
}

#[test]
fn a_cluster_of_three_is_one_diagnostic_naming_the_others() {
    let out = validate(&[
        (
            "a.yaml",
            record(
                "Shadow Alignment against Harmful Fine-tuning",
                "arxiv: \"2410.00451\"",
            ),
        ),
        (
            "b.yaml",
            record(
                "Shadow Alignment aginst Harmful Fine-tuning",
                "doi: 10.1145/3712003",
            ),
        ),
        (
            "c.yaml",
            record(
                "Harmful Fine-tuning against Shadow Alignment",
                "doi: 10.1145/3712004",
            ),
        ),
    ]);
    assert_text(
        &out,
        "papers/b.yaml:1:8: warning[similar-title]: title is nearly the same as those of \
         `papers/a.yaml` and `papers/c.yaml`: if some are one paper, merge them\n\
         0 errors, 1 warning in 3 files checked\n",
    );
}

#[test]
fn a_large_cluster_names_five_files_and_counts_the_rest() {
    let typos = [
        "against", "aginst", "agaisnt", "agianst", "againts", "againt", "aganst", "agains",
    ];
    let files: Vec<(String, String)> = typos
        .iter()
        .enumerate()
        .map(|(i, typo)| {
            (
                format!("p{i}.yaml"),
                record(
                    &format!("Shadow Alignment {typo} Harmful Fine-tuning"),
                    &format!("doi: 10.1145/{}", 3712000 + i),
                ),
            )
        })
        .collect();
    let files: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    assert_text(
        &validate(&files),
        "papers/p1.yaml:1:8: warning[similar-title]: title is nearly the same as those of \
         `papers/p0.yaml`, `papers/p2.yaml`, `papers/p3.yaml`, `papers/p4.yaml`, \
         `papers/p5.yaml` and 2 more: if some are one paper, merge them\n\
         0 errors, 1 warning in 8 files checked\n",
    );
}

fn shared(a: &str, b: &str) -> String {
    validate(&[
        ("a.yaml", record("A First Title About Attacks", a)),
        ("b.yaml", record("Another Paper Entirely Different", b)),
    ])
}

#[test]
fn a_code_repository_spelt_two_ways_is_shared() {
    assert_text(
        &shared(
            "arxiv: \"2410.00451\"\ncode: https://github.com/git-disl/Vaccine",
            "doi: 10.1145/3712003\ncode: https://github.com/git-disl/vaccine.git/",
        ),
        "papers/b.yaml:5:7: warning[shared-identity]: same code repository \
         `github.com/git-disl/vaccine` as `papers/a.yaml`: if they are one paper, merge them\n\
         0 errors, 1 warning in 2 files checked\n",
    );
}

#[test]
fn a_repository_subfolder_is_not_the_whole_repository() {
    assert_text(
        &shared(
            "arxiv: \"2410.00451\"\ncode: https://github.com/lab/papers/tree/main/lisa",
            "doi: 10.1145/3712003\ncode: https://github.com/lab/papers/tree/main/booster",
        ),
        CLEAN,
    );
}

#[test]
fn an_arxiv_id_hidden_in_a_paper_link_is_shared() {
    assert_text(
        &shared(
            "arxiv: \"2410.16789\"",
            "paper: https://arxiv.org/pdf/2410.16789v2",
        ),
        "papers/b.yaml:4:8: warning[link-should-be-id]: `paper` is an arXiv link: write `arxiv: \
         2410.16789` instead\n\
         papers/b.yaml:4:8: warning[shared-identity]: same arXiv id `2410.16789` as \
         `papers/a.yaml`: if they are one paper, merge them\n\
         0 errors, 2 warnings in 2 files checked\n",
    );
}

#[test]
fn a_doi_hidden_in_a_publisher_link_is_shared() {
    assert_text(
        &shared(
            "doi: 10.1145/3712003",
            "paper: https://dl.acm.org/doi/abs/10.1145/3712003",
        ),
        "papers/b.yaml:4:8: warning[shared-identity]: same DOI `10.1145/3712003` as \
         `papers/a.yaml`: if they are one paper, merge them\n\
         0 errors, 1 warning in 2 files checked\n",
    );
}

#[test]
fn an_openreview_forum_in_two_spellings_is_shared() {
    assert_text(
        &shared(
            "openreview: X5YiG1YXVT",
            "paper: https://openreview.net/pdf?id=X5YiG1YXVT",
        ),
        "papers/b.yaml:4:8: warning[link-should-be-id]: `paper` is an OpenReview link: write \
         `openreview: X5YiG1YXVT` instead\n\
         papers/b.yaml:4:8: warning[shared-identity]: same OpenReview forum `X5YiG1YXVT` as \
         `papers/a.yaml`: if they are one paper, merge them\n\
         0 errors, 2 warnings in 2 files checked\n",
    );
}

#[test]
fn an_identity_already_reported_as_a_duplicate_is_not_repeated() {
    assert_text(
        &shared(
            "arxiv: \"2410.00451\"\ncode: https://github.com/a/b",
            "arxiv: \"2410.00451\"\ncode: https://github.com/A/B/",
        ),
        "papers/b.yaml:4:8: error[duplicate-paper]: same arXiv id as `papers/a.yaml`: merge the \
         two records into one\n1 error, 0 warnings in 2 files checked\n",
    );
}
