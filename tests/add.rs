use std::time::{Duration, Instant};

use crate::server::{Reply, hftlist, run, serve};
use crate::util::{TestDb, assert_text};

/// An Atom feed as the arXiv API User's Manual shows it, for one paper.
pub fn feed(id: &str, title: &str, summary: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query?id_list={id}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: search_query=&amp;id_list={id}&amp;start=0&amp;max_results=10</title>
  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>
  <updated>2025-01-30T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/{id}v2</id>
    <updated>2025-02-10T18:00:00Z</updated>
    <published>2025-01-29T08:00:00Z</published>
    <title>{title}</title>
    <summary>{summary}</summary>
    <author><name>Tiansheng Huang</name></author>
    <author><name>Sihao Hu</name></author>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">12 pages</arxiv:comment>
    <link href="http://arxiv.org/abs/{id}v2" rel="alternate" type="text/html"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.CR" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>"#
    )
}

const ERROR_FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=&amp;id_list=2501.1743</title>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_2501.1743</id>
    <title>Error</title>
    <summary>incorrect id format for 2501.1743</summary>
    <updated>2025-01-30T00:00:00-05:00</updated>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>"#;

const EMPTY_FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=&amp;id_list=2501.99999</title>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:totalResults>
</feed>"#;

pub fn virus() -> String {
    feed(
        "2501.17433",
        "Virus: Harmful Fine-tuning Attack for Large Language Models\n  Bypassing Guardrail Moderation",
        "We show ... Code is available at https://github.com/git-disl/Virus.",
    )
}

/// Runs `hftlist add` against the fake API at `endpoint`.
pub fn add(db: &TestDb, endpoint: &str, args: &[&str]) -> crate::util::Run {
    run(hftlist(db)
        .env("HFTLIST_ARXIV_URL", endpoint)
        .arg("add")
        .args(args))
}

pub fn record_count(db: &TestDb) -> usize {
    std::fs::read_dir(db.papers())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".yaml")
        })
        .count()
        - 1
}

#[test]
fn adds_a_paper_from_arxiv() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus())]);
    let run = add(&db, &server.endpoint(), &["2501.17433", "--kind", "attack"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, "papers/virus.yaml\n");
    assert_text(
        &std::fs::read_to_string(db.papers().join("virus.yaml")).unwrap(),
        "title: \"Virus: Harmful Fine-tuning Attack for Large Language Models Bypassing Guardrail Moderation\"\n\
         kind: attack\ndate: \"2025-01-29\"\nauthors:\n- Tiansheng Huang\n- Sihao Hu\narxiv: \"2501.17433\"\n\
         code: https://github.com/git-disl/Virus\n",
    );
    let head = &server.requests.lock().unwrap()[0];
    assert!(
        head.starts_with("GET /api/query?id_list=2501.17433 HTTP/1.1\r\n"),
        "{head}"
    );
    assert!(
        head.to_lowercase().contains(&format!(
            "user-agent: hftlist/{}",
            env!("CARGO_PKG_VERSION")
        )),
        "{head}"
    );
    let validate = db.run(&["validate"]);
    assert_eq!(validate.code, 0, "{}", validate.stdout);
}

#[test]
fn flags_fill_the_rest_and_a_url_is_accepted() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus())]);
    let run = add(
        &db,
        &server.endpoint(),
        &[
            "https://arxiv.org/pdf/2501.17433v2",
            "--kind",
            "defense",
            "--stage",
            "fine-tuning",
            "--venue",
            "ICLR 2026",
            "--tag",
            "llm",
            "--note",
            "a note",
            "--id",
            "virus-defense",
            "--code",
            "https://gitlab.com/x/y",
            "--date",
            "2025-01",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &std::fs::read_to_string(db.papers().join("virus-defense.yaml")).unwrap(),
        "title: \"Virus: Harmful Fine-tuning Attack for Large Language Models Bypassing Guardrail Moderation\"\n\
         kind: defense\nstage: fine-tuning\ndate: 2025-01\nvenue: ICLR 2026\nauthors:\n- Tiansheng Huang\n- Sihao Hu\n\
         arxiv: \"2501.17433\"\ncode: https://gitlab.com/x/y\ntags:\n- llm\nnote: a note\n",
    );
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus())]);
    let run = add(
        &db,
        &server.endpoint(),
        &["2501.17433", "--kind", "attack", "--dry-run"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("title: \"Virus: Harmful"),
        "{}",
        run.stdout
    );
    assert_eq!(record_count(&db), 0);
}

#[test]
fn a_paper_already_listed_is_refused_before_any_request() {
    let db = TestDb::new();
    db.file(
        "virus.yaml",
        "title: Virus\nkind: attack\ndate: \"2025-01-29\"\narxiv: \"2501.17433\"\n",
    );
    let server = serve(vec![]);
    let run = add(&db, &server.endpoint(), &["2501.17433", "--kind", "attack"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: this paper is already in `papers/virus.yaml` (same arXiv id); nothing was written\n",
    );
    assert_eq!(server.count(), 0);
}

#[test]
fn a_paper_with_the_same_title_is_refused() {
    let db = TestDb::new();
    db.file(
        "other.yaml",
        "title: \"Virus: Harmful Fine-tuning Attack for Large Language Models Bypassing Guardrail Moderation\"\nkind: attack\ndate: \"2025-01-29\"\nopenreview: tTPHgb0EtV\n",
    );
    let server = serve(vec![Reply::ok(virus())]);
    let run = add(&db, &server.endpoint(), &["2501.17433", "--kind", "attack"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        &format!(
            "hftlist: fetching {}?id_list=2501.17433 ...\n\
             hftlist: this paper is already in `papers/other.yaml` (same title); nothing was written\n",
            server.endpoint()
        ),
    );
    assert_eq!(record_count(&db), 1);
}

#[test]
fn a_nearly_identical_title_is_named_before_writing() {
    let db = TestDb::new();
    // One letter apart, as the hand-kept list's typos were.
    db.file(
        "other.yaml",
        "title: \"Virus: Harmful Fine-tuning Attack for Large Language Models Bypasing Guardrail Moderation\"\nkind: attack\ndate: \"2025-01-29\"\nopenreview: tTPHgb0EtV\n",
    );
    let server = serve(vec![Reply::ok(virus())]);
    let run = add(&db, &server.endpoint(), &["2501.17433", "--kind", "attack"]);
    assert!(
        run.stderr.contains(
            "hftlist: warning: the title is nearly the same as that of `papers/other.yaml`: if \
             they are one paper, keep one record\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_taken_id_is_refused_with_a_suggestion() {
    let db = TestDb::new();
    db.file(
        "virus.yaml",
        "title: Another Virus Paper\nkind: attack\ndate: \"2025-01-29\"\ndoi: 10.1145/3712003\n",
    );
    let server = serve(vec![Reply::ok(virus())]);
    let run = add(&db, &server.endpoint(), &["2501.17433", "--kind", "attack"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.ends_with(
            "\nhftlist: the id `virus` is taken by `papers/virus.yaml`; choose another with --id (e.g. `--id virus-2`)\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_record_that_fails_validation_is_not_written() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus())]);
    let run = add(
        &db,
        &server.endpoint(),
        &["2501.17433", "--kind", "attack", "--venue", "Nowhere 2024"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("\npapers/virus.yaml: error[unknown-venue]: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("\nhftlist: the new record has 1 error(s); nothing was written\n"),
        "{}",
        run.stderr
    );
    assert_eq!(record_count(&db), 0);
}

#[test]
fn a_defense_without_a_stage_is_refused_before_anything_is_fetched() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus())]);
    let run = add(
        &db,
        &server.endpoint(),
        &["2501.17433", "--kind", "defense"],
    );
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: a defense needs --stage: `pre-training`, `alignment`, `fine-tuning` or \
         `post-fine-tuning`; nothing was fetched\n",
    );
    assert_eq!(server.count(), 0);
    assert_eq!(record_count(&db), 0);
}

#[test]
fn a_stage_on_an_attack_is_refused_before_anything_is_fetched() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus())]);
    let run = add(
        &db,
        &server.endpoint(),
        &["2501.17433", "--kind", "attack", "--stage", "alignment"],
    );
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: only a defense has a stage: drop `--stage alignment` for this attack; \
         nothing was fetched\n",
    );
    assert_eq!(server.count(), 0);
}

#[test]
fn without_network_for_a_paper_not_on_arxiv() {
    let db = TestDb::new();
    let run = db.run(&[
        "add",
        "--kind",
        "attack",
        "--title",
        "A Paper Not on arXiv",
        "--date",
        "2025-10-08",
        "--openreview",
        "tTPHgb0EtV",
        "--author",
        "Ada Lovelace",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, "papers/a-paper-not-on-arxiv.yaml\n");
    assert_text(
        &std::fs::read_to_string(db.papers().join("a-paper-not-on-arxiv.yaml")).unwrap(),
        "title: A Paper Not on arXiv\nkind: attack\ndate: \"2025-10-08\"\nauthors:\n- Ada Lovelace\nopenreview: tTPHgb0EtV\n",
    );
    let run = db.run(&["add", "--kind", "attack", "--title", "No Date"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("give an arXiv id, a DOI or an OpenReview forum, or --title and --date"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let db = TestDb::new();
    let run = db.run(&["add", "2501.17433", "--kind", "attacker"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "invalid value 'attacker' for '--kind <KIND>'\n  [possible values: attack, defense, analysis, benchmark, survey]"
        ),
        "{}",
        run.stderr
    );
    let run = db.run(&["add", "2501.1743", "--kind", "attack"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not a new-style arXiv id"),
        "{}",
        run.stderr
    );
}

#[test]
fn retries_once_after_a_503_honouring_retry_after() {
    let db = TestDb::new();
    let server = serve(vec![
        Reply::Http(503, "Retry-After: 0\r\n".into(), "busy".to_owned()),
        Reply::ok(virus()),
    ]);
    let started = Instant::now();
    let run = add(&db, &server.endpoint(), &["2501.17433", "--kind", "attack"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(server.count(), 2);
    // Retry-After: 0, but arXiv asks for 3 s between requests, and the client keeps to it.
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn failures_exit_2_and_leave_the_database_untouched() {
    let cases: Vec<(Vec<Reply>, &str)> = vec![
        (
            vec![
                Reply::Http(429, "Retry-After: 0\r\n".into(), String::new()),
                Reply::Http(429, "Retry-After: 0\r\n".into(), String::new()),
            ],
            "answered HTTP 429",
        ),
        (
            vec![Reply::Http(404, String::new(), "not here".to_owned())],
            "answered HTTP 404",
        ),
        (
            vec![
                Reply::Http(500, "Retry-After: 0\r\n".into(), String::new()),
                Reply::Http(502, String::new(), String::new()),
            ],
            "answered HTTP 502",
        ),
        (
            vec![Reply::ok(ERROR_FEED)],
            "the arXiv API refused the query: incorrect id format for 2501.1743",
        ),
        (
            vec![Reply::ok(EMPTY_FEED)],
            "arXiv has no paper with this id",
        ),
        (
            vec![Reply::ok("<feed><entry><title>x")],
            "not a valid Atom feed",
        ),
        (
            vec![Reply::ok("<html>maintenance</html>")],
            "not a valid Atom feed",
        ),
    ];
    for (replies, expected) in cases {
        let db = TestDb::new();
        let server = serve(replies);
        let run = add(&db, &server.endpoint(), &["2501.17433", "--kind", "attack"]);
        assert_eq!(run.code, 2, "{expected}: {}", run.stderr);
        assert!(
            run.stderr
                .lines()
                .last()
                .unwrap()
                .starts_with("hftlist: error: "),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(expected),
            "expected `{expected}` in {}",
            run.stderr
        );
        assert_eq!(record_count(&db), 0);
    }
}

#[test]
fn a_timeout_exits_2() {
    let db = TestDb::new();
    let server = serve(vec![Reply::Hang(Duration::from_secs(5))]);
    let run = add(
        &db,
        &server.endpoint(),
        &["2501.17433", "--kind", "attack", "--timeout", "1"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("did not answer within 1 s (raise it with --timeout)"),
        "{}",
        run.stderr
    );
    assert_eq!(record_count(&db), 0);
}

#[test]
fn a_plain_http_endpoint_off_loopback_is_refused() {
    let db = TestDb::new();
    let run = add(
        &db,
        "http://export.arxiv.org/api/query",
        &["2501.17433", "--kind", "attack"],
    );
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: HFTLIST_ARXIV_URL is `http://export.arxiv.org/api/query`: plain http is \
         refused (it can be read and changed on the way); use https (http is accepted only on a \
         loopback address, for local tests)\n",
    );
    assert_eq!(record_count(&db), 0);
}

#[test]
fn connection_refused_exits_2() {
    let port = crate::server::dead_port();
    let db = TestDb::new();
    let run = add(
        &db,
        &format!("http://127.0.0.1:{port}/api/query"),
        &["2501.17433", "--kind", "attack"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("connection refused"), "{}", run.stderr);
    assert_eq!(record_count(&db), 0);
}
