//! Identity signals beside titles: two records that share a code repository, or name one arXiv
//! id, DOI or OpenReview forum in two spellings (an identifier in one, a link in the other), are
//! probably one paper even when their titles differ (a paper retitled between versions).
//!
//! Exact repeats of an identifier field are `duplicate-paper` errors already; this rule warns
//! about what those keys cannot see. Records linked by shared signals form clusters, each
//! reported once, on its second file, naming the others.

use std::collections::HashMap;

use crate::model::diag::{Diagnostic, Rule};
use crate::model::ident::{ArxivId, Doi, OpenReviewId};
use crate::model::link::Url;
use crate::model::paper::{Field, Paper};
use crate::store::db::Entry;

use super::similar::name_list;
use crate::catalog::similar::FxMap;

/// What kind of identity two records share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SignalKind {
    /// A code repository, however its URL is spelt.
    Repository,
    /// An arXiv id, from the `arxiv` field, a link or an arXiv DOI.
    Arxiv,
    /// A DOI, from the `doi` field or a link.
    Doi,
    /// An OpenReview forum, from the `openreview` field or a link.
    OpenReview,
}

impl SignalKind {
    /// How a message names it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Repository => "code repository",
            Self::Arxiv => "arXiv id",
            Self::Doi => "DOI",
            Self::OpenReview => "OpenReview forum",
        }
    }
}

/// One identity a record carries, normalised for comparison, with the field that carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signal {
    /// The field it was read from.
    pub field: Field,
    /// What it identifies.
    pub kind: SignalKind,
    /// The normalised value: `github.com/owner/repo`, `2402.01109`, a lowercase DOI, a forum id.
    pub key: String,
}

/// The arXiv DOI prefix (`10.48550/arXiv.2402.01109`), lowercase.
const ARXIV_DOI: &str = "10.48550/arxiv.";

/// Every identity signal of a record: its identifiers, and those hidden in its links.
pub fn signals(paper: &Paper) -> Vec<Signal> {
    let mut out = Vec::new();
    let mut push = |field, kind, key: String| {
        let signal = Signal { field, kind, key };
        if !out.contains(&signal) {
            out.push(signal);
        }
    };
    if let Some(id) = &paper.arxiv {
        push(Field::Arxiv, SignalKind::Arxiv, id.to_string());
    }
    if let Some(id) = &paper.openreview {
        push(Field::Openreview, SignalKind::OpenReview, id.to_string());
    }
    if let Some(doi) = &paper.doi {
        doi_signals(Field::Doi, &doi.as_str().to_lowercase(), &mut push);
    }
    for (field, url) in [
        (Field::Paper, &paper.paper),
        (Field::Project, &paper.project),
    ] {
        let Some(url) = url else { continue };
        let url = url.as_str();
        if let Some(id) = ArxivId::from_url(url) {
            push(field, SignalKind::Arxiv, id.to_string());
        } else if let Some(id) = OpenReviewId::from_url(url) {
            push(field, SignalKind::OpenReview, id.to_string());
        } else if let Some(doi) = doi_in_url(url) {
            doi_signals(field, &doi, &mut push);
        }
    }
    for (field, url) in [(Field::Code, &paper.code), (Field::Project, &paper.project)] {
        if let Some(repo) = url
            .as_ref()
            .and_then(|u| repository(u, field == Field::Code))
        {
            push(field, SignalKind::Repository, repo);
        }
    }
    out
}

/// A lowercase DOI as signals: an arXiv DOI is also the arXiv id.
fn doi_signals(field: Field, doi: &str, push: &mut impl FnMut(Field, SignalKind, String)) {
    if let Some(id) = doi
        .strip_prefix(ARXIV_DOI)
        .and_then(|id| id.parse::<ArxivId>().ok())
    {
        push(field, SignalKind::Arxiv, id.to_string());
    }
    push(field, SignalKind::Doi, doi.to_owned());
}

/// The DOI in a resolver link (`https://doi.org/10...`) or a publisher's `/doi/[abs|pdf|full]/10...`
/// path, lowercase, without query or fragment.
fn doi_in_url(url: &str) -> Option<String> {
    let rest = Doi::strip_url_prefix(url).or_else(|| {
        let (_, after) = url.split_once("/doi/")?;
        ["abs/", "pdf/", "full/", "epdf/", "book/"]
            .iter()
            .find_map(|p| after.strip_prefix(p))
            .or(Some(after))
    })?;
    let doi = rest.split(['?', '#']).next()?.trim_end_matches('/');
    doi.parse::<Doi>().ok().map(|d| d.as_str().to_lowercase())
}

/// A code repository's identity: host and path, lowercase, without `www.`, trailing slash,
/// `.git`, query or fragment. On GitHub `owner/repo`, keeping a subfolder after
/// `tree/<branch>/` or `blob/<branch>/`; on GitLab the path before `/-/`. Other links count only
/// from the `code` field (`any_host`).
fn repository(url: &Url, any_host: bool) -> Option<String> {
    let host = url.host();
    let rest = url.as_str().split_once("://")?.1;
    let path = rest
        .split(['?', '#'])
        .next()?
        .split_once('/')
        .map_or("", |(_, p)| p)
        .to_lowercase();
    let mut parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match host.as_str() {
        "github.com" => {
            if parts.len() < 2 {
                return None;
            }
            let sub: Vec<&str> = match parts.get(2) {
                Some(&("tree" | "blob")) => parts.iter().skip(4).copied().collect(),
                _ => Vec::new(),
            };
            let repo = parts[1].strip_suffix(".git").unwrap_or(parts[1]);
            let mut key = format!("github.com/{}/{repo}", parts[0]);
            for s in sub {
                key.push('/');
                key.push_str(s);
            }
            Some(key)
        }
        "gitlab.com" => {
            if let Some(dash) = parts.iter().position(|s| *s == "-") {
                parts.truncate(dash);
            }
            let last = parts.pop()?;
            parts.push(last.strip_suffix(".git").unwrap_or(last));
            (parts.len() >= 2).then(|| format!("gitlab.com/{}", parts.join("/")))
        }
        _ if any_host => {
            if let Some(last) = parts.pop() {
                parts.push(last.strip_suffix(".git").unwrap_or(last));
            }
            Some(if parts.is_empty() {
                host
            } else {
                format!("{host}/{}", parts.join("/"))
            })
        }
        _ => None,
    }
}

/// The records carrying one signal, in order, with the field each carries it in.
type Members = Vec<(usize, Field)>;

/// The `shared-identity` rule.
pub(crate) fn check(entries: &[Entry], out: &mut Vec<Diagnostic>) {
    let mut groups: FxMap<(SignalKind, String), Members> = FxMap::default();
    for (i, entry) in entries.iter().enumerate() {
        for s in signals(&entry.paper) {
            let members = groups.entry((s.kind, s.key)).or_default();
            if members.last().is_none_or(|m| m.0 != i) {
                members.push((i, s.field));
            }
        }
    }
    let mut groups: Vec<((SignalKind, String), Members)> = groups
        .into_iter()
        .filter(|(_, members)| members.len() > 1)
        .collect();
    groups.sort_unstable();
    // Records linked through any shared signal, except pairs `duplicate-paper` reports already.
    let mut parent: Vec<usize> = (0..entries.len()).collect();
    let find = |parent: &mut Vec<usize>, mut x: usize| {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    };
    let mut identity: HashMap<usize, Vec<(Field, &'static str, String)>> = HashMap::new();
    let mut reasons: Vec<(usize, usize, Field, SignalKind, String)> = Vec::new();
    for ((kind, key), members) in &groups {
        let (first, _) = members[0];
        for &(other, field) in &members[1..] {
            let keys_first = identity
                .entry(first)
                .or_insert_with(|| entries[first].paper.identity_keys())
                .clone();
            let keys_other = identity
                .entry(other)
                .or_insert_with(|| entries[other].paper.identity_keys());
            if keys_other.iter().any(|k| keys_first.contains(k)) {
                continue;
            }
            let (a, b) = (find(&mut parent, first), find(&mut parent, other));
            parent[a.max(b)] = a.min(b);
            reasons.push((first, other, field, *kind, key.clone()));
        }
    }
    let mut clusters: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..entries.len() {
        let root = find(&mut parent, i);
        clusters.entry(root).or_default().push(i);
    }
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    for (r, reason) in reasons.iter().enumerate() {
        by_root
            .entry(find(&mut parent, reason.0))
            .or_default()
            .push(r);
    }
    let mut clusters: Vec<(usize, Vec<usize>)> =
        clusters.into_iter().filter(|(_, c)| c.len() > 1).collect();
    clusters.sort_unstable_by(|a, b| a.1.cmp(&b.1));
    for (root, cluster) in clusters {
        let at = cluster[1];
        let mut what: Vec<String> = Vec::new();
        let mut field = None;
        for &r in by_root.get(&root).map_or(&[][..], Vec::as_slice) {
            let (_, b, f, kind, key) = &reasons[r];
            if *b == at {
                field.get_or_insert(*f);
            }
            let text = format!("{} `{key}`", kind.describe());
            if !what.contains(&text) {
                what.push(text);
            }
        }
        let entry = &entries[at];
        let others: Vec<String> = cluster
            .iter()
            .filter(|&&i| i != at)
            .map(|&i| format!("`{}`", entries[i].path.display()))
            .collect();
        let tail = if others.len() == 1 {
            "if they are one paper, merge them"
        } else {
            "if some are one paper, merge them"
        };
        let shown: Vec<String> = what.iter().take(3).cloned().collect();
        let mut what_text = name_list(&shown);
        if what.len() > shown.len() {
            what_text.push_str(&format!(" (and {} more)", what.len() - shown.len()));
        }
        out.push(Diagnostic::new(
            &entry.path,
            entry.spans.get(field.unwrap_or(Field::Title)),
            Rule::SharedIdentity,
            format!("same {what_text} as {}: {tail}", name_list(&others)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(url: &str) -> Option<String> {
        repository(&url.parse().unwrap(), true)
    }

    #[test]
    fn repository_urls_are_normalised() {
        let key = Some("github.com/git-disl/vaccine".to_owned());
        for url in [
            "https://github.com/git-disl/Vaccine",
            "https://github.com/git-disl/Vaccine/",
            "http://www.github.com/git-disl/vaccine.git",
            "https://github.com/git-disl/Vaccine/tree/main",
            "https://github.com/git-disl/Vaccine/tree/master/",
            "https://github.com/git-disl/Vaccine?tab=readme-ov-file#vaccine",
        ] {
            assert_eq!(repo(url), key, "{url}");
        }
        assert_eq!(
            repo("https://github.com/lab/papers/tree/main/lisa").as_deref(),
            Some("github.com/lab/papers/lisa"),
            "a subfolder is its own repository"
        );
        assert_eq!(
            repo("https://github.com/git-disl"),
            None,
            "an owner, not a repository"
        );
        assert_eq!(
            repo("https://gitlab.com/group/sub/Repo.git/-/tree/main").as_deref(),
            Some("gitlab.com/group/sub/repo")
        );
        assert_eq!(
            repo("https://anonymous.4open.science/r/CTRAP/").as_deref(),
            Some("anonymous.4open.science/r/ctrap")
        );
        let project: Url = "https://vaccine.github.io/".parse().unwrap();
        assert_eq!(
            repository(&project, false),
            None,
            "a project page is no repository"
        );
    }

    #[test]
    fn identifiers_hidden_in_links_are_found() {
        assert_eq!(
            doi_in_url("https://dl.acm.org/doi/abs/10.1145/3712003?casa_token=x").as_deref(),
            Some("10.1145/3712003")
        );
        assert_eq!(
            doi_in_url("https://doi.org/10.18653/V1/2024.findings-acl.549").as_deref(),
            Some("10.18653/v1/2024.findings-acl.549")
        );
        assert_eq!(doi_in_url("https://example.org/paper.pdf"), None);
        let (paper, _, _) = crate::store::db::parse_record(
            std::path::Path::new("x.yaml"),
            "title: T\nkind: attack\ndate: \"2024\"\ndoi: 10.48550/arXiv.2402.01109\n\
             paper: https://openreview.net/pdf?id=tTPHgb0EtV\ncode: https://github.com/a/b.git\n",
        );
        let found: Vec<(SignalKind, String)> = signals(&paper.unwrap())
            .into_iter()
            .map(|s| (s.kind, s.key))
            .collect();
        assert_eq!(
            found,
            [
                (SignalKind::Arxiv, "2402.01109".to_owned()),
                (SignalKind::Doi, "10.48550/arxiv.2402.01109".to_owned()),
                (SignalKind::OpenReview, "tTPHgb0EtV".to_owned()),
                (SignalKind::Repository, "github.com/a/b".to_owned()),
            ]
        );
    }

    fn entries(records: &[(&str, &str)]) -> Vec<Entry> {
        records
            .iter()
            .map(|(id, identity)| {
                let yaml = format!("title: T {id}\nkind: attack\ndate: \"2024\"\n{identity}\n");
                let (paper, spans, _) =
                    crate::store::db::parse_record(std::path::Path::new("x.yaml"), &yaml);
                Entry {
                    id: id.parse().unwrap(),
                    path: format!("{id}.yaml").into(),
                    paper: paper.unwrap(),
                    spans,
                }
            })
            .collect()
    }

    #[test]
    fn records_linked_by_shared_identities_are_one_warning() {
        let found = |records: &[(&str, &str)]| {
            let mut out = Vec::new();
            check(&entries(records), &mut out);
            out.into_iter()
                .map(|d| format!("{}: {}", d.file.display(), d.message))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            found(&[
                ("a", "arxiv: \"2402.01109\"\ncode: https://github.com/x/y"),
                (
                    "b",
                    "doi: 10.1145/3712003\ncode: https://github.com/X/Y.git"
                ),
                ("c", "paper: https://arxiv.org/abs/2402.01109v2"),
                ("d", "doi: 10.1145/3712004\ncode: https://github.com/x/z"),
            ]),
            [
                "b.yaml: same code repository `github.com/x/y` and arXiv id `2402.01109` as \
              `a.yaml` and `c.yaml`: if some are one paper, merge them"
            ]
        );
        assert!(
            found(&[
                ("a", "arxiv: \"2402.01109\""),
                ("b", "arxiv: \"2402.01110\""),
            ])
            .is_empty()
        );
    }
}
