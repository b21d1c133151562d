//! The `similar-title` rule, over the catalog's near-identical title matcher
//! (`catalog/similar.rs`, where the definition and the search are described).

use crate::catalog::similar::{MAX_LISTED, clusters};
use crate::model::diag::{Diagnostic, Rule};
use crate::model::paper::Field;
use crate::store::db::Entry;

/// The `similar-title` rule: one warning per cluster of near-identical titles, on the cluster's
/// second file, naming the others (at most `MAX_LISTED`, then a count).
pub(crate) fn check(entries: &[Entry], out: &mut Vec<Diagnostic>) {
    let titles: Vec<&str> = entries.iter().map(|e| e.paper.title.as_str()).collect();
    for cluster in clusters(&titles) {
        let at = &entries[cluster[1]];
        let others: Vec<String> = cluster
            .iter()
            .filter(|&&i| i != cluster[1])
            .map(|&i| format!("`{}`", entries[i].path.display()))
            .collect();
        let message = if let [only] = others.as_slice() {
            format!("title is nearly the same as that of {only}: if they are one paper, merge them")
        } else {
            format!(
                "title is nearly the same as those of {}: if some are one paper, merge them",
                name_list(&others)
            )
        };
        out.push(Diagnostic::new(
            &at.path,
            at.spans.get(Field::Title),
            Rule::SimilarTitle,
            message,
        ));
    }
}

/// `a`, `b` and `c`; `a`, ..., `e` and 7 more: at most `MAX_LISTED` names.
pub(crate) fn name_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        _ if names.len() <= MAX_LISTED => format!(
            "{} and {}",
            names[..names.len() - 1].join(", "),
            names[names.len() - 1]
        ),
        _ => format!(
            "{} and {} more",
            names[..MAX_LISTED].join(", "),
            names.len() - MAX_LISTED
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_lists_stop_at_max_listed() {
        let names: Vec<String> = (0..8).map(|i| format!("`{i}`")).collect();
        assert_eq!(name_list(&names[..1]), "`0`");
        assert_eq!(name_list(&names[..3]), "`0`, `1` and `2`");
        assert_eq!(name_list(&names), "`0`, `1`, `2`, `3`, `4` and 3 more");
    }
}
