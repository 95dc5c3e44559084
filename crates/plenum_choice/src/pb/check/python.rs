//! Just enough of Python's semantics to give the verdicts pabulib's checker gives.
//!
//! The checker is dynamically typed: a missing obligatory field is filled in with `0`, `0.0`
//! or `[]`, `int("3.0")` raises, `str([])` is `"[]"`, and any exception that escapes a check
//! turns the whole report into one "processing error". Reproducing that is what makes this
//! port's findings equal the reference's on broken files, so the few operations the checks
//! use are modelled here, exception for exception.
//!
//! The checker counts with Python floats and ints, and so does this port (`f64`, and `i128`
//! for ints, saturating far beyond any real budget): its verdicts are the reference's
//! verdicts, float rounding included. No tally depends on them.

use std::borrow::Cow;

use crate::pb::pabulib::py_strip;

/// A Python exception that escaped a check: the file gets a "processing error".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Abort(pub String);

/// The exceptions the checks catch selectively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PyErr {
    Value,
    Type,
    Overflow,
}

impl From<PyErr> for Abort {
    fn from(e: PyErr) -> Abort {
        Abort(
            match e {
                PyErr::Value => "a value could not be read as a number (ValueError)",
                PyErr::Type => "a value has the wrong type (TypeError)",
                PyErr::Overflow => "an infinite number cannot be rounded (OverflowError)",
            }
            .to_owned(),
        )
    }
}

/// A field's value as the checker holds it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value<'a> {
    /// Text from the file, trimmed.
    Str(Cow<'a, str>),
    /// `0`, the default for a missing obligatory int field.
    Int0,
    /// `0.0`, the default for a missing obligatory float field.
    Float0,
    /// `[]`, the default for a missing obligatory list field.
    EmptyList,
}

impl<'a> Value<'a> {
    /// `str(value)`.
    #[must_use]
    pub fn py_str(&self) -> Cow<'_, str> {
        match self {
            Value::Str(s) => Cow::Borrowed(s),
            Value::Int0 => Cow::Borrowed("0"),
            Value::Float0 => Cow::Borrowed("0.0"),
            Value::EmptyList => Cow::Borrowed("[]"),
        }
    }

    /// The text, when the value is text.
    #[must_use]
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// `bool(value)`.
    #[must_use]
    pub fn truthy(&self) -> bool {
        match self {
            Value::Str(s) => !s.is_empty(),
            _ => false,
        }
    }

    /// `value in (None, "")` (only the empty string: `0 == ""` is false in Python).
    #[must_use]
    pub fn is_empty_str(&self) -> bool {
        matches!(self, Value::Str(s) if s.is_empty())
    }

    /// `int(value)`.
    pub fn to_int(&self) -> Result<i128, PyErr> {
        match self {
            Value::Str(s) => py_int(s).ok_or(PyErr::Value),
            Value::Int0 | Value::Float0 => Ok(0),
            Value::EmptyList => Err(PyErr::Type),
        }
    }

    /// `float(value)`.
    pub fn to_float(&self) -> Result<f64, PyErr> {
        match self {
            Value::Str(s) => py_float(s).ok_or(PyErr::Value),
            Value::Int0 | Value::Float0 => Ok(0.0),
            Value::EmptyList => Err(PyErr::Type),
        }
    }

    /// The checker's `_parse_numeric`: empty is an error, a decimal comma is a point.
    pub fn parse_numeric(&self) -> Result<f64, PyErr> {
        if self.is_empty_str() {
            return Err(PyErr::Value);
        }
        parse_numeric(&self.py_str())
    }

    /// The checker's `_split_list_field`: `str(value)` split on commas, items trimmed, empty
    /// items dropped (so `[]` reads as the one item `"[]"`, as in Python).
    #[must_use]
    pub fn split_list(&self) -> Vec<&str> {
        match self {
            Value::Str(s) => split_list(s),
            Value::Int0 => vec!["0"],
            Value::Float0 => vec!["0.0"],
            Value::EmptyList => vec!["[]"],
        }
    }
}

/// `_split_list_field` on text.
#[must_use]
pub(super) fn split_list(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split(',').map(py_strip).filter(|item| !item.is_empty()).collect()
}

/// `float(str(value).replace(",", ".").strip())`.
pub(super) fn parse_numeric(s: &str) -> Result<f64, PyErr> {
    let s = if s.contains(',') { Cow::Owned(s.replace(',', ".")) } else { Cow::Borrowed(s) };
    py_float(&s).ok_or(PyErr::Value)
}

/// `int(math.floor(x))`: infinities overflow, NaN is a ValueError.
pub(super) fn floor_int(x: f64) -> Result<i128, PyErr> {
    if x.is_nan() {
        return Err(PyErr::Value);
    }
    if x.is_infinite() {
        return Err(PyErr::Overflow);
    }
    // `as` saturates: only values beyond 1.7e38 are clipped, far past any budget.
    Ok(x.floor() as i128)
}

/// `int(x)` for a float: truncation toward zero.
pub(super) fn trunc_int(x: f64) -> Result<i128, PyErr> {
    if x.is_nan() {
        return Err(PyErr::Value);
    }
    if x.is_infinite() {
        return Err(PyErr::Overflow);
    }
    Ok(x.trunc() as i128)
}

/// Python's `int(s)` in base 10: blanks around, a sign, digits with single `_` between them.
/// Beyond `i128` the value saturates (comparisons with real counts stay right).
#[must_use]
pub(super) fn py_int(s: &str) -> Option<i128> {
    let s = py_strip(s);
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if !valid_digit_part(digits) {
        return None;
    }
    let mut value: i128 = 0;
    for b in digits.bytes().filter(u8::is_ascii_digit) {
        value = value.saturating_mul(10).saturating_add(i128::from(b - b'0'));
    }
    Some(if negative { -value } else { value })
}

/// Python's `float(s)`: blanks around, a sign, `inf`/`infinity`/`nan` in any case, or digits
/// with `_` between digits, an optional point and an optional exponent.
#[must_use]
pub(super) fn py_float(s: &str) -> Option<f64> {
    let s = py_strip(s);
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let special = ["inf", "infinity", "nan"].iter().any(|w| unsigned.eq_ignore_ascii_case(w));
    if !special {
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
            None => (unsigned, None),
        };
        let (int_part, frac_part) = match mantissa.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (mantissa, None),
        };
        let int_ok = int_part.is_empty() || valid_digit_part(int_part);
        let frac_ok = frac_part.is_none_or(|f| f.is_empty() || valid_digit_part(f));
        let some_digits = !int_part.is_empty() || frac_part.is_some_and(|f| !f.is_empty());
        let exponent_ok = exponent.is_none_or(|e| valid_digit_part(e.strip_prefix(['+', '-']).unwrap_or(e)));
        if !(int_ok && frac_ok && some_digits && exponent_ok) {
            return None;
        }
    }
    let cleaned: Cow<'_, str> = if s.contains('_') { Cow::Owned(s.replace('_', "")) } else { Cow::Borrowed(s) };
    cleaned.parse().ok()
}

/// ASCII digits with single underscores between them.
fn valid_digit_part(s: &str) -> bool {
    let bytes = s.as_bytes();
    !bytes.is_empty()
        && bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.last().is_some_and(u8::is_ascii_digit)
        && bytes.iter().all(|b| b.is_ascii_digit() || *b == b'_')
        && !s.contains("__")
}

/// A Python number that may be an int or a float, for sums that mix them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Number {
    Int(i128),
    Float(f64),
}

impl Number {
    #[must_use]
    pub fn add(self, other: Number) -> Number {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => Number::Int(a.saturating_add(b)),
            (Number::Int(a), Number::Float(b)) => Number::Float(a as f64 + b),
            (Number::Float(a), Number::Int(b)) => Number::Float(a + b as f64),
            (Number::Float(a), Number::Float(b)) => Number::Float(a + b),
        }
    }

    /// `int(n)`.
    pub fn to_int(self) -> Result<i128, PyErr> {
        match self {
            Number::Int(n) => Ok(n),
            Number::Float(x) => trunc_int(x),
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(n) => write!(f, "{n}"),
            Number::Float(x) => write!(f, "{x:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_parse_as_python_int_does() {
        assert_eq!(py_int(" 12 "), Some(12));
        assert_eq!(py_int("-1_000"), Some(-1000));
        assert_eq!(py_int("007"), Some(7));
        for bad in ["", "3.0", "1__0", "_1", "1_", "0x10", "1e3", "+"] {
            assert_eq!(py_int(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn floats_parse_as_python_float_does() {
        assert_eq!(py_float("1.5"), Some(1.5));
        assert_eq!(py_float(" -2e3 "), Some(-2000.0));
        assert_eq!(py_float("1_0.5"), Some(10.5));
        assert_eq!(py_float(".5"), Some(0.5));
        assert_eq!(py_float("5."), Some(5.0));
        assert_eq!(py_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(py_float("nan").is_some_and(f64::is_nan));
        for bad in ["", ".", "1,5", "e5", "1e", "1._5", "1_.5", "in", "0x1p3", "1 2"] {
            assert_eq!(py_float(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn missing_list_fields_split_as_the_text_of_an_empty_list() {
        assert_eq!(Value::EmptyList.split_list(), vec!["[]"]);
        assert_eq!(Value::Str(Cow::Borrowed(" 1, 2,,3 ")).split_list(), vec!["1", "2", "3"]);
        assert!(Value::Str(Cow::Borrowed("")).split_list().is_empty());
    }
}
