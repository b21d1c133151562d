//! What `hftlist discover` prints: an aligned table, JSON, and a Markdown review checklist
//! whose every line carries the ready `hftlist add` command. Pure: candidates in, text out.

use serde::Serialize;

use crate::discover::Scored;
use crate::model::date::PartialDate;
use crate::model::sanitize::escape;
use crate::views::render::escape_text;

/// The `hftlist add` command that adds the candidate with its guessed kind (and stage).
pub fn add_command(c: &Scored) -> String {
    let mut cmd = String::from("hftlist add");
    match &c.arxiv {
        Some(id) => cmd.push_str(&format!(" {id}")),
        None => {
            cmd.push_str(&format!(" --title {}", shell_quote(&c.title)));
            if let Some(date) = c.date {
                cmd.push_str(&format!(" --date {date}"));
            }
            if let Some(doi) = &c.doi {
                cmd.push_str(&format!(" --doi {}", shell_quote(doi.as_str())));
            }
        }
    }
    cmd.push_str(&format!(" --kind {}", c.kind_guess));
    if let Some(stage) = c.stage_guess {
        cmd.push_str(&format!(" --stage {stage}"));
    }
    cmd
}

/// `s` in single quotes for a POSIX shell (a quote inside closes, escapes and reopens); a
/// backtick, which would end the Markdown code span around the command, becomes a quote.
fn shell_quote(s: &str) -> String {
    let s = escape(s).replace('`', "'");
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._/:".contains(&b))
    {
        return s;
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// An aligned table: score, date, arXiv id (or DOI), guessed kind, title, why.
pub fn table(candidates: &[Scored]) -> String {
    let rows: Vec<[String; 6]> = candidates
        .iter()
        .map(|c| {
            [
                format!("{:.1}", c.score),
                c.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                c.arxiv
                    .as_ref()
                    .map(|a| a.to_string())
                    .or_else(|| c.doi.as_ref().map(|d| format!("doi:{d}")))
                    .unwrap_or_else(|| "-".into()),
                format!("{}?", c.kind_guess),
                escape(&c.title).into_owned(),
                escape(&c.why).into_owned(),
            ]
        })
        .collect();
    let header = ["score", "date", "arxiv", "kind", "title", "why"].map(str::to_owned);
    let mut widths = [0usize; 6];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = widths[i] - cell.chars().count();
            // The score is a number: right-aligned.
            if i == 0 {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The JSON document: the window, the warnings of sources that failed, and the candidates,
/// each with its `add` command.
pub fn json(
    since: PartialDate,
    warnings: &[String],
    candidates: &[Scored],
) -> anyhow::Result<String> {
    #[derive(Serialize)]
    struct WithCommand<'a> {
        #[serde(flatten)]
        candidate: &'a Scored,
        add: String,
    }
    #[derive(Serialize)]
    struct Doc<'a> {
        since: String,
        warnings: &'a [String],
        candidates: Vec<WithCommand<'a>>,
    }
    let doc = Doc {
        since: since.to_string(),
        warnings,
        candidates: candidates
            .iter()
            .map(|c| WithCommand {
                candidate: c,
                add: add_command(c),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc)?;
    s.push('\n');
    Ok(s)
}

/// A review checklist in Markdown: one box per candidate with its facts, the signals, and the
/// `hftlist add` command to run for a keeper. Text from the services is escaped, so a title
/// cannot add links or formatting to an issue it is posted in.
pub fn markdown(since: PartialDate, warnings: &[String], candidates: &[Scored]) -> String {
    let mut out = format!(
        "## Papers to review: {} candidate(s) since {since}\n\n",
        candidates.len()
    );
    out.push_str(
        "Tick the papers that belong in the list, run their `hftlist add` command (the kind and \
         stage are guesses: check them), then `hftlist render`.\n\n",
    );
    for w in warnings {
        out.push_str(&format!("> **Warning:** {}\n\n", escape_text(w)));
    }
    for c in candidates {
        let mut facts = Vec::new();
        if let Some(d) = c.date {
            facts.push(d.to_string());
        }
        if let Some(id) = &c.arxiv {
            facts.push(format!("[arXiv {id}](https://arxiv.org/abs/{id})"));
        } else if let Some(doi) = &c.doi {
            facts.push(format!(
                "[DOI](https://doi.org/{})",
                crate::sources::http::encode_path(doi.as_str())
            ));
        }
        facts.push(format!("score {:.1}", c.score));
        facts.push(format!("guess: {}", c.kind_guess));
        out.push_str(&format!(
            "- [ ] **{}** ({})",
            escape_text(&c.title),
            facts.join(", ")
        ));
        if !c.why.is_empty() {
            out.push_str(&format!(": {}", escape_text(&c.why)));
        }
        out.push_str(&format!("\n  `{}`\n", add_command(c)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::paper::{Kind, Stage};

    fn scored() -> Scored {
        Scored {
            score: 7.5,
            date: Some("2025-06-01".parse().unwrap()),
            arxiv: Some("2506.00001".parse().unwrap()),
            doi: None,
            title: "Guarding *LLMs* [fast]".to_owned(),
            kind_guess: Kind::Defense,
            stage_guess: Some(Stage::FineTuning),
            cites: vec!["lisa".to_owned()],
            title_phrases: vec![],
            abstract_phrases: vec![],
            why: "cites lisa".to_owned(),
        }
    }

    #[test]
    fn the_add_command_uses_the_arxiv_id_or_the_title_date_and_doi() {
        assert_eq!(
            add_command(&scored()),
            "hftlist add 2506.00001 --kind defense --stage fine-tuning"
        );
        let no_arxiv = Scored {
            arxiv: None,
            doi: Some("10.1234/x".parse().unwrap()),
            title: "It's `safe`".to_owned(),
            kind_guess: Kind::Analysis,
            stage_guess: None,
            ..scored()
        };
        assert_eq!(
            add_command(&no_arxiv),
            "hftlist add --title 'It'\\''s '\\''safe'\\''' --date 2025-06-01 --doi 10.1234/x --kind \
             analysis"
        );
    }

    #[test]
    fn markdown_escapes_titles_and_carries_the_command() {
        let md = markdown("2025-01-01".parse().unwrap(), &[], &[scored()]);
        assert!(md.contains("- [ ] **Guarding \\*LLMs\\* \\[fast\\]** (2025-06-01, [arXiv 2506.00001](https://arxiv.org/abs/2506.00001), score 7.5, guess: defense): cites lisa\n  `hftlist add 2506.00001 --kind defense --stage fine-tuning`\n"), "{md}");
    }

    #[test]
    fn the_table_aligns_columns() {
        let t = table(&[scored()]);
        assert_eq!(
            t,
            "score  date        arxiv       kind      title                   why\n  \
             7.5  2025-06-01  2506.00001  defense?  Guarding *LLMs* [fast]  cites lisa\n"
        );
    }
}
