//! `hftlist export` and `query --format bibtex`: citations that independent parsers read back as
//! written, on the fixture database `tests/fixtures/cite` (a conference, an early-dated
//! conference, a workshop, a Findings, a journal, a survey without a venue year, a preprint and
//! a record built to break BibTeX).

use std::collections::BTreeMap;

use biblatex::{Bibliography, ChunksExt, Entry, Person};

use crate::util::{TestDb, assert_text};

const DB: &str = "tests/fixtures/cite";

fn export(args: &[&str]) -> String {
    let mut all = vec!["--db", DB, "export"];
    all.extend_from_slice(args);
    let out = assert_cmd::Command::cargo_bin("hftlist")
        .unwrap()
        .args(&all)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every field of an entry as an independent parser reads it: verbatim text, braces removed and
/// TeX commands resolved.
fn fields(entry: &Entry) -> BTreeMap<String, String> {
    entry
        .fields
        .iter()
        .filter(|(k, _)| k.as_str() != "author")
        .map(|(k, v)| (k.clone(), v.format_verbatim()))
        .collect()
}

fn people(entry: &Entry) -> Vec<(String, String, String, String)> {
    entry
        .author()
        .unwrap()
        .into_iter()
        .map(
            |Person {
                 name,
                 given_name,
                 prefix,
                 suffix,
                 ..
             }| (given_name, prefix, name, suffix),
        )
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn person(
    given: &str,
    prefix: &str,
    family: &str,
    suffix: &str,
) -> (String, String, String, String) {
    (
        given.to_owned(),
        prefix.to_owned(),
        family.to_owned(),
        suffix.to_owned(),
    )
}

#[test]
fn bibtex_parses_back_field_for_field() {
    let bib = Bibliography::parse(&export(&["--format", "bibtex"])).unwrap();
    let keys: Vec<&str> = bib.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "preprint",
            "early",
            "conference",
            "findings",
            "survey",
            "workshop",
            "journal",
            "tricky"
        ]
    );
    let entry = |k: &str| bib.get(k).unwrap();
    let kind = |k: &str| entry(k).entry_type.to_string();

    assert_eq!(kind("conference"), "inproceedings");
    assert_eq!(
        fields(entry("conference")),
        map(&[
            (
                "title",
                "Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful Fine-tuning"
            ),
            (
                "booktitle",
                "Advances in Neural Information Processing Systems"
            ),
            ("year", "2024"),
            ("eprint", "2402.01109"),
            ("archiveprefix", "arXiv"),
            ("url", "https://arxiv.org/abs/2402.01109"),
        ])
    );
    // Dated 2023, published at ICLR 2024: the year is the venue's.
    assert_eq!(fields(entry("early"))["year"], "2024");

    assert_eq!(kind("workshop"), "inproceedings");
    assert_eq!(
        fields(entry("workshop")),
        map(&[
            ("title", "A safety study of fine-tuning in Vienna and Paris"),
            ("booktitle", "SafeGenAI Workshop at NeurIPS 2024"),
            ("year", "2024"),
            ("eprint", "2410.00001"),
            ("archiveprefix", "arXiv"),
            ("url", "https://arxiv.org/abs/2410.00001"),
        ])
    );
    assert_eq!(
        people(entry("workshop")),
        [
            person("Ludwig", "van", "Beethoven", ""),
            person("José", "", "García", "Jr.")
        ]
    );

    assert_eq!(
        fields(entry("findings"))["booktitle"],
        "Findings of the Association for Computational Linguistics: ACL 2024"
    );

    assert_eq!(kind("journal"), "article");
    assert_eq!(
        fields(entry("journal")),
        map(&[
            (
                "title",
                "PEFT-as-an-Attack: Jailbreaking Language Models during Federated Parameter-Efficient Fine-Tuning"
            ),
            ("journal", "Transactions on Machine Learning Research"),
            ("year", "2025"),
            ("doi", "10.1234/tmlr_2025.42"),
        ])
    );
    assert_eq!(
        people(entry("journal")),
        [
            person("", "", "Barnes and Noble", ""),
            person("Juan", "de la", "Cruz", ""),
            person("John", "", "Smith", "Jr."),
        ]
    );

    assert_eq!(kind("preprint"), "misc");
    assert_eq!(
        fields(entry("preprint")),
        map(&[
            (
                "title",
                "Shadow Alignment: The Ease of Subverting Safely-Aligned Language Models"
            ),
            ("howpublished", "arXiv:2310.02949"),
            ("year", "2023"),
            ("eprint", "2310.02949"),
            ("archiveprefix", "arXiv"),
            ("url", "https://arxiv.org/abs/2310.02949"),
        ])
    );

    // A journal without a year in the venue takes the date's.
    assert_eq!(fields(entry("survey"))["journal"], "ACM Computing Surveys");
    assert_eq!(fields(entry("survey"))["year"], "2024");
}

#[test]
fn bibtex_values_cannot_open_fields_or_entries() {
    let bib = Bibliography::parse(&export(&["--format", "bibtex", "--id", "tricky"])).unwrap();
    assert_eq!(bib.len(), 1, "no entry injected");
    let entry = bib.get("tricky").unwrap();
    assert_eq!(entry.entry_type.to_string(), "misc");
    assert_eq!(
        fields(entry),
        map(&[
            (
                "title",
                "Costs of {Braces}} 100% $x^2$ & #tags_ok ~ \\relax"
            ),
            ("note", "Some Symposium 2025"),
            ("year", "2025"),
            (
                "doi",
                "10.1234/x%7D,note=%7BX%7D,%7D@misc%7Bevil,title=%7BEvil%7D"
            ),
            (
                "url",
                "https://example.org/x%7D,note=%7BX%7D,%7D@misc%7Bevil,title=%7BEvil%7D%7D"
            ),
        ])
    );
    assert_eq!(
        people(entry),
        [
            person("Ada {Brace}", "", "L$ovelace", ""),
            person("", "", "Qwen Team", "")
        ]
    );
}

#[test]
fn titles_brace_only_what_must_keep_its_case() {
    let text = export(&["--format", "bibtex"]);
    for line in [
        "  title = {{Vaccine}: Perturbation-aware Alignment for Large Language Models against Harmful Fine-tuning},\n",
        "  title = {Emergent misalignment in {LLMs} after narrow fine-tuning},\n",
        "  title = {A safety study of fine-tuning in {Vienna} and {Paris}},\n",
        "  title = {{PEFT-as-an-Attack}: Jailbreaking Language Models during Federated Parameter-Efficient Fine-Tuning},\n",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
}

#[test]
fn doi_and_url_are_verbatim() {
    let text = export(&["--format", "bibtex", "--id", "journal"]);
    assert!(text.contains("  doi = {10.1234/tmlr_2025.42},\n"), "{text}");
    let text = export(&["--format", "bibtex", "--id", "findings"]);
    assert!(
        text.contains("  url = {https://aclanthology.org/2024.findings-acl.1/},\n"),
        "{text}"
    );
}

#[test]
fn query_bibtex_is_the_export() {
    let out = assert_cmd::Command::cargo_bin("hftlist")
        .unwrap()
        .args([
            "--db", DB, "query", "--format", "bibtex", "--id", "workshop",
        ])
        .output()
        .unwrap();
    assert_text(
        &String::from_utf8(out.stdout).unwrap(),
        &export(&["--format", "bibtex", "--id", "workshop"]),
    );
}

#[test]
fn biblatex_uses_online_eprinttype_and_dates() {
    let text = export(&["--format", "biblatex"]);
    let bib = Bibliography::parse(&text).unwrap();
    assert_eq!(bib.len(), 8);
    let preprint = bib.get("preprint").unwrap();
    assert_eq!(preprint.entry_type.to_string(), "online");
    assert_eq!(
        fields(preprint),
        map(&[
            (
                "title",
                "Shadow Alignment: The Ease of Subverting Safely-Aligned Language Models"
            ),
            ("date", "2023-10-04"),
            ("eprint", "2310.02949"),
            ("eprinttype", "arxiv"),
            ("url", "https://arxiv.org/abs/2310.02949"),
        ])
    );
    let journal = bib.get("journal").unwrap();
    assert_eq!(journal.entry_type.to_string(), "article");
    assert_eq!(
        fields(journal)["journaltitle"],
        "Transactions on Machine Learning Research"
    );
    assert_eq!(fields(journal)["date"], "2025");
    assert_eq!(people(journal)[0], person("", "", "Barnes and Noble", ""));
    let tricky = bib.get("tricky").unwrap();
    assert_eq!(
        fields(tricky)["title"],
        "Costs of {Braces}} 100% $x^2$ & #tags_ok ~ \\relax"
    );
}

fn csl(id: &str) -> serde_json::Value {
    let text = export(&["--format", "csl-json", "--id", id]);
    let mut items: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(items.len(), 1);
    items.remove(0)
}

#[test]
fn csl_conference_paper_has_the_venue_year_and_no_number() {
    assert_eq!(
        csl("early"),
        serde_json::json!({
            "id": "early", "type": "paper-conference",
            "title": "Booster: Tackling Harmful Fine-tuning for Large Language Models via Attenuating Harmful Perturbation",
            "author": [{"family": "Huang", "given": "Tiansheng"}, {"family": "Liu", "given": "Ling"}],
            "issued": {"date-parts": [[2024]]},
            "container-title": "International Conference on Learning Representations",
            "URL": "https://arxiv.org/abs/2312.01586"
        })
    );
}

#[test]
fn csl_workshop_paper_is_named_as_a_workshop_with_split_names() {
    assert_eq!(
        csl("workshop"),
        serde_json::json!({
            "id": "workshop", "type": "paper-conference",
            "title": "A safety study of fine-tuning in Vienna and Paris",
            "author": [
                {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
                {"family": "García", "given": "José", "suffix": "Jr."}
            ],
            "issued": {"date-parts": [[2024]]},
            "container-title": "SafeGenAI Workshop at NeurIPS 2024",
            "URL": "https://arxiv.org/abs/2410.00001"
        })
    );
}

#[test]
fn csl_journal_paper_has_literal_authors_and_doi() {
    assert_eq!(
        csl("journal"),
        serde_json::json!({
            "id": "journal", "type": "article-journal",
            "title": "PEFT-as-an-Attack: Jailbreaking Language Models during Federated Parameter-Efficient Fine-Tuning",
            "author": [
                {"literal": "Barnes and Noble"},
                {"family": "Cruz", "given": "Juan", "non-dropping-particle": "de la"},
                {"family": "Smith", "given": "John", "suffix": "Jr."}
            ],
            "issued": {"date-parts": [[2025]]},
            "container-title": "Transactions on Machine Learning Research",
            "DOI": "10.1234/tmlr_2025.42"
        })
    );
}

#[test]
fn csl_preprint_is_numbered_by_arxiv() {
    assert_eq!(
        csl("preprint"),
        serde_json::json!({
            "id": "preprint", "type": "article",
            "title": "Shadow Alignment: The Ease of Subverting Safely-Aligned Language Models",
            "author": [{"family": "Yang", "given": "Xianjun"}, {"family": "Wang", "given": "Xiao"}],
            "issued": {"date-parts": [[2023, 10, 4]]},
            "publisher": "arXiv", "number": "arXiv:2310.02949",
            "URL": "https://arxiv.org/abs/2310.02949"
        })
    );
}

#[test]
fn csl_keeps_hostile_text_as_data() {
    let item = csl("tricky");
    assert_eq!(
        item["title"],
        "Costs of {Braces}} 100% $x^2$ & #tags_ok ~ \\relax"
    );
    assert_eq!(item["DOI"], "10.1234/x},note={X},}@misc{evil,title={Evil}");
    assert_eq!(item["container-title"], "Some Symposium 2025");
}

fn formula_db() -> TestDb {
    let db = TestDb::new();
    db.file(
        "formula.yaml",
        "title: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"\nkind: attack\ndate: \"2024\"\n\
         authors: [\"+1 Ada\", \"@Bob\"]\nnote: \"-2+3\"\ntags: [llm]\n",
    );
    db.file(
        "plain.yaml",
        "title: \"'quoted' and\ttabbed\"\nkind: attack\ndate: \"2024\"\nnote: \"\\tlead\"\n",
    );
    db
}

#[test]
fn csv_neutralises_formula_cells() {
    let run = formula_db().run(&["export", "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stdout,
        "id,title,kind,stage,date,venue,authors,arxiv,doi,openreview,paper,code,project,tags,note\r\n\
         plain,''quoted' and\ttabbed,attack,,2024,,,,,,,,,,'\tlead\r\n\
         formula,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",attack,,2024,,'+1 Ada; @Bob,,,,,,,llm,'-2+3\r\n",
    );
}

#[test]
fn csv_reads_back_after_one_leading_quote_is_removed() {
    let run = formula_db().run(&["export", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let value = |row: usize, col: usize| {
        let cell = &rows[row][col];
        cell.strip_prefix('\'').unwrap_or(cell).to_owned()
    };
    // In the catalog's order: by date, then title.
    assert_eq!(value(0, 1), "'quoted' and\ttabbed");
    assert_eq!(value(0, 14), "\tlead");
    assert_eq!(value(1, 1), "=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(value(1, 6), "+1 Ada; @Bob");
    assert_eq!(value(1, 14), "-2+3");
}

#[test]
fn render_cites_a_record_by_id() {
    let db = TestDb::new();
    db.file(
        "list.yaml",
        std::fs::read_to_string(format!("{DB}/list.yaml")).unwrap(),
    );
    db.file(
        "survey.yaml",
        std::fs::read_to_string(format!("{DB}/survey.yaml")).unwrap(),
    );
    db.file(
        "README.template.md",
        "```bibtex\n{{ cite(\"survey\") }}\n```\n",
    );
    let run = db.run(&["render"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stdout,
        "```bibtex\n@article{survey,\n  title = {Harmful Fine-tuning Attacks and Defenses for Large Language Models: A Survey},\n  \
         author = {Huang, Tiansheng and Hu, Sihao and Ilhan, Fatih and Tekin, Selim Furkan and Liu, Ling},\n  \
         journal = {ACM Computing Surveys},\n  year = {2024},\n  eprint = {2409.18169},\n  archivePrefix = {arXiv},\n  \
         url = {https://arxiv.org/abs/2409.18169},\n}\n```\n",
    );
}

#[test]
fn render_cite_of_an_unknown_id_is_an_error() {
    let db = TestDb::new();
    db.file("README.template.md", "{{ cite(\"nobody\") }}\n");
    let run = db.run(&["render"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cite(\"nobody\"): no paper has this id"),
        "{}",
        run.stderr
    );
}

#[test]
fn whole_list_names_parse_back_one_person_per_author() {
    let out = assert_cmd::Command::cargo_bin("hftlist")
        .unwrap()
        .args(["--db", "papers", "export", "--format", "bibtex"])
        .output()
        .unwrap();
    let bib = Bibliography::parse(&String::from_utf8(out.stdout).unwrap()).unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir("papers").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if !name.ends_with(".yaml") || name == "list.yaml" {
            continue;
        }
        let record: BTreeMap<String, serde_json::Value> =
            serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let id = name.trim_end_matches(".yaml");
        let authors = record
            .get("authors")
            .and_then(|a| a.as_array())
            .map_or(0, Vec::len);
        let entry = bib.get(id).unwrap_or_else(|| panic!("no entry for {id}"));
        let parsed = if authors == 0 {
            0
        } else {
            entry.author().unwrap().len()
        };
        assert_eq!(parsed, authors, "{id}");
        checked += authors;
    }
    assert!(checked > 500, "only {checked} authors");
}
