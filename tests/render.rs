use std::collections::HashMap;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::util::{TestDb, assert_text};

const TEMPLATE: &str = "# {{ title }}\n\n{{ total }} papers, {{ count(kind=\"attack\") }} attacks, \
                        {{ count(venue=\"ICLR 2025\") }} at ICLR 2025.\n\n## Contents\n\n{{ toc }}\n\n{{ sections }}\n";

/// A list item as a Markdown reader sees it.
#[derive(Debug, Default)]
struct Item {
    heading: String,
    title: String,
    text: String,
    links: Vec<String>,
}

/// Reads headings, the TOC links and the list items with pulldown-cmark.
fn read(md: &str) -> (Vec<String>, Vec<Item>, Vec<String>) {
    let mut headings = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut toc = Vec::new();
    let (mut in_heading, mut strong, mut depth) = (false, 0, 0);
    let mut heading = String::new();
    for event in Parser::new(md) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                headings.push(heading.clone());
            }
            Event::Start(Tag::Item) => {
                depth += 1;
                items.push(Item {
                    heading: heading.clone(),
                    ..Item::default()
                });
            }
            Event::End(TagEnd::Item) => depth -= 1,
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong -= 1,
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(anchor) = dest_url.strip_prefix('#') {
                    toc.push(anchor.to_owned());
                } else if let Some(item) = items.last_mut() {
                    item.links.push(dest_url.to_string());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_heading {
                    heading.push_str(&t);
                } else if let Some(item) = items.last_mut().filter(|_| depth > 0) {
                    if strong > 0 {
                        item.title.push_str(&t);
                    }
                    item.text.push_str(&t);
                }
            }
            // The one piece of HTML render writes: the empty comment that keeps GitHub from
            // linking an e-mail address in a title or note.
            Event::InlineHtml(h) if h.as_ref() == hftlist::views::render::EMAIL_BREAK => {}
            Event::Html(_) | Event::InlineHtml(_) => panic!("the README holds raw HTML: {event:?}"),
            _ => {}
        }
    }
    (headings, items, toc)
}

/// GitHub's anchor for a heading's text.
fn github_anchor(text: &str, seen: &mut HashMap<String, usize>) -> String {
    let base: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect();
    let n = seen.entry(base.clone()).or_insert(0);
    let anchor = if *n == 0 {
        base.clone()
    } else {
        format!("{base}-{n}")
    };
    *n += 1;
    anchor
}

fn fixture_db() -> TestDb {
    let db = TestDb::new();
    db.file("README.template.md", TEMPLATE);
    db.file(
        "z-year.yaml",
        "title: Year Only\nkind: attack\ndate: \"2024\"\narxiv: \"2402.00001\"\n",
    );
    db.file(
        "y-month.yaml",
        "title: Month Only\nkind: attack\ndate: 2024-01\narxiv: \"2401.00002\"\n",
    );
    db.file(
        "x-day.yaml",
        "title: A Day\nkind: attack\ndate: \"2024-01-01\"\narxiv: \"2401.00003\"\n",
    );
    db.file(
        "w-late.yaml",
        "title: Late\nkind: attack\ndate: \"2023-12-31\"\narxiv: \"2312.00004\"\n",
    );
    db.file(
        "v-defense.yaml",
        "title: \"A Defense: With Everything\"\nkind: defense\nstage: alignment\ndate: \"2024-10-05\"\n\
         venue: ICLR 2025\narxiv: \"2410.00005\"\nopenreview: tTPHgb0EtV\ndoi: 10.1145/3712003\n\
         code: https://github.com/a/b\nproject: https://example.org/p_(x)\ntags: [llm]\nnote: for diffusion models\n",
    );
    db.file("u-fed.yaml", "title: Federated\nkind: attack\ndate: \"2024-11\"\npaper: https://example.org/fed\ntags: [federated]\n");
    db
}

#[test]
fn sections_toc_entries_and_figures() {
    let run = fixture_db().run(&["render"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_text(
        &run.stdout,
        "# Test List\n\n6 papers, 5 attacks, 1 at ICLR 2025.\n\n## Contents\n\n\
         - [Attacks](#attacks) (4)\n\
         - [Defenses](#defenses) (1)\n  - [Alignment Stage Defenses](#alignment-stage-defenses) (1)\n\
         - [Federated](#federated) (1)\n\n\
         ## Attacks\n\n\
         - [2023/12/31] **Late** *arXiv* [[paper](https://arxiv.org/abs/2312.00004)]\n\
         - [2024] **Year Only** *arXiv* [[paper](https://arxiv.org/abs/2402.00001)]\n\
         - [2024/01] **Month Only** *arXiv* [[paper](https://arxiv.org/abs/2401.00002)]\n\
         - [2024/01/01] **A Day** *arXiv* [[paper](https://arxiv.org/abs/2401.00003)]\n\n\
         ## Defenses\n\n\
         ### Alignment Stage Defenses\n\n\
         - [2024/10/05] **A Defense: With Everything** *ICLR 2025* [[paper](https://arxiv.org/abs/2410.00005)] \
         [[OpenReview](https://openreview.net/forum?id=tTPHgb0EtV)] [[DOI](https://doi.org/10.1145/3712003)] \
         [[code](https://github.com/a/b)] [[project](https://example.org/p_%28x%29)] `llm` (for diffusion models)\n\n\
         ## Federated\n\n\
         - [2024/11] **Federated** *preprint* [[paper](https://example.org/fed)] `federated`\n",
    );
}

#[test]
fn newest_first_reverses_each_section() {
    let run = fixture_db().run(&["render", "--newest-first"]);
    let attacks: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("- [20"))
        .take(4)
        .collect();
    assert_eq!(
        attacks[0],
        "- [2024/01/01] **A Day** *arXiv* [[paper](https://arxiv.org/abs/2401.00003)]"
    );
    assert_eq!(
        attacks[3],
        "- [2023/12/31] **Late** *arXiv* [[paper](https://arxiv.org/abs/2312.00004)]"
    );
}

#[test]
fn hostile_titles_and_notes_render_as_literal_text() {
    let db = TestDb::new();
    db.file("README.template.md", TEMPLATE);
    let hostile = [
        "](javascript:alert(1))",
        "<script>alert(1)</script>",
        "**bold** and _under_ and `code`",
        "[x](http://evil.example/)",
        "<img src=x onerror=alert(1)>",
        "a | b ~~c~~ &amp; d",
        "line\n- injected item",
    ];
    for (i, title) in hostile.iter().enumerate() {
        let yaml = format!(
            "title: {}\nkind: attack\ndate: \"2024-01-0{}\"\narxiv: \"2401.0000{i}\"\nnote: {}\n",
            serde_json::to_string(title).unwrap(),
            i + 1,
            serde_json::to_string(title).unwrap()
        );
        db.file(&format!("h{i}.yaml"), yaml);
    }
    let run = db.run(&["render"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, items, _) = read(&run.stdout);
    let entries: Vec<&Item> = items.iter().filter(|i| !i.title.is_empty()).collect();
    assert_eq!(
        entries.len(),
        hostile.len(),
        "one list item per record:\n{}",
        run.stdout
    );
    for (item, title) in entries.iter().zip(hostile) {
        let folded = title.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(item.title, folded);
        assert!(
            item.text.ends_with(&format!("({folded})")),
            "{:?}",
            item.text
        );
        assert_eq!(item.links.len(), 1, "only the arXiv link: {:?}", item.links);
    }
}

#[test]
fn check_exit_codes() {
    let db = fixture_db();
    let run = db.run(&["render", "-o", "README.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(db.run(&["render", "--check", "README.md"]).code, 0);

    let path = db.root().join("README.md");
    let stale = std::fs::read_to_string(&path)
        .unwrap()
        .replace("**Late**", "**Early**");
    std::fs::write(&path, stale).unwrap();
    let run = db.run(&["render", "--check", "README.md"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: `README.md` is not current: line 14 is `- [2023/12/31] **Early** *arXiv* [[paper](https://arxiv.org/abs/2312.00004)]` \
         but should be `- [2023/12/31] **Late** *arXiv* [[paper](https://arxiv.org/abs/2312.00004)]`; run `hftlist render -o README.md`\n",
    );

    let run = db.run(&["render", "--check", "MISSING.md"]);
    assert_eq!(run.code, 1);
    assert_text(
        &run.stderr,
        "hftlist: `MISSING.md` does not exist; run `hftlist render -o MISSING.md`\n",
    );
}

#[test]
fn output_does_not_depend_on_file_order() {
    let a = fixture_db().run(&["render"]).stdout;
    // The same records written in the opposite order, into a fresh folder.
    let db = TestDb::new();
    let source = fixture_db();
    let mut names: Vec<_> = std::fs::read_dir(source.papers())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    names.reverse();
    for name in names {
        db.file(
            name.to_str().unwrap(),
            std::fs::read(source.papers().join(&name)).unwrap(),
        );
    }
    assert_eq!(db.run(&["render"]).stdout, a);
    assert_eq!(fixture_db().run(&["render"]).stdout, a);
}

#[test]
fn a_database_with_errors_is_not_rendered() {
    let db = fixture_db();
    db.file("bad.yaml", "title: Bad\nkind: attacker\ndate: \"2024\"\n");
    let run = db.run(&["render"]);
    assert_eq!(run.code, 1);
    assert_text(&run.stdout, "");
    assert_text(
        &run.stderr,
        "hftlist: error: the database has 1 error(s), and a README rendered from it could leave papers out; run `hftlist validate`\n",
    );
}

#[test]
fn a_template_error_is_reported() {
    let db = fixture_db();
    db.file("README.template.md", "{{ count(kind=\"attacker\") }}\n");
    let run = db.run(&["render"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("papers/README.template.md:1: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`attacker` is not a valid kind"),
        "{}",
        run.stderr
    );
}

/// The bundled README: every paper exactly once, under its section, with all its links; the TOC
/// matches the headings; and the file is current.
#[test]
fn the_readme_holds_every_paper_once_and_is_current() {
    let catalog = std::sync::Arc::new(
        hftlist::catalog::Catalog::load(std::path::Path::new("papers")).unwrap(),
    );
    let db = catalog.db();
    let readme = std::fs::read_to_string("README.md").unwrap();
    let template = std::fs::read_to_string("papers/README.template.md").unwrap();
    let rendered = hftlist::views::render::render(
        &catalog,
        &template,
        hftlist::views::render::Options::default(),
    )
    .unwrap();
    assert!(
        readme == rendered,
        "README.md is stale: run `cargo run -- render -o README.md`"
    );

    let (headings, items, toc) = read(&readme);
    let mut seen = HashMap::new();
    let anchors: Vec<String> = headings
        .iter()
        .map(|h| github_anchor(h, &mut seen))
        .collect();
    for link in &toc {
        assert!(
            anchors.contains(link),
            "TOC link #{link} matches no heading"
        );
    }
    fn names(sections: &[hftlist::model::list::Section], out: &mut Vec<String>) {
        for s in sections {
            out.push(s.heading.clone());
            names(&s.sections, out);
        }
    }
    let mut list_headings = Vec::new();
    names(&db.list.sections, &mut list_headings);
    let mut seen = HashMap::new();
    let section_anchors: Vec<String> = headings
        .iter()
        .map(|h| (h, github_anchor(h, &mut seen)))
        .filter(|(h, _)| list_headings.contains(h))
        .map(|(_, a)| a)
        .collect();
    assert!(!section_anchors.is_empty());
    for anchor in &section_anchors {
        assert_eq!(
            toc.iter().filter(|t| *t == anchor).count(),
            1,
            "one TOC line for section #{anchor}"
        );
    }

    for record in catalog.records() {
        let p = &record.paper;
        let matches: Vec<&Item> = items.iter().filter(|i| i.title == p.title).collect();
        assert_eq!(
            matches.len(),
            1,
            "`{}` appears {} times",
            p.title,
            matches.len()
        );
        let item = matches[0];
        let (_, path) = db.list.section_at(&record.sections[0]).unwrap();
        let leaf = path.last().unwrap();
        assert!(
            item.heading == *leaf,
            "`{}` is under `{}`, not `{leaf}`",
            p.title,
            item.heading
        );
        let mut want: Vec<String> = [p.arxiv_url(), p.openreview_url(), p.doi_url()]
            .into_iter()
            .flatten()
            .collect();
        want.extend(
            [&p.paper, &p.code, &p.project]
                .into_iter()
                .flatten()
                .map(|u| u.to_string()),
        );
        for url in want {
            assert!(item.links.contains(&url), "`{}` lacks link {url}", p.title);
        }
    }
}

/// The chart the README shows is the one the data draws.
#[test]
fn the_chart_is_current() {
    let catalog = hftlist::catalog::Catalog::load(std::path::Path::new("papers")).unwrap();
    let records: Vec<_> = catalog.records().collect();
    let chart = hftlist::views::stats::svg(&hftlist::views::stats::compute(&catalog, &records));
    let on_disk = std::fs::read_to_string("docs/papers-per-year.svg").unwrap();
    assert!(
        chart == on_disk,
        "docs/papers-per-year.svg is stale: run `cargo run -- stats --svg docs/papers-per-year.svg`"
    );
}

/// Every "N papers at VENUE" figure of the README agrees with `query --venue VENUE` and with
/// `stats`: the three count through the catalog's one filter language.
#[test]
fn readme_venue_figures_agree_with_query_and_stats() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let stats = assert_cmd::Command::cargo_bin("hftlist")
        .unwrap()
        .args(["--db", "papers", "stats", "--format", "json"])
        .output()
        .unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    let mut checked = 0;
    for line in readme.lines().filter(|l| l.starts_with("- ")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            // `N papers at SERIES YEAR` or `N at SERIES YEAR`.
            if *w != "at" || i + 2 >= words.len() {
                continue;
            }
            let n = words[..i]
                .iter()
                .rev()
                .find_map(|w| w.parse::<usize>().ok());
            let (series, year) = (words[i + 1], words[i + 2].trim_end_matches('.'));
            let (Some(n), Ok(_)) = (n, year.parse::<u16>()) else {
                continue;
            };
            let venue = format!("{series} {year}");
            let out = assert_cmd::Command::cargo_bin("hftlist")
                .unwrap()
                .args([
                    "--db", "papers", "query", "--format", "ids", "--venue", &venue,
                ])
                .output()
                .unwrap();
            let query = String::from_utf8(out.stdout).unwrap().lines().count();
            assert_eq!(n, query, "README says {n} at {venue}; query says {query}");
            let in_stats = stats["by_venue"][&venue].as_u64().unwrap_or(0) as usize;
            assert_eq!(
                n, in_stats,
                "README says {n} at {venue}; stats says {in_stats}"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 3,
        "the README states venue figures ({checked} found)"
    );
}
