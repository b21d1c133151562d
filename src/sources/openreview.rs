//! The OpenReview API v2: one forum's submission note (`GET /notes?id=FORUM`), parsed from
//! `&str`, and what its venue says about the paper's standing.
//!
//! Every field of a v2 note's `content` is wrapped as `{"value": ...}`. `venueid` is the
//! machine-readable standing (`ICLR.cc/2025/Conference` when accepted,
//! `.../Rejected_Submission`, `.../Withdrawn_Submission`, `.../Submission` while under review);
//! `venue` is its human spelling (`ICLR 2025 Poster`, `Submitted to ICLR 2025`).

use std::time::Duration;

use serde::Deserialize;

use super::{AnswerError, Client, Service, fold};
use crate::model::ident::OpenReviewId;

/// The OpenReview API v2.
pub const SERVICE: Service = Service {
    name: "OpenReview API",
    key: "openreview",
    env: "HFTLIST_OPENREVIEW_URL",
    endpoint: "https://api2.openreview.net",
    known_hosts: &[
        "api2.openreview.net",
        "api.openreview.net",
        "openreview.net",
    ],
    delay: Duration::from_secs(1),
    ttl: Duration::from_secs(24 * 60 * 60),
    max_bytes: 8 * 1024 * 1024,
};

/// What a forum's submission note says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenReviewNote {
    /// The note's id (the forum id for a submission).
    pub id: String,
    /// The title, whitespace folded.
    pub title: String,
    /// The authors, in order (empty while the submission is anonymous).
    pub authors: Vec<String>,
    /// `content.venue.value`, e.g. `ICLR 2025 Poster`.
    pub venue: Option<String>,
    /// `content.venueid.value`, e.g. `ICLR.cc/2025/Conference`.
    pub venueid: Option<String>,
}

/// Where a submission stands, as its venue id and venue say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Accepted (the venue id is the venue's own group).
    Accepted,
    /// Under review, or never decided in public (`Submitted to ...`).
    Submitted,
    /// Withdrawn by its authors.
    Withdrawn,
    /// Rejected, or desk-rejected.
    Rejected,
    /// The note says nothing usable.
    Unknown,
}

impl OpenReviewNote {
    /// The standing: the venue id's last segment decides, the venue's wording when there is
    /// no venue id.
    pub fn standing(&self) -> Standing {
        let venue = self.venue.as_deref().unwrap_or_default().to_lowercase();
        if let Some(id) = &self.venueid {
            let last = id.rsplit('/').next().unwrap_or_default();
            return match last {
                "Withdrawn_Submission" => Standing::Withdrawn,
                "Rejected_Submission" | "Desk_Rejected_Submission" => Standing::Rejected,
                "Submission" | "Blind_Submission" => Standing::Submitted,
                _ if id.contains('/') => Standing::Accepted,
                _ => Standing::Unknown,
            };
        }
        if venue.contains("withdrawn") {
            Standing::Withdrawn
        } else if venue.contains("rejected") {
            Standing::Rejected
        } else if venue.starts_with("submitted to") {
            Standing::Submitted
        } else {
            Standing::Unknown
        }
    }
}

#[derive(Deserialize)]
struct Answer {
    notes: Vec<Note>,
}

#[derive(Deserialize)]
struct Note {
    id: String,
    #[serde(default)]
    content: Content,
}

#[derive(Default, Deserialize)]
struct Content {
    title: Option<Value<String>>,
    authors: Option<Value<Vec<String>>>,
    venue: Option<Value<String>>,
    venueid: Option<Value<String>>,
}

#[derive(Deserialize)]
struct Value<T> {
    value: T,
}

/// Parses the answer of `/notes?id=ID` and returns the note with that id.
pub fn parse_note(json: &str, id: &OpenReviewId) -> Result<OpenReviewNote, AnswerError> {
    let answer: Answer =
        serde_json::from_str(json).map_err(|e| AnswerError::Malformed(e.to_string()))?;
    let note = answer
        .notes
        .into_iter()
        .find(|n| n.id == id.as_str())
        .ok_or(AnswerError::NotFound)?;
    let c = note.content;
    let some = |v: Option<Value<String>>| v.map(|v| fold(&v.value)).filter(|s| !s.is_empty());
    Ok(OpenReviewNote {
        id: note.id,
        title: c.title.map(|t| fold(&t.value)).unwrap_or_default(),
        authors: c
            .authors
            .map(|a| {
                a.value
                    .iter()
                    .map(|n| fold(n))
                    .filter(|n| !n.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        venue: some(c.venue),
        venueid: some(c.venueid),
    })
}

/// The URL of one forum's note at `endpoint`.
pub fn note_url(endpoint: &str, id: &OpenReviewId) -> String {
    format!("{}/notes?id={id}", endpoint.trim_end_matches('/'))
}

/// Fetches and parses one forum's submission note (the endpoint from
/// `HFTLIST_OPENREVIEW_URL` or the default).
pub fn fetch(client: &Client, id: &OpenReviewId) -> anyhow::Result<OpenReviewNote> {
    fetch_at(client, &SERVICE.endpoint()?, id)
}

/// [`fetch`] from the given endpoint.
pub fn fetch_at(
    client: &Client,
    endpoint: &str,
    id: &OpenReviewId,
) -> anyhow::Result<OpenReviewNote> {
    let url = note_url(endpoint, id);
    let json = client.get(&SERVICE, &url)?;
    parse_note(&json, id).map_err(|e| anyhow::anyhow!("OpenReview forum {id}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = include_str!("../../tests/fixtures/openreview/note.json");
    const EMPTY: &str = include_str!("../../tests/fixtures/openreview/empty.json");

    fn id(s: &str) -> OpenReviewId {
        s.parse().unwrap()
    }

    #[test]
    fn reads_a_submission_note() {
        let note = parse_note(NOTE, &id("h4rmFtExmp")).unwrap();
        assert_eq!(note.title, "A Fictional Study of Harmful Fine-tuning");
        assert_eq!(note.authors, ["Ada Lovelace", "Alan Turing"]);
        assert_eq!(note.venue.as_deref(), Some("ICLR 2026 Poster"));
        assert_eq!(note.venueid.as_deref(), Some("ICLR.cc/2026/Conference"));
        assert_eq!(note.standing(), Standing::Accepted);
    }

    #[test]
    fn no_note_and_garbage() {
        assert_eq!(
            parse_note(EMPTY, &id("h4rmFtExmp")),
            Err(AnswerError::NotFound)
        );
        assert_eq!(
            parse_note(NOTE, &id("aaaaaaaaaa")),
            Err(AnswerError::NotFound)
        );
        assert!(matches!(
            parse_note("<html>", &id("h4rmFtExmp")),
            Err(AnswerError::Malformed(_))
        ));
        assert!(matches!(
            parse_note(r#"{"notes": {}}"#, &id("h4rmFtExmp")),
            Err(AnswerError::Malformed(_))
        ));
    }

    #[test]
    fn standings() {
        let note = |venue: Option<&str>, venueid: Option<&str>| OpenReviewNote {
            id: "x".into(),
            title: "t".into(),
            authors: vec![],
            venue: venue.map(str::to_owned),
            venueid: venueid.map(str::to_owned),
        };
        let cases = [
            (
                Some("ICLR 2025 Oral"),
                Some("ICLR.cc/2025/Conference"),
                Standing::Accepted,
            ),
            (
                Some("ICLR 2025 Conference Withdrawn Submission"),
                Some("ICLR.cc/2025/Conference/Withdrawn_Submission"),
                Standing::Withdrawn,
            ),
            (
                Some("Submitted to ICLR 2025"),
                Some("ICLR.cc/2025/Conference/Rejected_Submission"),
                Standing::Rejected,
            ),
            (
                Some("Submitted to ICLR 2026"),
                Some("ICLR.cc/2026/Conference/Submission"),
                Standing::Submitted,
            ),
            (Some("Submitted to ICLR 2025"), None, Standing::Submitted),
            (
                Some("ICLR 2025 Conference Withdrawn Submission"),
                None,
                Standing::Withdrawn,
            ),
            (None, None, Standing::Unknown),
        ];
        for (venue, venueid, expected) in cases {
            assert_eq!(
                note(venue, venueid).standing(),
                expected,
                "{venue:?} {venueid:?}"
            );
        }
    }

    #[test]
    fn urls() {
        assert_eq!(
            note_url("https://api2.openreview.net/", &id("h4rmFtExmp")),
            "https://api2.openreview.net/notes?id=h4rmFtExmp"
        );
        assert!(SERVICE.endpoint.starts_with("https://"));
    }
}
