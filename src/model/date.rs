//! Partial calendar dates: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
//!
//! Hand-kept lists often know only the month (or the year) a paper appeared, so the precision the
//! record states is kept: `2024-02` is not silently widened to `2024-02-01`. Dates order by year,
//! then month, then day, with a missing part sorting before any present one, so `2024` <
//! `2024-01` < `2024-01-01` and a list sorted by date stays stable across precisions.

use std::fmt;
use std::str::FromStr;

/// A date with year, and optionally month and day (a day needs a month).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    year: i16,
    month: Option<i8>,
    day: Option<i8>,
}

/// Why a date string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError(String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

impl PartialDate {
    /// A full date; `None` when the day does not exist in that month.
    pub fn from_ymd(year: i16, month: i8, day: i8) -> Option<Self> {
        jiff::civil::Date::new(year, month, day).ok()?;
        Some(Self {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// A year and month; `None` when the month is not 1 to 12.
    pub fn from_ym(year: i16, month: i8) -> Option<Self> {
        jiff::civil::Date::new(year, month, 1).ok()?;
        Some(Self {
            year,
            month: Some(month),
            day: None,
        })
    }

    /// The year.
    pub fn year(self) -> i16 {
        self.year
    }

    /// The month (1 to 12), when known.
    pub fn month(self) -> Option<i8> {
        self.month
    }

    /// The day of the month, when known.
    pub fn day(self) -> Option<i8> {
        self.day
    }

    /// The range of months (counted from year 0) this date may fall in: one month, or a whole year.
    pub fn month_range(self) -> (i32, i32) {
        let base = i32::from(self.year) * 12;
        match self.month {
            Some(m) => (base + i32::from(m) - 1, base + i32::from(m) - 1),
            None => (base, base + 11),
        }
    }

    /// Whether any day this date may mean lies after `today`.
    pub fn is_after(self, today: jiff::civil::Date) -> bool {
        let (y, m, d) = (today.year(), today.month(), today.day());
        match (self.month, self.day) {
            (Some(month), Some(day)) => (self.year, month, day) > (y, m, d),
            (Some(month), None) => (self.year, month) > (y, m),
            _ => self.year > y,
        }
    }

    /// Today's date in UTC.
    pub fn today() -> jiff::civil::Date {
        jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()
    }
}

fn number<T: FromStr>(part: &str, width: usize) -> Option<T> {
    if part.len() == width && part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let shape = || {
            DateError(format!(
                "`{s}` is not a date of the form `YYYY-MM-DD`, `YYYY-MM` or `YYYY`"
            ))
        };
        let mut parts = s.split('-');
        let year: i16 = parts.next().and_then(|p| number(p, 4)).ok_or_else(shape)?;
        let month: Option<i8> = match parts.next() {
            Some(p) => Some(number(p, 2).ok_or_else(shape)?),
            None => None,
        };
        let day: Option<i8> = match parts.next() {
            Some(p) => Some(number(p, 2).ok_or_else(shape)?),
            None => None,
        };
        if parts.next().is_some() {
            return Err(shape());
        }
        let impossible = || DateError(format!("`{s}` is not a day of the calendar"));
        match (month, day) {
            (Some(m), Some(d)) => Self::from_ymd(year, m, d).ok_or_else(impossible),
            (Some(m), None) => Self::from_ym(year, m).ok_or_else(impossible),
            _ => Ok(Self {
                year,
                month: None,
                day: None,
            }),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

serde_via_str!(PartialDate);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_three_precisions_and_displays_them_back() {
        for s in ["2024", "2024-02", "2024-02-29"] {
            assert_eq!(d(s).to_string(), s);
        }
    }

    #[test]
    fn refuses_malformed_and_impossible_dates() {
        for s in [
            "",
            "24",
            "2024-2",
            "2024/02/02",
            "2024-02-2",
            "2024-13",
            "2023-02-29",
            "2024-00",
            "2024-01-01-01",
            " 2024",
            "２０２４",
        ] {
            assert!(s.parse::<PartialDate>().is_err(), "{s} should be refused");
        }
        assert_eq!(
            "2023-02-29".parse::<PartialDate>().unwrap_err().to_string(),
            "`2023-02-29` is not a day of the calendar"
        );
    }

    #[test]
    fn sorts_across_precisions() {
        let mut v = [
            d("2024-02-02"),
            d("2024"),
            d("2023-12"),
            d("2024-02"),
            d("2024-01-31"),
        ];
        v.sort();
        let shown: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            ["2023-12", "2024", "2024-01-31", "2024-02", "2024-02-02"]
        );
    }

    #[test]
    fn future_is_judged_at_the_stated_precision() {
        let today = jiff::civil::date(2026, 11, 30);
        assert!(!d("2026-11-30").is_after(today));
        assert!(d("2026-12-01").is_after(today));
        assert!(!d("2026-11").is_after(today));
        assert!(d("2026-12").is_after(today));
        assert!(!d("2026").is_after(today));
        assert!(d("2027").is_after(today));
    }
}
