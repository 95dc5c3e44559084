//! Costs, budgets and points as Pabulib writes them, read and written exactly.

use crate::rational::Rational;

/// Reads a cost or a budget: `85700`, `200000.0`, a decimal comma `1,5` (read as 1.5, as
/// pabutools does with `replace(",", ".")`), or an exact fraction `p/q` (what [`format`] writes
/// for values with no finite decimal expansion).
#[must_use]
pub(crate) fn parse_amount(s: &str) -> Option<Rational> {
    if s.contains(',') { s.replace(',', ".").parse().ok() } else { s.parse().ok() }
}

/// Reads one value of a `points` list: an integer, a decimal with a point, or `p/q`.
#[must_use]
pub(crate) fn parse_points(s: &str) -> Option<Rational> {
    s.parse().ok()
}

/// Writes a value the way Pabulib files do: integers as integers, other values as their exact
/// finite decimal expansion (`216829.41`), and values that have none (`1/3`) as `p/q`, which
/// [`parse_amount`] reads back but pabutools and pabulib's checker do not.
#[must_use]
pub(crate) fn format(value: &Rational) -> String {
    match value.decimal_places() {
        Some(digits) => value.to_decimal(digits),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Rational {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_read_decimal_points_commas_and_fractions_exactly() {
        assert_eq!(parse_amount("200000.0"), Some(Rational::integer(200000)));
        assert_eq!(parse_amount("1,5"), Some(q("3/2")));
        assert_eq!(parse_amount("7/3"), Some(q("7/3")));
        assert_eq!(parse_amount("1,000,000"), None);
        assert_eq!(parse_amount("1e5"), None);
        assert_eq!(parse_amount(""), None);
    }

    #[test]
    fn values_are_written_as_integers_decimals_or_fractions() {
        assert_eq!(format(&q("85700")), "85700");
        assert_eq!(format(&q("216829.41")), "216829.41");
        assert_eq!(format(&q("-0.5")), "-0.5");
        assert_eq!(format(&q("1/1024")), "0.0009765625");
        assert_eq!(format(&q("1/3")), "1/3");
        assert_eq!(format(&q("7/30")), "7/30");
        let tiny = format!("0.{}1", "0".repeat(60));
        assert_eq!(format(&q(&tiny)), tiny);
    }

    #[test]
    fn written_values_read_back_unchanged() {
        for s in ["0", "3", "-2", "0.1", "12345.678", "1/3", "-22/7", "123456789012345678901234.5", "1/128"] {
            let value = q(s);
            assert_eq!(parse_amount(&format(&value)), Some(value));
        }
    }
}
