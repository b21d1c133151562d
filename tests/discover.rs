//! `hftlist discover` against local stand-ins of the arXiv API and Semantic Scholar serving
//! recorded answers (tests/fixtures/discover/): what is left out (listed by arXiv id, by a
//! near-identical title, off-topic, older than --since), what ranks first, paging of both
//! services, the formats, the exit codes and --offline.

use crate::server::{Reply, Server, dead_port, hftlist, run, serve};
use crate::util::{LIST, Run, TestDb, assert_text};

const DISCOVER: &str = "discover:\n  phrases:\n    - harmful fine-tuning\n    - safety alignment\n  \
                        cites:\n    - vaccine\n    - lisa\n";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/discover/{name}")).unwrap()
}

/// The test list with the `discover` section and four records: the two key papers, one the
/// arXiv search finds by id, one it finds under a near-identical title.
fn db() -> TestDb {
    let db = TestDb::new();
    db.file("list.yaml", format!("{LIST}{DISCOVER}"));
    db.file(
        "vaccine.yaml",
        "title: \"Vaccine: Perturbation-aware Alignment for Large Language Models against Harmful Fine-tuning Attack\"\n\
         kind: defense\nstage: alignment\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n",
    );
    db.file(
        "lisa.yaml",
        "title: \"Lisa: Lazy Safety Alignment for Large Language Models against Harmful Fine-tuning Attack\"\n\
         kind: defense\nstage: fine-tuning\ndate: \"2024-05-28\"\narxiv: \"2405.18641\"\n",
    );
    db.file(
        "listed.yaml",
        "title: A Listed Attack\nkind: attack\ndate: \"2025-09-05\"\narxiv: \"2509.00002\"\n",
    );
    db.file(
        "safety-tax.yaml",
        "title: \"Safety Tax: Safety Alignment Makes Your Large Reasoning Models Less Reasonable\"\n\
         kind: analysis\ndate: \"2025-03-01\"\ndoi: 10.1234/safety-tax\n",
    );
    db
}

/// The stand-ins: two arXiv search pages; two pages of Vaccine's citations, one of Lisa's.
fn servers() -> (Server, Server) {
    let arxiv = serve(vec![
        Reply::ok(fixture("arxiv-page1.xml")),
        Reply::ok(fixture("arxiv-page2.xml")),
    ]);
    let s2 = serve(vec![
        Reply::ok(fixture("s2-vaccine-1.json")),
        Reply::ok(fixture("s2-vaccine-2.json")),
        Reply::ok(fixture("s2-lisa.json")),
    ]);
    (arxiv, s2)
}

fn discover(db: &TestDb, arxiv: &str, s2: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = hftlist(db);
    cmd.env("HFTLIST_ARXIV_URL", arxiv)
        .env("HFTLIST_S2_URL", s2)
        .env_remove("S2_API_KEY")
        .arg("discover")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(&mut cmd)
}

/// A full run against fresh stand-ins, `--since 2025-08-01`, JSON out.
fn json_run(extra: &[&str]) -> (serde_json::Value, Run, Server, Server) {
    let db = db();
    let (arxiv, s2) = servers();
    let mut args = vec!["--since", "2025-08-01", "--format", "json"];
    args.extend_from_slice(extra);
    let run = discover(
        &db,
        &arxiv.endpoint(),
        &format!("{}/graph/v1", s2.base),
        &args,
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    (doc, run, arxiv, s2)
}

fn titles(doc: &serde_json::Value) -> Vec<String> {
    doc["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_owned())
        .collect()
}

fn arxiv_ids(doc: &serde_json::Value) -> Vec<String> {
    doc["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["arxiv"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_candidate_the_list_holds_by_arxiv_id_is_left_out() {
    let (doc, run, _, _) = json_run(&[]);
    assert!(!arxiv_ids(&doc).contains(&"2509.00002".to_owned()), "{doc}");
    assert!(
        run.stderr.contains("left out: 2 already in the list"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_candidate_the_list_holds_under_a_near_identical_title_is_left_out() {
    let (doc, _, _, _) = json_run(&["--min-score", "0"]);
    assert!(!arxiv_ids(&doc).contains(&"2509.00003".to_owned()), "{doc}");
    assert!(
        !titles(&doc).iter().any(|t| t.starts_with("Safety Tax")),
        "{doc}"
    );
}

#[test]
fn a_paper_citing_two_key_papers_ranks_first_with_both_named() {
    let (doc, _, _, _) = json_run(&[]);
    let first = &doc["candidates"][0];
    assert_eq!(first["arxiv"], "2510.00006");
    assert_eq!(first["cites"], serde_json::json!(["lisa", "vaccine"]));
    assert_eq!(first["doi"], "10.48550/arXiv.2510.00006");
    assert_eq!(first["kind_guess"], "defense");
    assert_eq!(
        first["add"],
        "hftlist add 2510.00006 --kind defense --stage post-fine-tuning"
    );
    assert!(
        first["why"]
            .as_str()
            .unwrap()
            .starts_with("cites lisa, vaccine"),
        "{first}"
    );
}

#[test]
fn an_off_topic_phrase_match_falls_below_the_default_min_score() {
    let (doc, run, _, _) = json_run(&[]);
    assert!(!arxiv_ids(&doc).contains(&"2508.00004".to_owned()), "{doc}");
    assert!(
        run.stderr.contains("1 below --min-score 2"),
        "{}",
        run.stderr
    );
    let (all, _, _, _) = json_run(&["--min-score", "0"]);
    let off = all["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["arxiv"] == "2508.00004")
        .unwrap();
    assert_eq!(
        off["abstract_phrases"],
        serde_json::json!(["harmful fine-tuning"])
    );
    assert!(off["score"].as_f64().unwrap() < 2.0, "{off}");
}

#[test]
fn both_services_are_paged_to_their_last_page() {
    let (_, _, arxiv, s2) = json_run(&[]);
    let arxiv_heads = arxiv.requests.lock().unwrap().clone();
    assert_eq!(arxiv_heads.len(), 2);
    assert!(
        arxiv_heads[0].contains("&start=0&max_results=100 "),
        "{}",
        arxiv_heads[0]
    );
    assert!(
        arxiv_heads[1].contains("&start=2&max_results=100 "),
        "{}",
        arxiv_heads[1]
    );
    assert!(
        arxiv_heads[0].starts_with(
            "GET /api/query?search_query=ti%3A%22harmful%20fine-tuning%22%20OR%20abs%3A%22harmful%20fine-tuning%22%20OR%20ti%3A%22safety%20alignment%22%20OR%20abs%3A%22safety%20alignment%22&sortBy=submittedDate&sortOrder=descending&"
        ),
        "{}",
        arxiv_heads[0]
    );
    let s2_heads = s2.requests.lock().unwrap().clone();
    let lines: Vec<&str> = s2_heads.iter().map(|h| h.lines().next().unwrap()).collect();
    assert_eq!(
        lines,
        [
            "GET /graph/v1/paper/ARXIV:2402.01109/citations?fields=title,abstract,externalIds,publicationDate,year&offset=0&limit=1000 HTTP/1.1",
            "GET /graph/v1/paper/ARXIV:2402.01109/citations?fields=title,abstract,externalIds,publicationDate,year&offset=1&limit=1000 HTTP/1.1",
            "GET /graph/v1/paper/ARXIV:2405.18641/citations?fields=title,abstract,externalIds,publicationDate,year&offset=0&limit=1000 HTTP/1.1",
        ]
    );
    // The second page of Vaccine's citations holds the paper known only by its DOI.
    let (all, _, _, _) = json_run(&["--min-score", "0"]);
    assert!(
        titles(&all).contains(&"Auditing Fine-tuned Chat Models in Industry".to_owned()),
        "{all}"
    );
}

#[test]
fn since_stops_the_search_and_drops_older_papers() {
    let (doc, run, arxiv, _) = json_run(&["--min-score", "0"]);
    // 10 results in all, but the second page reaches back before --since: no third page.
    assert_eq!(arxiv.count(), 2);
    assert!(!arxiv_ids(&doc).contains(&"2507.00005".to_owned()), "{doc}");
    assert!(run.stderr.contains(", 1 older,"), "{}", run.stderr);
    assert_eq!(doc["since"], "2025-08-01");
}

#[test]
fn the_default_since_is_the_newest_paper_minus_30_days() {
    let db = db();
    let (arxiv, s2) = servers();
    let run = discover(
        &db,
        &arxiv.endpoint(),
        &format!("{}/graph/v1", s2.base),
        &["--format", "json"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // The newest record is dated 2025-09-05.
    assert_eq!(doc["since"], "2025-08-06");
}

#[test]
fn markdown_is_a_checklist_with_the_add_commands() {
    let db = db();
    let (arxiv, s2) = servers();
    let run = discover(
        &db,
        &arxiv.endpoint(),
        &format!("{}/graph/v1", s2.base),
        &[
            "--since",
            "2025-08-01",
            "--format",
            "markdown",
            "--limit",
            "2",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "## Papers to review: 2 candidate(s) since 2025-08-01"
    );
    let boxes: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("- [ ] "))
        .collect();
    assert_eq!(boxes.len(), 2, "{}", run.stdout);
    assert!(
        boxes[0].starts_with(
            "- [ ] **Booster Shots: Re-alignment Against Fine-tuning Risks** (2025-10-03, [arXiv 2510.00006](https://arxiv.org/abs/2510.00006), score "
        ),
        "{}",
        boxes[0]
    );
    assert!(
        run.stdout
            .contains("\n  `hftlist add 2510.00006 --kind defense --stage post-fine-tuning`\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\n  `hftlist add 2510.00001 --kind defense --stage post-fine-tuning`\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_table_has_a_header_and_one_line_per_candidate() {
    let db = db();
    let (arxiv, s2) = servers();
    let run = discover(
        &db,
        &arxiv.endpoint(),
        &format!("{}/graph/v1", s2.base),
        &["--since", "2025-08-01"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("score  date        arxiv"),
        "{}",
        run.stdout
    );
    assert_eq!(lines.len(), 1 + 3, "{}", run.stdout);
    let cells: Vec<&str> = lines[1]
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells[1..],
        [
            "2025-10-03",
            "2510.00006",
            "defense?",
            "Booster Shots: Re-alignment Against Fine-tuning Risks",
            "cites lisa, vaccine"
        ],
        "{}",
        lines[1]
    );
    assert!(
        lines[3].contains("doi:10.1145/3700000.3700007"),
        "{}",
        lines[3]
    );
}

#[test]
fn no_reachable_source_exits_2() {
    let db = db();
    let dead = format!("http://127.0.0.1:{}", dead_port());
    let run = discover(
        &db,
        &format!("{dead}/api/query"),
        &format!("{dead}/graph/v1"),
        &["--since", "2025-08-01"],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("hftlist: warning: the arXiv search failed: cannot connect"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hftlist: warning: the Semantic Scholar citations of `vaccine` failed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("hftlist: error: no source could be asked (see the warnings above); nothing to discover\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn one_source_down_is_a_warning_and_the_other_still_answers() {
    let db = db();
    let (_, s2) = servers();
    let dead = format!("http://127.0.0.1:{}/api/query", dead_port());
    let run = discover(
        &db,
        &dead,
        &format!("{}/graph/v1", s2.base),
        &["--since", "2025-08-01", "--format", "markdown"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hftlist: warning: the arXiv search failed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("> **Warning:** the arXiv search failed"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2510.00006"), "{}", run.stdout);
}

#[test]
fn offline_answers_from_the_cache_of_an_earlier_run() {
    let db = db();
    let (arxiv, s2) = servers();
    let (a, s) = (arxiv.endpoint(), format!("{}/graph/v1", s2.base));
    let args = ["--since", "2025-08-01", "--format", "json"];
    let online = discover(&db, &a, &s, &args, &[]);
    assert_eq!(online.code, 0, "{}", online.stderr);
    let offline = discover(&db, &a, &s, &[&args[..], &["--offline"]].concat(), &[]);
    assert_eq!(offline.code, 0, "{}", offline.stderr);
    assert_text(&offline.stdout, &online.stdout);
    assert_eq!(arxiv.count() + s2.count(), 5);
}

#[test]
fn offline_with_an_empty_cache_exits_2_naming_the_requests() {
    let db = db();
    let run = discover(
        &db,
        "http://127.0.0.1:9/api/query",
        "http://127.0.0.1:9/graph/v1",
        &["--since", "2025-08-01", "--offline"],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "the arXiv search failed: --offline, and the cache has no answer for http://127.0.0.1:9/api/query?search_query="
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn the_s2_api_key_is_sent_as_a_header() {
    let db = db();
    let (arxiv, s2) = servers();
    let run = discover(
        &db,
        &arxiv.endpoint(),
        &format!("{}/graph/v1", s2.base),
        &["--since", "2025-08-01"],
        &[("S2_API_KEY", "test-key-123")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let heads = s2.requests.lock().unwrap().clone();
    assert!(
        heads
            .iter()
            .all(|h| h.to_lowercase().contains("\r\nx-api-key: test-key-123\r\n")),
        "{heads:?}"
    );
    assert!(
        !arxiv.requests.lock().unwrap()[0]
            .to_lowercase()
            .contains("x-api-key")
    );
    // The key is not in the cache.
    let cached = walk(&db.root().join("cache"));
    assert!(!cached.iter().any(|text| text.contains("test-key-123")));
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned());
        }
    }
    out
}

#[test]
fn a_key_paper_that_is_not_a_record_is_refused_before_any_request() {
    let db = db();
    db.file(
        "list.yaml",
        format!("{LIST}discover:\n  phrases: [harmful fine-tuning]\n  cites: [no-such-paper]\n"),
    );
    let run = discover(
        &db,
        "http://127.0.0.1:9/api/query",
        "http://127.0.0.1:9/graph/v1",
        &[],
        &[],
    );
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: papers/list.yaml: `discover.cites` names `no-such-paper`, which is not a record in papers\n",
    );
}

#[test]
fn a_list_without_a_discover_section_is_an_error() {
    let db = db();
    db.file("list.yaml", LIST);
    let run = discover(
        &db,
        "http://127.0.0.1:9/api/query",
        "http://127.0.0.1:9/graph/v1",
        &[],
        &[],
    );
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: papers/list.yaml: there is no `discover` section with `phrases` or `cites`; see docs/format.md\n",
    );
}

#[test]
fn a_bad_discover_phrase_is_refused_naming_list_yaml() {
    let db = db();
    db.file(
        "list.yaml",
        format!("{LIST}discover:\n  phrases: [harmful fine-tuning, \"say \\\"hi\\\"\"]\n"),
    );
    let run = discover(
        &db,
        "http://127.0.0.1:9/api/query",
        "http://127.0.0.1:9/graph/v1",
        &[],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("hftlist: error: papers/list.yaml: the `discover` phrase `say \"hi\"` holds the character"),
        "{}",
        run.stderr
    );
}
