use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use serde_json::json;

use crate::site::{build_site, hftlist, query_ids, real_db};
use crate::util::TestDb;
use crate::webdriver::Browser;

/// The real list's site, opened in a fresh browser at `query`.
fn open(query: &str) -> Option<(Browser, tempfile::TempDir)> {
    let browser = Browser::start()?;
    let site = build_site(&real_db());
    browser.open(&site.path().join("index.html"), query);
    Some((browser, site))
}

fn set(ids: &[String]) -> BTreeSet<String> {
    ids.iter().cloned().collect()
}

/// Asserts the visible papers are exactly those `hftlist query` selects with `filters`, and the
/// count line says so.
#[track_caller]
fn assert_matches_query(browser: &Browser, filters: &[&str]) {
    let expected = query_ids(&real_db(), filters);
    let all = query_ids(&real_db(), &[]).len();
    let visible = browser.visible_ids();
    assert_eq!(set(&visible), set(&expected), "filters {filters:?}");
    assert_eq!(visible.len(), expected.len(), "a paper shows twice");
    let count = browser.text("#f_count");
    let want = if expected.len() == all {
        format!("{all} papers")
    } else {
        format!("{} of {all} papers", expected.len())
    };
    assert_eq!(count, want);
}

/// Asserts that the visible papers of each section come in the order of `expected` (the page
/// groups papers by section, as the README does, and sorts within each).
#[track_caller]
fn assert_order_within_sections(browser: &Browser, expected: &[String]) {
    let lists = browser.js(
        "return [...document.querySelectorAll('section.sec')].map(s => \
         [...s.querySelectorAll(':scope > ol.papers > li')]\
         .filter(e => e.getClientRects().length > 0).map(e => e.dataset.id));",
        json!([]),
    );
    let mut seen = 0;
    for list in lists.as_array().unwrap() {
        let list: Vec<String> = serde_json::from_value(list.clone()).unwrap();
        let mut in_order: Vec<String> = expected.to_vec();
        in_order.retain(|id| list.contains(id));
        assert_eq!(list, in_order);
        seen += list.len();
    }
    assert_eq!(seen, expected.len());
}

/// The ids the search box should show for `text`, from the site's `papers.json`: every word (any
/// case) in the title, authors, venue as shown, note or tags. `query --text` reads title, authors
/// and note, so its result must be among them.
fn search_ids(site: &Path, text: &str) -> BTreeSet<String> {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("papers.json")).unwrap()).unwrap();
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let found: BTreeSet<String> = json["papers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            let field = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
            let list = |k: &str| {
                p[k].as_array()
                    .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
                    .unwrap_or_else(Vec::new)
                    .join("\n")
            };
            let venue = p["venue_canonical"]
                .as_str()
                .or(p["venue"].as_str())
                .unwrap_or("preprint");
            let hay = [
                field("title"),
                list("authors"),
                venue.to_owned(),
                field("note"),
                list("tags"),
            ]
            .join("\n")
            .to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    let by_query = set(&query_ids(&real_db(), &["--text", text]));
    assert!(by_query.is_subset(&found), "{text}: {by_query:?} {found:?}");
    found
}

/// Waits for a condition in the page (a script returning a boolean).
#[track_caller]
fn wait_for(browser: &Browser, condition: &str) {
    for _ in 0..100 {
        if browser.js(condition, json!([])) == json!(true) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for `{condition}`");
}

#[test]
fn page_from_file_shows_every_paper_and_the_controls() {
    let Some((browser, _site)) = open("") else {
        return;
    };
    assert_eq!(
        browser.js("return document.documentElement.className", json!([])),
        json!(""),
        "site.js did not run"
    );
    assert_matches_query(&browser, &[]);
    // Every control has a label a screen reader announces.
    let unlabelled = browser.js(
        "return [...document.querySelectorAll('#f_form input, #f_form select')]\
         .filter(e => !e.labels || e.labels.length === 0).map(e => e.id);",
        json!([]),
    );
    assert_eq!(unlabelled, json!([]));
}

#[test]
fn search_box_matches_query_text_as_you_type() {
    let Some((browser, site)) = open("") else {
        return;
    };
    let q = browser.find("#f_q");
    browser.type_text(&q, "vacc");
    assert_eq!(set(&browser.visible_ids()), search_ids(site.path(), "vacc"));
    browser.clear(&q);
    // `clear` fires no input event; typing does.
    browser.type_text(&q, "Safety Fine");
    assert_eq!(
        set(&browser.visible_ids()),
        search_ids(site.path(), "safety fine")
    );
    assert!(
        browser.url().ends_with("?q=Safety+Fine"),
        "{}",
        browser.url()
    );
}

#[test]
fn search_box_also_matches_venue_and_tags() {
    let Some((browser, _site)) = open("") else {
        return;
    };
    browser.type_text(&browser.find("#f_q"), "federated");
    let visible = set(&browser.visible_ids());
    let tagged = set(&query_ids(&real_db(), &["--tag", "federated"]));
    assert!(!tagged.is_empty() && tagged.is_subset(&visible));
}

#[test]
fn kind_stage_code_and_year_filters_match_query() {
    let Some((browser, _site)) = open("") else {
        return;
    };
    browser.choose("#f_kind", "defense");
    assert_matches_query(&browser, &["--kind", "defense"]);
    browser.choose("#f_stage", "fine-tuning");
    assert_matches_query(&browser, &["--kind", "defense", "--stage", "fine-tuning"]);
    browser.click(&browser.find("#f_code"));
    assert_matches_query(
        &browser,
        &["--kind", "defense", "--stage", "fine-tuning", "--has-code"],
    );
    browser.type_text(&browser.find("#f_from"), "2025");
    assert_matches_query(
        &browser,
        &[
            "--kind",
            "defense",
            "--stage",
            "fine-tuning",
            "--has-code",
            "--year",
            "2025..",
        ],
    );
    browser.choose("#f_kind", "");
    browser.choose("#f_stage", "");
    browser.click(&browser.find("#f_code"));
    browser.type_text(&browser.find("#f_to"), "2025");
    assert_matches_query(&browser, &["--year", "2025"]);
}

#[test]
fn venue_and_status_filters_match_query() {
    let Some((browser, _site)) = open("") else {
        return;
    };
    for venue in ["ICLR", "ICLR 2026", "NeurIPS 2025", "ICML"] {
        browser.choose("#f_venue", venue);
        assert_matches_query(&browser, &["--venue", venue]);
    }
    browser.choose("#f_venue", "");
    browser.choose("#f_pub", "preprint");
    assert_matches_query(&browser, &["--preprint"]);
    browser.choose("#f_pub", "published");
    browser.choose("#f_kind", "attack");
    assert_matches_query(&browser, &["--published", "--kind", "attack"]);
}

#[test]
fn a_shared_url_restores_the_view_and_back_undoes_a_change() {
    let Some((browser, _site)) = open("?kind=attack&venue=ICLR&sort=title") else {
        return;
    };
    assert_eq!(
        browser.js(
            "return [f_kind.value, f_venue.value, f_sort.value].join('|')",
            json!([])
        ),
        json!("attack|ICLR|title")
    );
    assert_matches_query(&browser, &["--kind", "attack", "--venue", "ICLR"]);
    // Sorted by title: within each section the order is `query --sort title`'s.
    let by_title = query_ids(
        &real_db(),
        &["--kind", "attack", "--venue", "ICLR", "--sort", "title"],
    );
    assert_order_within_sections(&browser, &by_title);

    browser.choose("#f_kind", "defense");
    assert!(browser.url().contains("kind=defense"), "{}", browser.url());
    assert_matches_query(&browser, &["--kind", "defense", "--venue", "ICLR"]);
    browser.back();
    wait_for(&browser, "return f_kind.value === 'attack'");
    assert!(browser.url().contains("kind=attack"), "{}", browser.url());
    assert_matches_query(&browser, &["--kind", "attack", "--venue", "ICLR"]);
}

#[test]
fn back_undoes_a_typed_word_at_once() {
    let Some((browser, site)) = open("?kind=defense") else {
        return;
    };
    browser.type_text(&browser.find("#f_q"), "safety");
    assert!(
        browser.url().ends_with("?q=safety&kind=defense"),
        "{}",
        browser.url()
    );
    let defenses = set(&query_ids(&real_db(), &["--kind", "defense"]));
    let expected: BTreeSet<String> = search_ids(site.path(), "safety")
        .intersection(&defenses)
        .cloned()
        .collect();
    assert_eq!(set(&browser.visible_ids()), expected);
    browser.back();
    wait_for(&browser, "return f_q.value === ''");
    assert!(
        browser.url().ends_with("?kind=defense"),
        "{}",
        browser.url()
    );
    assert_matches_query(&browser, &["--kind", "defense"]);
}

#[test]
fn newest_first_is_the_default_and_oldest_first_is_query_order() {
    let Some((browser, _site)) = open("?kind=attack") else {
        return;
    };
    assert_order_within_sections(
        &browser,
        &query_ids(&real_db(), &["--kind", "attack", "--reverse"]),
    );
    browser.choose("#f_sort", "date");
    assert_order_within_sections(&browser, &query_ids(&real_db(), &["--kind", "attack"]));
    assert!(browser.url().ends_with("?kind=attack&sort=date"));
}

#[test]
fn invalid_values_in_a_shared_url_are_ignored() {
    let Some((browser, _site)) = open("?kind=attacker&from=20x5&venue=Nowhere&sort=random") else {
        return;
    };
    assert_matches_query(&browser, &[]);
}

#[test]
fn cite_copies_the_papers_bibtex() {
    let Some((browser, _site)) = open("?q=vaccine") else {
        return;
    };
    let (bibtex, _, _) = hftlist(
        &real_db(),
        &["query", "--id", "vaccine", "--format", "bibtex"],
    );
    // Reading the clipboard back needs the permission a user would grant.
    browser.grant("clipboard-read").unwrap();
    browser.grant("clipboard-write").unwrap();
    browser.click(&browser.find("#vaccine button.cite"));
    wait_for(
        &browser,
        "return !!document.querySelector('#vaccine pre.bib')",
    );
    assert_eq!(browser.text("#vaccine pre.bib"), bibtex);
    wait_for(
        &browser,
        "return document.querySelector('#vaccine button.cite').textContent === 'copied'",
    );
    let copied = browser.js_async(
        "const done = arguments[arguments.length - 1]; \
         navigator.clipboard.readText().then(done, e => done('error: ' + e));",
        json!([]),
    );
    assert_eq!(copied, json!(bibtex));
}

#[test]
fn hostile_titles_cannot_run_script_in_the_page() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let db = TestDb::new();
    db.file(
        "evil.yaml",
        "title: \"</script><script>window.pwned=1</script><img src=x onerror=window.pwned=2>\"\n\
         kind: attack\ndate: \"2024-02-02\"\narxiv: \"2402.01109\"\n\
         note: \"\\\" onmouseover=\\\"window.pwned=3\"\n",
    );
    let site = build_site(&db.papers());
    browser.open(&site.path().join("index.html"), "?q=script");
    assert_eq!(
        browser.js("return window.pwned === undefined", json!([])),
        json!(true)
    );
    assert_eq!(
        browser.js(
            "return document.querySelectorAll('main img, main script').length",
            json!([])
        ),
        json!(0)
    );
    assert_eq!(
        browser.text("#evil .t"),
        "</script><script>window.pwned=1</script><img src=x onerror=window.pwned=2>"
    );
    assert_eq!(browser.visible_ids(), ["evil"]);
}

#[test]
fn a_paper_anchor_is_a_stable_link() {
    let Some((browser, _site)) = open("#vaccine") else {
        return;
    };
    assert_eq!(
        browser.js(
            "const r = document.getElementById('vaccine').getBoundingClientRect(); \
             return document.querySelector(':target').id === 'vaccine' && r.top >= 0 \
             && r.top < innerHeight;",
            json!([])
        ),
        json!(true)
    );
}

#[test]
fn dark_mode_follows_the_system() {
    let Some((browser, _site)) = open("") else {
        return;
    };
    let background = "return getComputedStyle(document.body).backgroundColor";
    let light = browser.js(background, json!([]));
    browser.cdp(
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}),
    );
    let dark = browser.js(background, json!([]));
    assert_eq!(light, json!("rgb(253, 253, 252)"));
    assert_eq!(dark, json!("rgb(21, 24, 28)"));
}

/// Writes the PNG to `HFTLIST_SCREENSHOTS/NAME` when that is set (how docs/ gets them), and
/// checks it is a PNG of the given width.
fn keep_screenshot(png: &[u8], name: &str, width: u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(w, width);
    if let Some(dir) = std::env::var_os("HFTLIST_SCREENSHOTS") {
        std::fs::write(Path::new(&dir).join(name), png).unwrap();
    }
}

#[test]
fn the_page_fits_a_phone_and_a_desktop() {
    let Some((browser, _site)) = open("?kind=defense&stage=alignment") else {
        return;
    };
    browser.viewport(1280, 800, false);
    keep_screenshot(&browser.screenshot(), "site-desktop.png", 1280);
    for width in [320, 375] {
        browser.viewport(width, 740, true);
        let overflow = browser.js(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            json!([]),
        );
        assert_eq!(overflow, json!(0), "horizontal scrolling at {width} px");
    }
    // The phone's first screen is the controls; show it where the papers start.
    browser.js(
        "document.getElementById('f_count').scrollIntoView(); return 0;",
        json!([]),
    );
    keep_screenshot(&browser.screenshot(), "site-phone.png", 375);
}

#[test]
fn filtering_10000_papers_takes_under_100_ms_a_keystroke() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let db = tempfile::tempdir().unwrap();
    let papers = db.path().join("papers");
    std::fs::create_dir(&papers).unwrap();
    let real = hftlist::store::db::Db::load(&real_db()).unwrap();
    let titles: Vec<String> = real.entries.iter().map(|e| e.paper.title.clone()).collect();
    let synth = hftlist::synth::generate(10_000, 0, &titles, &real.list, 7).unwrap();
    std::fs::copy(real_db().join("list.yaml"), papers.join("list.yaml")).unwrap();
    for (id, paper) in &synth.papers {
        std::fs::write(
            papers.join(format!("{id}.yaml")),
            hftlist::store::db::to_yaml(paper).unwrap(),
        )
        .unwrap();
    }
    let site = build_site(&papers);
    browser.open(&site.path().join("index.html"), "");
    // Each keystroke: the input event, the filtering, and the style and layout it causes. The
    // machine is shared, so each step is timed three times (from the state before it) and the
    // fastest counts, as benchmark tools do to leave out other processes' time.
    let times = browser.js(
        "const q = document.getElementById('f_q'); const times = []; \
         const run = text => { const t0 = performance.now(); q.value = text; \
           q.dispatchEvent(new Event('input', {bubbles: true})); \
           document.body.getBoundingClientRect(); document.body.offsetHeight; \
           return performance.now() - t0; }; \
         let before = ''; \
         for (const text of ['s', 'sa', 'saf', 'safe', 'safet', 'safety', 'safety a', \
           'safety al', 'safety ali', 'safety al', 'safety a', 'safety', '']) { \
           let best = Infinity; \
           for (let i = 0; i < 3; i++) { run(before); best = Math.min(best, run(text)); } \
           times.push(best); before = text; } \
         return times;",
        json!([]),
    );
    let mut times: Vec<f64> = times
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_f64().unwrap())
        .collect();
    eprintln!("ms per keystroke at 10,000 papers: {times:?}");
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    assert!(median < 100.0, "median {median} ms: {times:?}");
    // Sorting moves papers between a section's lists of 50; the order is still `query`'s.
    browser.choose("#f_kind", "defense");
    browser.choose("#f_sort", "title");
    assert_order_within_sections(
        &browser,
        &query_ids(&papers, &["--kind", "defense", "--sort", "title"]),
    );
}
