//! The network edge through `hftlist add`: https with a test CA, certificate failures, endpoint
//! rules, redirects, proxies, the answer cache and `--offline`. Every server is local.

use std::time::{Duration, Instant};

use crate::add::{record_count, virus};
use crate::server::{Reply, TestCa, cache_dir, dead_port, hftlist, proxy, run, serve, serve_tls};
use crate::util::{Run, TestDb, assert_text};

const ADD: [&str; 4] = ["add", "2501.17433", "--kind", "attack"];

/// `hftlist add 2501.17433 --kind attack` with the endpoint and extra environment.
fn add_with(db: &TestDb, endpoint: &str, env: &[(&str, &str)], extra: &[&str]) -> Run {
    let mut cmd = hftlist(db);
    cmd.env("HFTLIST_ARXIV_URL", endpoint).args(ADD).args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(&mut cmd)
}

fn ca_env(ca: &TestCa) -> (&'static str, &str) {
    ("SSL_CERT_FILE", ca.pem.to_str().unwrap())
}

const VIRUS_RECORD: &str = "title: \"Virus: Harmful Fine-tuning Attack for Large Language Models Bypassing Guardrail Moderation\"\n\
     kind: attack\ndate: \"2025-01-29\"\nauthors:\n- Tiansheng Huang\n- Sihao Hu\narxiv: \"2501.17433\"\n\
     code: https://github.com/git-disl/Virus\n";

#[test]
fn https_with_the_ca_in_ssl_cert_file_writes_the_record() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let server = serve_tls(&ca, vec![Reply::ok(virus())]);
    let run = add_with(&db, &server.endpoint(), &[ca_env(&ca)], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, "papers/virus.yaml\n");
    // While it waits, it says what it fetches.
    assert_text(
        &run.stderr,
        &format!(
            "hftlist: fetching {}?id_list=2501.17433 ...\n",
            server.endpoint()
        ),
    );
    assert_text(
        &std::fs::read_to_string(db.papers().join("virus.yaml")).unwrap(),
        VIRUS_RECORD,
    );
    let head = server.requests.lock().unwrap()[0].to_lowercase();
    assert!(
        head.contains(&format!(
            "\r\nuser-agent: hftlist/{} (",
            env!("CARGO_PKG_VERSION")
        )),
        "{head}"
    );
}

#[test]
fn https_without_the_ca_fails_with_the_certificate_message() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let server = serve_tls(&ca, vec![Reply::ok(virus())]);
    let run = add_with(&db, &server.endpoint(), &[], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.ends_with(
            "hftlist: error: the TLS certificate of `127.0.0.1` is not trusted (issued by an \
             unknown certificate authority); if a proxy or firewall re-signs TLS, add its CA \
             certificate with SSL_CERT_FILE=/path/to/ca.pem (or a folder of them with \
             SSL_CERT_DIR)\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(server.count(), 0);
    assert_eq!(record_count(&db), 0);
}

#[test]
fn a_ca_in_ssl_cert_dir_is_trusted_too() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let server = serve_tls(&ca, vec![Reply::ok(virus())]);
    let dir = ca.pem.parent().unwrap().to_str().unwrap().to_owned();
    let run = add_with(&db, &server.endpoint(), &[("SSL_CERT_DIR", &dir)], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(record_count(&db), 1);
}

#[test]
fn an_unreadable_ssl_cert_file_is_named() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let server = serve_tls(&ca, vec![Reply::ok(virus())]);
    let run = add_with(
        &db,
        &server.endpoint(),
        &[("SSL_CERT_FILE", "/nonexistent/ca.pem")],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "hftlist: error: SSL_CERT_FILE names `/nonexistent/ca.pem`, which cannot be read: "
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn plain_http_on_loopback_is_accepted() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus())]);
    let run = add_with(&db, &server.endpoint(), &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(server.base.starts_with("http://127.0.0.1:"));
    assert_eq!(record_count(&db), 1);
}

#[test]
fn the_default_endpoint_is_https_and_offline_names_what_it_could_not_serve() {
    let db = TestDb::new();
    let mut cmd = hftlist(&db);
    let run = run(cmd.args(ADD).arg("--offline"));
    assert_eq!(run.code, 2);
    assert_text(
        &run.stderr,
        "hftlist: error: --offline, and the cache has no answer for 1 request(s); run without \
         --offline to fetch: GET https://export.arxiv.org/api/query?id_list=2501.17433\n",
    );
    assert_eq!(record_count(&db), 0);
}

#[test]
fn an_http_redirect_to_https_on_the_same_host_is_followed() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let secure = serve_tls(&ca, vec![Reply::ok(virus())]);
    let target = format!("{}?id_list=2501.17433", secure.endpoint());
    let plain = serve(vec![Reply::redirect(301, &target)]);
    let run = add_with(&db, &plain.endpoint(), &[ca_env(&ca)], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!((plain.count(), secure.count()), (1, 1));
    assert_eq!(record_count(&db), 1);
}

#[test]
fn a_redirect_to_plain_http_is_refused_naming_both_urls() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let secure = serve_tls(
        &ca,
        vec![Reply::redirect(302, "http://127.0.0.1:9/api/query")],
    );
    let run = add_with(&db, &secure.endpoint(), &[ca_env(&ca)], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(&format!(
            "hftlist: error: refused a redirect from {}?id_list=2501.17433 to \
             http://127.0.0.1:9/api/query: only https redirects are followed\n",
            secure.endpoint()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(record_count(&db), 0);
}

#[test]
fn a_redirect_to_an_unknown_host_is_refused_naming_both_urls() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let secure = serve_tls(
        &ca,
        vec![Reply::redirect(307, "https://mirror.example.com/api/query")],
    );
    let run = add_with(&db, &secure.endpoint(), &[ca_env(&ca)], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(&format!(
            "hftlist: error: refused a redirect from {}?id_list=2501.17433 to \
             https://mirror.example.com/api/query: `mirror.example.com` is not a host of the \
             arXiv API\n",
            secure.endpoint()
        )),
        "{}",
        run.stderr
    );
}

/// `n` redirects on the server itself, then the feed.
fn hops(n: usize) -> Vec<Reply> {
    let mut replies: Vec<Reply> = (1..=n)
        .map(|i| Reply::redirect(302, &format!("/api/query?hop={i}")))
        .collect();
    replies.push(Reply::ok(virus()));
    replies
}

#[test]
fn five_redirects_are_followed() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let five = serve_tls(&ca, hops(5));
    let run = add_with(&db, &five.endpoint(), &[ca_env(&ca)], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(five.count(), 6);
    assert_eq!(record_count(&db), 1);
}

#[test]
fn a_sixth_redirect_is_refused() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let six = serve_tls(&ca, hops(6));
    let run = add_with(&db, &six.endpoint(), &[ca_env(&ca)], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(&format!(
            "hftlist: error: refused a redirect from {0}?id_list=2501.17433 to \
             {0}?hop=6: more than 5 redirects\n",
            six.endpoint()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(six.count(), 6);
    assert_eq!(record_count(&db), 0);
}

#[test]
fn https_proxy_tunnels_the_request() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let stand_in = proxy(Some(&ca), vec![Reply::ok(virus())]);
    // Nothing listens at the endpoint: only the proxy can answer.
    let endpoint = format!("https://127.0.0.1:{}/api/query", dead_port());
    let run = add_with(
        &db,
        &endpoint,
        &[ca_env(&ca), ("HTTPS_PROXY", &stand_in.base)],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seen = stand_in.requests.lock().unwrap().clone();
    let authority = endpoint
        .trim_start_matches("https://")
        .trim_end_matches("/api/query");
    assert!(
        seen[0].starts_with(&format!("CONNECT {authority} HTTP/1.1\r\n")),
        "{seen:?}"
    );
    assert!(
        seen[1].starts_with("GET /api/query?id_list=2501.17433 HTTP/1.1\r\n"),
        "{seen:?}"
    );
}

#[test]
fn http_proxy_tunnels_plain_http() {
    let db = TestDb::new();
    let stand_in = proxy(None, vec![Reply::ok(virus())]);
    let endpoint = format!("http://127.0.0.1:{}/api/query", dead_port());
    let run = add_with(&db, &endpoint, &[("HTTP_PROXY", &stand_in.base)], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let seen = stand_in.requests.lock().unwrap().clone();
    assert!(seen[0].starts_with("CONNECT 127.0.0.1:"), "{seen:?}");
    assert!(
        seen[1].starts_with("GET /api/query?id_list=2501.17433 HTTP/1.1\r\n"),
        "{seen:?}"
    );
}

#[test]
fn no_proxy_bypasses_the_proxy() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let unused = proxy(Some(&ca), vec![Reply::ok(virus())]);
    let server = serve_tls(&ca, vec![Reply::ok(virus())]);
    let run = add_with(
        &db,
        &server.endpoint(),
        &[
            ca_env(&ca),
            ("HTTPS_PROXY", &unused.base),
            ("NO_PROXY", "localhost,127.0.0.1"),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!((unused.count(), server.count()), (0, 1));
}

#[test]
fn all_proxy_serves_when_no_scheme_proxy_is_set() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let stand_in = proxy(Some(&ca), vec![Reply::ok(virus())]);
    let endpoint = format!("https://127.0.0.1:{}/api/query", dead_port());
    let run = add_with(
        &db,
        &endpoint,
        &[ca_env(&ca), ("ALL_PROXY", &stand_in.base)],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(stand_in.count(), 2);
}

#[test]
fn a_proxy_that_is_not_a_url_is_named() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let server = serve_tls(&ca, vec![Reply::ok(virus())]);
    let run = add_with(
        &db,
        &server.endpoint(),
        &[ca_env(&ca), ("HTTPS_PROXY", "ftp://proxy.example:21")],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(
            "hftlist: error: the proxy `ftp://proxy.example:21` from the environment is not a \
             proxy URL (e.g. `http://proxy.example:3128`)\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_repeated_request_is_served_from_the_cache_with_the_server_gone() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus())]);
    let first = add_with(&db, &server.endpoint(), &[], &["--dry-run"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    // The server answered its one reply and is gone; the cache answers.
    let second = add_with(&db, &server.endpoint(), &[], &["--dry-run"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_text(&second.stderr, "");
    assert_text(&second.stdout, &first.stdout);
    assert_eq!(server.count(), 1);
}

#[test]
fn offline_serves_what_the_cache_holds() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus())]);
    let first = add_with(&db, &server.endpoint(), &[], &["--dry-run"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let run = add_with(&db, &server.endpoint(), &[], &["--offline"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(&run.stdout, "papers/virus.yaml\n");
    assert_eq!(server.count(), 1);
}

#[test]
fn a_corrupt_cache_entry_is_discarded_with_a_warning() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus()), Reply::ok(virus())]);
    let first = add_with(&db, &server.endpoint(), &[], &["--dry-run"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let entries: Vec<_> = std::fs::read_dir(cache_dir(db.root()).join("arxiv"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = &entries[0];
    let text = std::fs::read_to_string(entry).unwrap();
    // Cut short, as a full disk or a crash could leave it.
    std::fs::write(entry, &text[..text.len() / 2]).unwrap();
    let run = add_with(&db, &server.endpoint(), &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "hftlist: warning: discarding the corrupt cache entry `{}` (the body has ",
            entry.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(server.count(), 2);
    assert_eq!(record_count(&db), 1);
    // The fresh answer replaced it.
    let body = |t: &str| t.split_once("\n\n").unwrap().1.to_owned();
    assert_eq!(body(&std::fs::read_to_string(entry).unwrap()), body(&text));
}

#[test]
fn an_unknown_host_says_host_not_found() {
    let db = TestDb::new();
    let run = add_with(&db, "https://export.arxiv.invalid/api/query", &[], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(
            "hftlist: error: cannot reach `export.arxiv.invalid`: host not found (offline, or a \
             typo in the endpoint?)\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn retry_after_beyond_the_timeout_fails_at_once() {
    let db = TestDb::new();
    let server = serve(vec![Reply::Http(
        503,
        "Retry-After: 120\r\n".into(),
        "<html><body><h1>Service busy</h1></body></html>".into(),
    )]);
    let started = Instant::now();
    let run = add_with(&db, &server.endpoint(), &[], &["--timeout", "5"]);
    assert_eq!(run.code, 2);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        run.stderr.ends_with(
            "hftlist: error: the arXiv API is busy and asks to retry in 120 s, beyond --timeout \
             5 s; try again later or raise --timeout\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_http_error_carries_the_service_message() {
    let db = TestDb::new();
    let server = serve(vec![Reply::Http(
        400,
        String::new(),
        "<html><head><title>400</title></head><body>Malformed query</body></html>".into(),
    )]);
    let run = add_with(&db, &server.endpoint(), &[], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(&format!(
            "hftlist: error: the arXiv API at {}?id_list=2501.17433 answered HTTP 400: 400 \
             Malformed query\n",
            server.endpoint()
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_huge_timeout_is_a_range_error() {
    let db = TestDb::new();
    let run = add_with(
        &db,
        "https://127.0.0.1:9/",
        &[],
        &["--timeout", "18446744073709551615"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("invalid value '18446744073709551615' for '--timeout <SECS>': 18446744073709551615 is not in 1..=3600"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_politeness_delay_does_not_count_against_the_timeout() {
    let db = TestDb::new();
    let server = serve(vec![
        Reply::Http(503, "Retry-After: 0\r\n".into(), String::new()),
        Reply::ok(virus()),
    ]);
    let started = Instant::now();
    let run = add_with(&db, &server.endpoint(), &[], &["--timeout", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(started.elapsed() >= Duration::from_secs(3));
    assert_eq!(server.count(), 2);
}

#[test]
fn a_second_run_keeps_the_delay_of_the_first() {
    let db = TestDb::new();
    let other = crate::add::feed("2402.01109", "Vaccine", "An abstract.");
    let server = serve(vec![Reply::ok(virus()), Reply::ok(other)]);
    let started = Instant::now();
    let first = add_with(&db, &server.endpoint(), &[], &["--dry-run"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    // Another paper, so another request to the same host, from a new process.
    let mut cmd = hftlist(&db);
    cmd.env("HFTLIST_ARXIV_URL", server.endpoint()).args([
        "add",
        "2402.01109",
        "--kind",
        "attack",
        "--dry-run",
    ]);
    let second = run(&mut cmd);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(server.count(), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn an_ssl_cert_file_without_certificates_is_named() {
    let db = TestDb::new();
    let ca = TestCa::new();
    let server = serve_tls(&ca, vec![Reply::ok(virus())]);
    let not_pem = db.papers().join("list.yaml");
    let run = add_with(
        &db,
        &server.endpoint(),
        &[("SSL_CERT_FILE", not_pem.to_str().unwrap())],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(&format!(
            "hftlist: error: SSL_CERT_FILE names `{}`, which holds no PEM certificate\n",
            not_pem.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(server.count(), 0);
}

#[test]
fn an_answer_over_the_size_bound_is_refused() {
    let db = TestDb::new();
    // 16 MiB is the arXiv bound; a feed of 17 MiB is refused while it is read.
    let huge = format!("<feed>{}</feed>", " ".repeat(17 * 1024 * 1024));
    let server = serve(vec![Reply::ok(huge)]);
    let run = add_with(&db, &server.endpoint(), &[], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(&format!(
            "hftlist: error: the answer of {}?id_list=2501.17433 is larger than 16 MiB; refused\n",
            server.endpoint()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(record_count(&db), 0);
    assert!(!cache_dir(db.root()).join("arxiv").exists());
}

#[test]
fn a_socks_proxy_is_refused_not_bypassed() {
    let db = TestDb::new();
    let server = serve(vec![Reply::ok(virus())]);
    let run = add_with(
        &db,
        &server.endpoint(),
        &[("ALL_PROXY", "socks5://127.0.0.1:1080")],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(
            "hftlist: error: the proxy `socks5://127.0.0.1:1080` from the environment is a SOCKS \
             proxy, which hftlist does not support; use an http proxy (e.g. \
             `http://proxy.example:3128`)\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(server.count(), 0);
}

#[test]
fn an_unreachable_proxy_is_named() {
    let db = TestDb::new();
    let proxy = format!("http://127.0.0.1:{}", dead_port());
    let run = add_with(
        &db,
        "https://export.arxiv.org/api/query",
        &[("HTTPS_PROXY", &proxy)],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(&format!(
            "hftlist: error: cannot reach the proxy `{proxy}` (from the environment) to fetch \
             https://export.arxiv.org/api/query?id_list=2501.17433; check HTTPS_PROXY, \
             HTTP_PROXY, ALL_PROXY and NO_PROXY\n"
        )),
        "{}",
        run.stderr
    );
}
