//! The paper record: one `papers/<id>.yaml` file, typed.
//!
//! Every fact is stored once: links to arXiv, OpenReview and DOI pages are derived from the typed
//! identifiers, and a preprint is a paper without a `venue`. Field order here is the order a saved
//! file shows (see `docs/format.md`).

use serde::Serialize;

use crate::model::date::PartialDate;
use crate::model::ident::{ArxivId, Doi, OpenReviewId, Tag};
use crate::model::link::Url;

closed_enum!(
    /// What a paper contributes.
    Kind, "kind", {
        /// Breaks safety alignment through fine-tuning.
        Attack = "attack",
        /// Protects alignment; every defense names the stage it acts in.
        Defense = "defense",
        /// Studies why and how fine-tuning breaks alignment (interpretability, measurements).
        Analysis = "analysis",
        /// A benchmark, toolkit or evaluation protocol.
        Benchmark = "benchmark",
        /// A survey of the field.
        Survey = "survey",
    }
);

closed_enum!(
    /// The stage of the fine-tuning-as-a-service pipeline a defense acts in.
    Stage, "stage", {
        /// While the base model is pre-trained (e.g. data filtering).
        PreTraining = "pre-training",
        /// While the model is safety-aligned, before the user fine-tunes it.
        Alignment = "alignment",
        /// While the user's fine-tuning runs.
        FineTuning = "fine-tuning",
        /// After fine-tuning, repairing the fine-tuned model.
        PostFineTuning = "post-fine-tuning",
    }
);

closed_enum!(
    /// A field of the record, in the order a saved file shows them.
    Field, "field", {
        /// `title`
        Title = "title",
        /// `kind`
        Kind = "kind",
        /// `stage`
        Stage = "stage",
        /// `date`
        Date = "date",
        /// `venue`
        Venue = "venue",
        /// `authors`
        Authors = "authors",
        /// `arxiv`
        Arxiv = "arxiv",
        /// `doi`
        Doi = "doi",
        /// `openreview`
        Openreview = "openreview",
        /// `paper`
        Paper = "paper",
        /// `code`
        Code = "code",
        /// `project`
        Project = "project",
        /// `tags`
        Tags = "tags",
        /// `note`
        Note = "note",
    }
);

impl Field {
    /// Whether a record must have this field.
    pub fn is_required(self) -> bool {
        matches!(self, Self::Title | Self::Kind | Self::Date)
    }

    /// Whether the field holds a list of strings rather than one string.
    pub fn is_list(self) -> bool {
        matches!(self, Self::Authors | Self::Tags)
    }

    /// The position of the field in `ALL`, for per-field tables.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One paper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Paper {
    /// The title as the paper gives it.
    pub title: String,
    /// What the paper contributes.
    pub kind: Kind,
    /// For a defense, the stage it acts in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// First public appearance.
    pub date: PartialDate,
    /// Where it was published, e.g. `NeurIPS 2024`; `None` for a preprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// Authors in the paper's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// arXiv id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arxiv: Option<ArxivId>,
    /// DOI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<Doi>,
    /// OpenReview forum id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub openreview: Option<OpenReviewId>,
    /// The paper's page, only when no identifier gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paper: Option<Url>,
    /// Code repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Url>,
    /// Project page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<Url>,
    /// Free labels such as `federated`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
    /// A short remark shown in the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Paper {
    /// A record with its three required facts and nothing else; the other fields are set by
    /// whoever builds it (`import`, `add`, tests).
    pub fn new(title: String, kind: Kind, date: PartialDate) -> Self {
        Self {
            title,
            kind,
            stage: None,
            date,
            venue: None,
            authors: Vec::new(),
            arxiv: None,
            doi: None,
            openreview: None,
            paper: None,
            code: None,
            project: None,
            tags: Vec::new(),
            note: None,
        }
    }

    /// The URL of the arXiv abstract page.
    pub fn arxiv_url(&self) -> Option<String> {
        self.arxiv
            .as_ref()
            .map(|id| format!("https://arxiv.org/abs/{id}"))
    }

    /// The URL of the OpenReview forum.
    pub fn openreview_url(&self) -> Option<String> {
        self.openreview
            .as_ref()
            .map(|id| format!("https://openreview.net/forum?id={id}"))
    }

    /// The URL the DOI resolves through.
    pub fn doi_url(&self) -> Option<String> {
        self.doi
            .as_ref()
            .map(|doi| format!("https://doi.org/{doi}"))
    }

    /// Every link of the record, in the order the list shows them, each with the field it comes
    /// from and its label: the identifiers' pages (arXiv, OpenReview, DOI) are derived here, the
    /// one place that turns identifiers into URLs for the views and the link checker.
    pub fn links(&self) -> Vec<(Field, &'static str, String)> {
        let mut out = Vec::new();
        if let Some(url) = self.arxiv_url() {
            out.push((Field::Arxiv, "paper", url));
        }
        if let Some(url) = &self.paper {
            out.push((Field::Paper, "paper", url.to_string()));
        }
        if let Some(url) = self.openreview_url() {
            out.push((Field::Openreview, "OpenReview", url));
        }
        if let Some(url) = self.doi_url() {
            out.push((Field::Doi, "DOI", url));
        }
        if let Some(url) = &self.code {
            out.push((Field::Code, "code", url.to_string()));
        }
        if let Some(url) = &self.project {
            out.push((Field::Project, "project", url.to_string()));
        }
        out
    }

    /// Whether the record links anywhere at all.
    pub fn has_link(&self) -> bool {
        self.arxiv.is_some()
            || self.doi.is_some()
            || self.openreview.is_some()
            || self.paper.is_some()
            || self.code.is_some()
            || self.project.is_some()
    }

    /// The keys that identify the paper, each with the field it comes from and a name for
    /// messages: the identifiers, the `paper` link and the normalised title. Two records sharing
    /// any key are the same paper.
    pub fn identity_keys(&self) -> Vec<(Field, &'static str, String)> {
        identity_keys(
            self.arxiv.as_ref(),
            self.doi.as_ref(),
            self.openreview.as_ref(),
            self.paper.as_ref(),
            &self.title,
        )
    }

    /// Whether the record carries the tag.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.as_str() == tag)
    }
}

/// The identity keys of a paper's identifiers, `paper` link and title (see
/// `Paper::identity_keys`); an empty title gives no title key.
pub fn identity_keys(
    arxiv: Option<&ArxivId>,
    doi: Option<&Doi>,
    openreview: Option<&OpenReviewId>,
    paper: Option<&Url>,
    title: &str,
) -> Vec<(Field, &'static str, String)> {
    let mut keys = Vec::new();
    if let Some(id) = arxiv {
        keys.push((Field::Arxiv, "arXiv id", id.to_string()));
    }
    if let Some(doi) = doi {
        keys.push((Field::Doi, "DOI", doi.as_str().to_lowercase()));
    }
    if let Some(id) = openreview {
        keys.push((Field::Openreview, "OpenReview id", id.to_string()));
    }
    if let Some(url) = paper {
        keys.push((Field::Paper, "paper link", url.to_string()));
    }
    let title = normalize_title(title);
    if !title.is_empty() {
        keys.push((Field::Title, "title", title));
    }
    keys
}

/// The title folded for comparison: lowercase alphanumeric words separated by single spaces, so
/// `Emergent Misalignment:Narrow` and `emergent misalignment: narrow` compare equal.
pub fn normalize_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for word in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_sets_parse_their_names_and_list_them_on_error() {
        assert_eq!(
            "post-fine-tuning".parse::<Stage>(),
            Ok(Stage::PostFineTuning)
        );
        assert_eq!(
            "attacker".parse::<Kind>().unwrap_err(),
            "`attacker` is not a valid kind: expected one of `attack`, `defense`, `analysis`, \
             `benchmark`, `survey`"
        );
        for field in Field::ALL {
            assert_eq!(Field::ALL[field.index()], *field);
        }
    }

    #[test]
    fn titles_normalize_punctuation_and_case() {
        assert_eq!(
            normalize_title("Emergent Misalignment:Narrow finetuning"),
            normalize_title("emergent  misalignment: Narrow Finetuning!")
        );
        assert_eq!(
            normalize_title("What's in your \" safe\" data?"),
            "what s in your safe data"
        );
    }
}
