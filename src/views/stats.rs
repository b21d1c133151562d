//! Figures about the list: papers per year and kind, per venue, with code, published or not;
//! as a text table, as JSON, and as an SVG chart of papers per year stacked by kind.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::catalog::{Catalog, Record};
use crate::model::paper::Kind;

/// The figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// How many papers.
    pub total: usize,
    /// Per year of the date: the count of each kind, in `Kind::ALL` order.
    pub by_year: BTreeMap<i16, BTreeMap<String, usize>>,
    /// Per kind.
    pub by_kind: BTreeMap<String, usize>,
    /// Per venue series and year (`ICLR 2025`); venues the registry cannot place count as written.
    pub by_venue: BTreeMap<String, usize>,
    /// Papers with a code link.
    pub with_code: usize,
    /// Papers with a venue.
    pub published: usize,
    /// Papers without one.
    pub preprints: usize,
    /// The newest paper's date: the list covers its year only up to that day.
    pub newest: Option<String>,
}

/// Computes the figures for the papers.
pub fn compute(catalog: &Catalog, records: &[Record<'_>]) -> Stats {
    let mut s = Stats {
        total: records.len(),
        ..Stats::default()
    };
    s.newest = records
        .iter()
        .map(|r| r.paper.date)
        .max()
        .map(|d| d.to_string());
    for r in records {
        let p = &r.paper;
        let year = s
            .by_year
            .entry(p.date.year())
            .or_insert_with(|| Kind::ALL.iter().map(|k| (k.name().to_owned(), 0)).collect());
        *year.entry(p.kind.name().to_owned()).or_default() += 1;
        *s.by_kind.entry(p.kind.name().to_owned()).or_default() += 1;
        if let Some(venue) = &p.venue {
            let key = match r.venue {
                Some(placed) => catalog.venue_group(placed),
                None => venue.clone(),
            };
            *s.by_venue.entry(key).or_default() += 1;
            s.published += 1;
        } else {
            s.preprints += 1;
        }
        if p.code.is_some() {
            s.with_code += 1;
        }
    }
    s
}

fn percent(part: usize, whole: usize) -> String {
    let rounded = (part * 100 + whole / 2).checked_div(whole).unwrap_or(0);
    format!("{rounded}%")
}

/// The figures as aligned text tables.
pub fn text(s: &Stats) -> String {
    let mut out = String::new();
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
    let _ = write!(out, "{:<6}", "year");
    for k in &kinds {
        let _ = write!(out, "{k:>10}");
    }
    let _ = writeln!(out, "{:>8}", "total");
    for (year, counts) in &s.by_year {
        let _ = write!(out, "{year:<6}");
        for k in &kinds {
            let _ = write!(out, "{:>10}", counts.get(*k).copied().unwrap_or(0));
        }
        let _ = writeln!(out, "{:>8}", counts.values().sum::<usize>());
    }
    let _ = write!(out, "{:<6}", "total");
    for k in &kinds {
        let _ = write!(out, "{:>10}", s.by_kind.get(*k).copied().unwrap_or(0));
    }
    let _ = writeln!(out, "{:>8}\n", s.total);
    let width = s
        .by_venue
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(out, "{:<width$}  papers", "venue");
    for (venue, n) in &s.by_venue {
        let _ = writeln!(out, "{venue:<width$}  {n:>6}");
    }
    let _ = writeln!(
        out,
        "\nwith code: {} of {} ({})\npublished: {} ({}), preprints: {} ({})",
        s.with_code,
        s.total,
        percent(s.with_code, s.total),
        s.published,
        percent(s.published, s.total),
        s.preprints,
        percent(s.preprints, s.total)
    );
    out
}

/// Colours per kind, readable on light and dark backgrounds.
const COLOURS: [&str; 5] = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd"];

/// An SVG bar chart of papers per year, stacked by kind, with a legend. Text switches colour
/// with the reader's colour scheme, so the chart reads on GitHub in light and dark mode.
pub fn svg(s: &Stats) -> String {
    let (width, height) = (640.0_f64, 360.0_f64);
    let (left, right, top, bottom) = (48.0, 16.0, 40.0, 40.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max = s
        .by_year
        .values()
        .map(|c| c.values().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let step = nice_step(max);
    let top_value = max.div_ceil(step) * step;
    let years = s.by_year.len().max(1) as f64;
    let slot = plot_w / years;
    let bar = (slot * 0.6).min(64.0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Papers per year by kind\">"
    );
    out.push_str(
        "<style>text{font:12px sans-serif;fill:#24292f}line{stroke:#d0d7de}\
         @media (prefers-color-scheme: dark){text{fill:#e6edf3}line{stroke:#30363d}}</style>\n",
    );
    let _ = writeln!(
        out,
        "<title>Papers per year, by kind ({} in total)</title>",
        s.total
    );
    let mut tick = 0;
    while tick <= top_value {
        let y = top + plot_h - plot_h * tick as f64 / top_value as f64;
        let _ = writeln!(
            out,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            width - right,
            left - 6.0,
            y + 4.0
        );
        tick += step;
    }
    // The newest paper's year is shown as partial (`2026*`) unless the list reaches its last
    // day: the bar is not comparable with full years. Derived from the data, not from today's
    // date, so the chart only changes when the data does.
    let partial = s
        .newest
        .as_deref()
        .filter(|d| !d.ends_with("-12-31"))
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<i16>().ok());
    for (i, (year, counts)) in s.by_year.iter().enumerate() {
        let mark = if Some(*year) == partial { "*" } else { "" };
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = top + plot_h;
        for (k, kind) in Kind::ALL.iter().enumerate() {
            let n = counts.get(kind.name()).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let h = plot_h * n as f64 / top_value as f64;
            y -= h;
            let _ = writeln!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{year}: {n} {}</title></rect>",
                COLOURS[k],
                kind.name()
            );
        }
        let total: usize = counts.values().sum();
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}{mark}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{total}</text>",
            x + bar / 2.0,
            top + plot_h + 18.0,
            x + bar / 2.0,
            y - 6.0
        );
    }
    for (k, kind) in Kind::ALL.iter().enumerate() {
        let x = left + 110.0 * k as f64;
        let _ = writeln!(
            out,
            "<rect x=\"{x:.1}\" y=\"12\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"22\">{}</text>",
            COLOURS[k],
            x + 16.0,
            kind.name()
        );
    }
    if let (Some(_), Some(newest)) = (partial, &s.newest) {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">* partial year: papers up to {newest}</text>",
            width - right,
            height - 8.0
        );
    }
    out.push_str("</svg>\n");
    out
}

/// A step of 1, 2, 5, 10, 20, 50... giving at most about six ticks.
fn nice_step(max: usize) -> usize {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if max / (step * m) <= 6 {
                return step * m;
            }
        }
        step *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(1), 1);
        assert_eq!(nice_step(12), 2);
        assert_eq!(nice_step(90), 20);
        assert_eq!(nice_step(100_000), 20_000);
    }
}
