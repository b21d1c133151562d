use crate::util::{BASE, LIST, TestDb, assert_text};

/// One failing case: the files written into `papers/` and the exact diagnostics expected.
struct Case {
    rule: &'static str,
    files: &'static [(&'static str, &'static str)],
    expected: &'static str,
}

/// Records that differ from `BASE` in one way each, so each breaks exactly one rule.
const CASES: &[Case] = &[
    Case {
        rule: "control-character",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\nvenue: \"ICLR 2025\\n::error::Injected\"\n",
        )],
        expected: "papers/a.yaml:5:8: error[control-character]: `venue` holds the character U+000A (a control, bidirectional or zero-width character): remove it\n\
                   papers/a.yaml:5:8: warning[venue-alias]: write venue `ICLR 2025\\n::error::Injected` as `ICLR 2025 ::error::Injected`",
    },
    Case {
        rule: "yaml-tag",
        files: &[(
            "a.yaml",
            "title: !!binary QSBDbGVhbiBBdHRhY2s=\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
        )],
        expected: "papers/a.yaml:1:17: error[yaml-tag]: the value is tagged `tag:yaml.org,2002:binary`, which hides or changes its text: write the value as plain text without a tag",
    },
    Case {
        rule: "yaml-syntax",
        files: &[("a.yaml", "title: \"unclosed\nkind: attack\n")],
        expected: "papers/a.yaml:1:8: error[yaml-syntax]: unclosed quote",
    },
    Case {
        rule: "wrong-type",
        files: &[("a.yaml", "title: [A, List]\nkind: attack\ndate: \"2024\"\n")],
        expected: "papers/a.yaml:1:8: error[wrong-type]: expected string scalar",
    },
    Case {
        rule: "unknown-field",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\nvenu: ICLR 2025\n",
        )],
        expected: "papers/a.yaml:5:1: error[unknown-field]: unknown field `venu` (did you mean `venue`?)",
    },
    Case {
        rule: "duplicate-key",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\ntitle: Again\n",
        )],
        expected: "papers/a.yaml:5:1: error[duplicate-key]: `title` is given twice (first at line 1): keep one",
    },
    Case {
        rule: "missing-field",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\narxiv: \"2402.01109\"\n",
        )],
        expected: "papers/a.yaml:1:1: error[missing-field]: required field `date` is missing",
    },
    Case {
        rule: "invalid-id",
        files: &[("Clean_Attack.yaml", BASE)],
        expected: "papers/Clean_Attack.yaml: error[invalid-id]: `Clean_Attack` is not a valid paper id: use lowercase ASCII letters, digits and single hyphens, starting with a letter (e.g. `shadow-alignment`)",
    },
    Case {
        rule: "wrong-extension",
        files: &[("a.yml", BASE)],
        expected: "papers/a.yml: error[wrong-extension]: records end in `.yaml`: rename the file to `a.yaml`",
    },
    Case {
        rule: "invalid-kind",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attacker\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
        )],
        expected: "papers/a.yaml:2:7: error[invalid-kind]: `attacker` is not a valid kind: expected one of `attack`, `defense`, `analysis`, `benchmark`, `survey`",
    },
    Case {
        rule: "invalid-stage",
        files: &[(
            "a.yaml",
            "title: A Defense\nkind: defense\nstage: lunch\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
        )],
        expected: "papers/a.yaml:3:8: error[invalid-stage]: `lunch` is not a valid stage: expected one of `pre-training`, `alignment`, `fine-tuning`, `post-fine-tuning`\n\
                   papers/a.yaml:2:7: error[missing-stage]: a defense needs a `stage`: `pre-training`, `alignment`, `fine-tuning` or `post-fine-tuning`",
    },
    Case {
        rule: "missing-stage",
        files: &[(
            "a.yaml",
            "title: A Defense\nkind: defense\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
        )],
        expected: "papers/a.yaml:2:7: error[missing-stage]: a defense needs a `stage`: `pre-training`, `alignment`, `fine-tuning` or `post-fine-tuning`",
    },
    Case {
        rule: "unexpected-stage",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\nstage: alignment\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
        )],
        expected: "papers/a.yaml:3:8: error[unexpected-stage]: only a defense has a stage: remove `stage: alignment` from this attack",
    },
    Case {
        rule: "invalid-date",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: 2024/2/2\narxiv: \"2402.01109\"\n",
        )],
        expected: "papers/a.yaml:3:7: error[invalid-date]: `2024/2/2` is not a date of the form `YYYY-MM-DD`, `YYYY-MM` or `YYYY`",
    },
    Case {
        rule: "future-date",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2999-01\"\ndoi: 10.1145/3712003\n",
        )],
        expected: "papers/a.yaml:3:7: error[future-date]: date `2999-01` lies in the future (today is TODAY)",
    },
    Case {
        rule: "invalid-arxiv",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.1109\"\n",
        )],
        expected: "papers/a.yaml:4:8: error[invalid-arxiv]: `2402.1109` is not a new-style arXiv id `YYMM.NNNNN` (e.g. `2402.01109`)",
    },
    Case {
        rule: "invalid-doi",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\ndoi: https://doi.org/10.1145/3712003\n",
        )],
        expected: "papers/a.yaml:5:6: error[invalid-doi]: DOI `https://doi.org/10.1145/3712003` carries a prefix: write `10.1145/3712003`",
    },
    Case {
        rule: "invalid-openreview",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\nopenreview: https://openreview.net/forum?id=tTPHgb0EtV\n",
        )],
        expected: "papers/a.yaml:5:13: error[invalid-openreview]: OpenReview id `https://openreview.net/forum?id=tTPHgb0EtV` is a URL: write the forum id `tTPHgb0EtV`",
    },
    Case {
        rule: "date-arxiv-mismatch",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2025-02-02\"\narxiv: \"2402.01109\"\n",
        )],
        expected: "papers/a.yaml:3:7: warning[date-arxiv-mismatch]: date `2025-02-02` is 12 months away from arXiv id `2402.01109` (2024-02): the date is the first public appearance, usually arXiv v1",
    },
    Case {
        rule: "unknown-venue",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2025-05-20\"\narxiv: \"2505.14185\"\nvenue: ICLR20206\n",
        )],
        expected: "papers/a.yaml:5:8: error[unknown-venue]: venue `ICLR20206` is not a registry series followed by a year (did you mean `ICLR 2026`?); add the series to list.yaml if it is new",
    },
    Case {
        rule: "venue-alias",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\nvenue: NIPS2024\n",
        )],
        expected: "papers/a.yaml:5:8: warning[venue-alias]: write venue `NIPS2024` as `NeurIPS 2024`",
    },
    Case {
        rule: "preprint-venue",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\nvenue: arxiv\n",
        )],
        expected: "papers/a.yaml:5:8: warning[preprint-venue]: `arxiv` is a preprint server: a preprint has no venue, remove the line",
    },
    Case {
        rule: "venue-without-year",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\nvenue: TMLR\n",
        )],
        expected: "papers/a.yaml:5:8: warning[venue-without-year]: venue `TMLR` has no year: write `TMLR YEAR`",
    },
    Case {
        rule: "venue-before-date",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\nvenue: ICLR 2023\n",
        )],
        expected: "papers/a.yaml:5:8: error[venue-before-date]: venue year 2023 is earlier than the paper's date `2024-02-02`",
    },
    Case {
        rule: "invalid-url",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\ncode: https://github.com/a/b)\n",
        )],
        expected: "papers/a.yaml:5:7: error[invalid-url]: URL `https://github.com/a/b)` has unbalanced `()` brackets",
    },
    Case {
        rule: "tracking-url",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\nproject: https://example.org/p?utm_source=x&casa_token=y\n",
        )],
        expected: "papers/a.yaml:5:10: warning[tracking-url]: `project` carries tracking parameters `utm_source`, `casa_token`: remove them",
    },
    Case {
        rule: "link-should-be-id",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\npaper: https://arxiv.org/pdf/2402.01109v2\n",
        )],
        expected: "papers/a.yaml:4:8: warning[link-should-be-id]: `paper` is an arXiv link: write `arxiv: 2402.01109` instead",
    },
    Case {
        rule: "invalid-tag",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\ntags: [ok, Not OK]\n",
        )],
        expected: "papers/a.yaml:5:12: error[invalid-tag]: `Not OK` is not a valid tag: use lowercase ASCII letters, digits and single hyphens (e.g. `reinforcement-learning`)",
    },
    Case {
        rule: "invalid-author",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\nauthors:\n  - Ada Lovelace\n  - \" Alan Turing\"\n",
        )],
        expected: "papers/a.yaml:7:5: error[invalid-author]: author ` Alan Turing` is empty or padded with spaces",
    },
    Case {
        rule: "duplicate-paper",
        files: &[
            ("a.yaml", BASE),
            (
                "b.yaml",
                "title: Another Title Entirely\nkind: attack\ndate: \"2024-02\"\narxiv: \"2402.01109\"\n",
            ),
        ],
        expected: "papers/b.yaml:4:8: error[duplicate-paper]: same arXiv id as `papers/a.yaml`: merge the two records into one",
    },
    Case {
        rule: "similar-title",
        files: &[
            (
                "a.yaml",
                "title: Unleashing the Unseen Harnessing Benign Datasets for Jailbreaking Large Language Models\nkind: attack\ndate: \"2024-10-01\"\narxiv: \"2410.00451\"\n",
            ),
            (
                "b.yaml",
                "title: Unleashing the Unseen Harnessing Benign Datasets for Jailbreaking Large Language Modelss\nkind: attack\ndate: \"2024-10-01\"\ndoi: 10.1145/3712003\n",
            ),
        ],
        expected: "papers/b.yaml:1:8: warning[similar-title]: title is nearly the same as that of `papers/a.yaml`: if they are one paper, merge them",
    },
    Case {
        rule: "shared-identity",
        files: &[
            (
                "a.yaml",
                "title: Accidental Misalignment\nkind: attack\ndate: \"2025-05-22\"\narxiv: \"2505.16789\"\ncode: https://github.com/lab/repo\n",
            ),
            (
                "b.yaml",
                "title: Accidental Vulnerability\nkind: analysis\ndate: \"2025-05-22\"\ndoi: 10.1145/3712003\ncode: https://github.com/Lab/repo/tree/main\n",
            ),
        ],
        expected: "papers/b.yaml:5:7: warning[shared-identity]: same code repository `github.com/lab/repo` as `papers/a.yaml`: if they are one paper, merge them",
    },
    Case {
        rule: "unsectioned",
        files: &[(
            "a.yaml",
            "title: A Benchmark\nkind: benchmark\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
        )],
        expected: "papers/a.yaml:2:7: error[unsectioned]: no section of list.yaml takes this benchmark: the README would leave it out",
    },
    Case {
        rule: "multiple-sections",
        files: &[(
            "a.yaml",
            "title: A Federated Analysis\nkind: analysis\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\ntags: [federated]\n",
        )],
        expected: "papers/a.yaml:2:7: error[multiple-sections]: sections `Analyses` and `Federated` all take this paper: make their selectors exclusive",
    },
    Case {
        rule: "no-link",
        files: &[(
            "a.yaml",
            "title: A Clean Attack\nkind: attack\ndate: \"2024-02-02\"\n",
        )],
        expected: "papers/a.yaml:1:8: warning[no-link]: the record has no identifier and no link: add `arxiv`, `doi`, `openreview` or `paper`",
    },
];

fn summary(expected: &str, files: usize) -> String {
    let errors = expected.matches(": error[").count();
    let warnings = expected.matches(": warning[").count();
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    format!(
        "{}, {} in {} checked\n",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}

#[test]
fn every_rule_has_a_failing_case() {
    for rule in hftlist::model::diag::Rule::ALL {
        let covered = CASES.iter().any(|c| c.rule == rule.name())
            || crate::bad_inputs::COVERED_RULES.contains(&rule.name())
            || crate::links::COVERED_RULES.contains(&rule.name());
        assert!(covered, "rule `{}` has no failing case", rule.name());
    }
}

#[test]
fn each_failing_case_reports_exactly_its_diagnostics() {
    let today = hftlist::checks::lint::today().to_string();
    for case in CASES {
        let db = TestDb::new();
        for (name, text) in case.files {
            db.file(name, text);
        }
        let run = db.run(&["validate"]);
        let expected = case.expected.replace("TODAY", &today);
        let mut lines: Vec<&str> = expected.lines().map(str::trim_start).collect();
        lines.sort_unstable();
        let mut want = lines.join("\n");
        want.push('\n');
        let got_lines: Vec<&str> = run.stdout.lines().collect();
        let (body, last) = got_lines.split_at(got_lines.len().saturating_sub(1));
        let mut body = body.to_vec();
        body.sort_unstable();
        let mut got = body.join("\n");
        got.push('\n');
        assert_text(&got, &want);
        assert_eq!(
            format!("{}\n", last.first().copied().unwrap_or("")),
            summary(&expected, case.files.len()),
            "summary of {}",
            case.rule
        );
        let has_error = expected.contains(": error[");
        assert_eq!(run.code, i32::from(has_error), "exit code of {}", case.rule);
        assert!(
            expected.contains(&format!("[{}]", case.rule)),
            "case {} names its rule",
            case.rule
        );
    }
}

#[test]
fn a_clean_database_passes_every_rule() {
    let db = TestDb::new();
    for entry in std::fs::read_dir("tests/fixtures/good").unwrap() {
        let path = entry.unwrap().path();
        db.file(
            path.file_name().unwrap().to_str().unwrap(),
            std::fs::read(&path).unwrap(),
        );
    }
    let run = db.run(&["validate", "--deny-warnings"]);
    assert_text(&run.stdout, "0 errors, 0 warnings in 5 files checked\n");
    assert_eq!(run.code, 0);
}

#[test]
fn diagnostics_are_sorted_by_file_then_position_and_all_reported() {
    let db = TestDb::new();
    db.file(
        "b.yaml",
        "title: B\nkind: attacker\ndate: \"2024\"\ndoi: 10.11/1\n",
    );
    db.file(
        "a.yaml",
        "title: A\nkind: attack\ndate: 2024-13\ntitel: x\n",
    );
    let run = db.run(&["validate"]);
    assert_text(
        &run.stdout,
        "papers/a.yaml:3:7: error[invalid-date]: `2024-13` is not a day of the calendar\n\
         papers/a.yaml:4:1: error[unknown-field]: unknown field `titel` (did you mean `title`?)\n\
         papers/b.yaml:2:7: error[invalid-kind]: `attacker` is not a valid kind: expected one of `attack`, `defense`, `analysis`, `benchmark`, `survey`\n\
         papers/b.yaml:4:6: error[invalid-doi]: `10.11/1` is not a DOI `10.NNNN/suffix`\n\
         4 errors, 0 warnings in 2 files checked\n",
    );
    assert_eq!(run.code, 1);
}

#[test]
fn warnings_pass_unless_denied() {
    let db = TestDb::new();
    db.file("a.yaml", "title: A\nkind: attack\ndate: \"2024\"\n");
    assert_eq!(db.run(&["validate"]).code, 0);
    assert_eq!(db.run(&["validate", "--deny-warnings"]).code, 1);
}

#[test]
fn json_format_carries_the_same_diagnostics() {
    let db = TestDb::new();
    db.file(
        "a.yaml",
        "title: A\nkind: attack\ndate: \"2024\"\nvenue: NIPS 2024\ndoi: 10.1145/3712003\n",
    );
    let run = db.run(&["validate", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "diagnostics": [{
                "file": "papers/a.yaml",
                "line": 4,
                "column": 8,
                "rule": "venue-alias",
                "severity": "warning",
                "message": "write venue `NIPS 2024` as `NeurIPS 2024`"
            }],
            "errors": 0,
            "warnings": 1,
            "files": 1
        })
    );
    assert_eq!(run.code, 0);
}

#[test]
fn list_rules_names_every_rule_with_its_severity() {
    let run = TestDb::empty().run(&["validate", "--list-rules"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout.lines().count(),
        hftlist::model::diag::Rule::ALL.len()
    );
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("unknown-venue "))
        .unwrap();
    assert!(
        line.contains(" error ") && line.ends_with("followed by a year and an optional qualifier"),
        "{line}"
    );
}

#[test]
fn an_unusable_database_exits_2_with_a_clear_message() {
    let run = TestDb::empty().run(&["validate", "--db", "nowhere"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: the database folder `nowhere` does not exist (give another with --db or HFTLIST_DB)\n",
    );

    let run = TestDb::empty().run(&["validate"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: `papers/list.yaml` is missing: a database needs its list settings (see docs/format.md)\n",
    );

    let db = TestDb::empty();
    db.file(
        "list.yaml",
        LIST.replace("full-name: Transactions", "fullname: Transactions"),
    );
    let run = db.run(&["validate"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("hftlist: error: papers/list.yaml:33:5: unknown field `fullname`"),
        "{}",
        run.stderr
    );

    let db = TestDb::empty();
    db.file(
        "list.yaml",
        LIST.replace("aliases: [NIPS]", "aliases: [NIPS, iclr]"),
    );
    let run = db.run(&["validate"]);
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: papers/list.yaml: venue spelling `iclr` is claimed by both `ICLR` and `NeurIPS`\n",
    );
}

#[test]
fn the_database_can_come_from_the_environment() {
    let db = TestDb::new();
    db.file("a.yaml", BASE);
    let out = assert_cmd::Command::cargo_bin("hftlist")
        .unwrap()
        .current_dir(std::env::temp_dir())
        .env("HFTLIST_DB", db.papers())
        .arg("validate")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "0 errors, 0 warnings in 1 file checked\n"
    );
    assert!(out.status.success());
}
