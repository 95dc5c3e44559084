//! Exact rational numbers.
//!
//! Every rule in this crate counts with [`Rational`]: no floats ever decide an outcome. Most
//! values met in practice (costs, budgets, vote counts, early-round payments) fit in 64 bits, so
//! a value is kept as a reduced `i64 / i64` pair and computed through `i128`; only when a result
//! does not fit does it move to arbitrary precision, and it moves back as soon as it fits again.
//! The representation is canonical, so equality and hashing are structural.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};
use std::str::FromStr;

use dashu_int::ops::UnsignedAbs;
use dashu_int::{IBig, UBig};
use dashu_ratio::RBig;
use num_integer::Integer;
use num_traits::{One, Zero};

/// An exact rational number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Rational(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// Reduced, `den > 0`. Every value that fits is stored this way.
    Small { num: i64, den: i64 },
    /// Reduced, positive denominator, and does not fit in `Small`.
    Big(Box<RBig>),
}

/// Why a string is not a rational number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a number such as 12, 12.50 or 25/2, found {found:?}")]
pub struct ParseRationalError {
    found: String,
}

impl Rational {
    /// Zero.
    pub const ZERO: Rational = Rational(Repr::Small { num: 0, den: 1 });
    /// One.
    pub const ONE: Rational = Rational(Repr::Small { num: 1, den: 1 });

    /// The integer `n`.
    #[must_use]
    pub const fn integer(n: i64) -> Rational {
        Rational(Repr::Small { num: n, den: 1 })
    }

    /// `num / den`, or `None` when `den` is zero.
    #[must_use]
    pub fn new(num: i64, den: i64) -> Option<Rational> {
        if den == 0 {
            return None;
        }
        Some(from_i128(i128::from(num), i128::from(den)))
    }

    /// Whether the value is kept in 64-bit parts (cheap to compute with).
    #[must_use]
    pub fn is_small(&self) -> bool {
        matches!(self.0, Repr::Small { .. })
    }

    /// Whether this is exactly zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        matches!(self.0, Repr::Small { num: 0, .. })
    }

    /// Whether this is strictly greater than zero.
    #[must_use]
    pub fn is_positive(&self) -> bool {
        match &self.0 {
            Repr::Small { num, .. } => *num > 0,
            Repr::Big(b) => b.numerator() > &IBig::ZERO,
        }
    }

    /// Whether this is strictly less than zero.
    #[must_use]
    pub fn is_negative(&self) -> bool {
        match &self.0 {
            Repr::Small { num, .. } => *num < 0,
            Repr::Big(b) => b.numerator() < &IBig::ZERO,
        }
    }

    /// Whether this is a whole number.
    #[must_use]
    pub fn is_integer(&self) -> bool {
        match &self.0 {
            Repr::Small { den, .. } => *den == 1,
            Repr::Big(b) => b.is_int(),
        }
    }

    /// The value as an `i64`, if it is a whole number that fits.
    #[must_use]
    pub fn to_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Small { num, den: 1 } => Some(*num),
            _ => None,
        }
    }

    /// The largest whole number not greater than this one.
    #[must_use]
    pub fn floor(&self) -> Rational {
        match &self.0 {
            Repr::Small { num, den } => Rational::integer(num.div_floor(den)),
            Repr::Big(b) => from_big(RBig::from(b.floor())),
        }
    }

    /// A floating-point approximation, for display and timing only: never for a decision.
    #[must_use]
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            Repr::Small { num, den } => *num as f64 / *den as f64,
            Repr::Big(b) => b.to_f64().value(),
        }
    }

    /// `self / other`, or `None` when `other` is zero.
    #[must_use]
    pub fn checked_div(&self, other: &Rational) -> Option<Rational> {
        if other.is_zero() {
            return None;
        }
        Some(match (&self.0, &other.0) {
            // (a/b)/(c/d) = (a/b)·(d/c), with the sign moved to the numerator.
            (Repr::Small { num: a, den: b }, Repr::Small { num: c, den: d }) if *c > 0 => mul_small(*a, *b, *d, *c),
            (Repr::Small { num: a, den: b }, Repr::Small { num: c, den: d }) if *c > i64::MIN => mul_small(*a, *b, -*d, -*c),
            (Repr::Small { num: a, den: b }, Repr::Small { num: c, den: d }) => {
                from_i128(i128::from(*a) * i128::from(*d), i128::from(*b) * i128::from(*c))
            }
            _ => from_big(self.to_big() / other.to_big()),
        })
    }

    /// `self * n` for a whole number `n`, the common case of weighting by a ballot count.
    #[must_use]
    pub fn mul_int(&self, n: i64) -> Rational {
        match &self.0 {
            Repr::Small { num, den } => mul_small(*num, *den, n, 1),
            Repr::Big(b) => from_big(b.as_ref() * RBig::from(IBig::from(n))),
        }
    }

    /// `self / n` for a non-zero whole number `n`, or `None` when `n` is zero.
    #[must_use]
    pub fn div_int(&self, n: i64) -> Option<Rational> {
        if n == 0 {
            return None;
        }
        Some(match &self.0 {
            Repr::Small { num, den } if n > 0 => mul_small(*num, *den, 1, n),
            Repr::Small { num, den } if n > i64::MIN => mul_small(*num, *den, -1, -n),
            Repr::Small { num, den } => from_i128(i128::from(*num), i128::from(*den) * i128::from(n)),
            Repr::Big(b) => from_big(b.as_ref() / RBig::from(IBig::from(n))),
        })
    }

    /// The smaller of two values.
    #[must_use]
    pub fn min(self, other: Rational) -> Rational {
        if other < self { other } else { self }
    }

    /// The larger of two values.
    #[must_use]
    pub fn max(self, other: Rational) -> Rational {
        if other > self { other } else { self }
    }

    /// The number of decimals of the value's finite decimal expansion (`216829.41` has 2), or
    /// `None` when it has none (`1/3`).
    #[must_use]
    pub fn decimal_places(&self) -> Option<u32> {
        let mut den = match &self.0 {
            Repr::Small { den, .. } => UBig::from(den.unsigned_abs()),
            Repr::Big(b) => b.denominator().clone(),
        };
        let twos = den.trailing_zeros().unwrap_or(0);
        den >>= twos;
        let five = UBig::from(5u8);
        let mut fives = 0usize;
        while den > UBig::ONE {
            if &den % &five != UBig::ZERO {
                return None;
            }
            den /= &five;
            fives += 1;
        }
        u32::try_from(twos.max(fives)).ok()
    }

    /// The value written with exactly `digits` decimals, rounded half away from zero.
    /// For people; the exact value is [`Display`](fmt::Display).
    #[must_use]
    pub fn to_decimal(&self, digits: u32) -> String {
        let big = self.to_big();
        let scale = UBig::from(10u8).pow(digits as usize);
        // round(|x| · 10^digits) = ⌊(2·|num|·scale + den) / (2·den)⌋
        let num = big.numerator().unsigned_abs();
        let den = big.denominator();
        let rounded = (UBig::from(2u8) * num * &scale + den) / (UBig::from(2u8) * den);
        let negative = big.numerator() < &IBig::ZERO && rounded != UBig::ZERO;
        let (int_part, frac_part) = (&rounded / &scale, &rounded % &scale);
        let sign = if negative { "-" } else { "" };
        if digits == 0 {
            return format!("{sign}{int_part}");
        }
        format!("{sign}{int_part}.{frac_part:0>width$}", width = digits as usize)
    }

    fn to_big(&self) -> RBig {
        match &self.0 {
            // Already reduced, so from_parts finds nothing to divide out.
            Repr::Small { num, den } => RBig::from_parts(IBig::from(*num), UBig::from(den.unsigned_abs())),
            Repr::Big(b) => b.as_ref().clone(),
        }
    }
}

/// Builds a canonical value from an `i128` fraction with a non-zero denominator.
fn from_i128(num: i128, den: i128) -> Rational {
    let (mut num, mut den) = if den < 0 {
        match (num.checked_neg(), den.checked_neg()) {
            (Some(n), Some(d)) => (n, d),
            _ => return from_big(RBig::from_parts_signed(IBig::from(num), IBig::from(den))),
        }
    } else {
        (num, den)
    };
    if den != 1 {
        let g = gcd_u128(num.unsigned_abs(), den.unsigned_abs());
        if g > 1 {
            // g divides both and is at most |den| <= i128::MAX, so it fits.
            let g = g as i128;
            num /= g;
            den /= g;
        }
    }
    match (i64::try_from(num), i64::try_from(den)) {
        (Ok(num), Ok(den)) => Rational(Repr::Small { num, den }),
        _ => Rational(Repr::Big(Box::new(RBig::from_parts(IBig::from(num), UBig::from(den.unsigned_abs()))))),
    }
}

/// A value from an `i128` fraction already in lowest terms with a positive denominator.
fn reduced(num: i128, den: i128) -> Rational {
    match (i64::try_from(num), i64::try_from(den)) {
        (Ok(num), Ok(den)) => Rational(Repr::Small { num, den }),
        _ => Rational(Repr::Big(Box::new(RBig::from_parts(IBig::from(num), UBig::from(den.unsigned_abs()))))),
    }
}

/// `a/b + c/d` for fractions in lowest terms with positive denominators. Only small gcds are
/// needed (Knuth, TAOCP 4.5.1): with g = gcd(b, d), the sum's numerator shares at most a
/// factor of g with its denominator. (Divisions of `i128` are slow, so they are skipped when
/// the divisor is 1, the common case.)
fn add_small(a: i64, b: i64, c: i128, d: i64) -> Rational {
    let (a, b128, d128) = (i128::from(a), i128::from(b), i128::from(d));
    if b == d {
        let num = a + c;
        if b == 1 {
            return reduced(num, 1);
        }
        let g = gcd_u64((num.unsigned_abs() % b.unsigned_abs() as u128) as u64, b.unsigned_abs());
        return if g == 1 { reduced(num, b128) } else { reduced(num / i128::from(g), i128::from(b / g as i64)) };
    }
    let g = gcd_u64(b.unsigned_abs(), d.unsigned_abs());
    if g == 1 {
        return reduced(a * d128 + c * b128, b128 * d128);
    }
    // g divides both b and d, which are at most i64::MAX: it fits, and so do the quotients.
    let (b1, d1) = (i128::from(b / g as i64), i128::from(d / g as i64));
    let num = a * d1 + c * b1;
    let g2 = gcd_u64((num.unsigned_abs() % u128::from(g)) as u64, g);
    if g2 == 1 { reduced(num, b128 * d1) } else { reduced(num / i128::from(g2), i128::from(b / g2 as i64) * d1) }
}

/// `(a/b)·(c/d)` for fractions in lowest terms with positive denominators: cancelling across
/// first leaves nothing to reduce.
fn mul_small(a: i64, b: i64, c: i64, d: i64) -> Rational {
    if a == 0 || c == 0 {
        return Rational::ZERO;
    }
    // Each gcd divides a positive denominator, so it is at most i64::MAX.
    let g1 = gcd_u64(a.unsigned_abs(), d.unsigned_abs()) as i64;
    let g2 = gcd_u64(c.unsigned_abs(), b.unsigned_abs()) as i64;
    reduced(i128::from(a / g1) * i128::from(c / g2), i128::from(b / g2) * i128::from(d / g1))
}

/// Binary greatest common divisor; `gcd(0, n) = n`.
fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

/// Builds a canonical value from a reduced big fraction.
fn from_big(b: RBig) -> Rational {
    match (i64::try_from(b.numerator()), i64::try_from(b.denominator())) {
        (Ok(num), Ok(den)) => Rational(Repr::Small { num, den }),
        _ => Rational(Repr::Big(Box::new(b))),
    }
}

/// Binary greatest common divisor.
fn gcd_u128(mut a: u128, mut b: u128) -> u128 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

impl Default for Rational {
    fn default() -> Self {
        Rational::ZERO
    }
}

impl From<i64> for Rational {
    fn from(n: i64) -> Self {
        Rational::integer(n)
    }
}

impl From<u32> for Rational {
    fn from(n: u32) -> Self {
        Rational::integer(i64::from(n))
    }
}

impl From<u64> for Rational {
    fn from(n: u64) -> Self {
        match i64::try_from(n) {
            Ok(n) => Rational::integer(n),
            Err(_) => from_big(RBig::from(IBig::from(n))),
        }
    }
}

impl From<u128> for Rational {
    fn from(n: u128) -> Self {
        match i128::try_from(n) {
            Ok(n) => from_i128(n, 1),
            Err(_) => from_big(RBig::from(IBig::from(n))),
        }
    }
}

impl From<i128> for Rational {
    fn from(n: i128) -> Self {
        from_i128(n, 1)
    }
}

impl From<usize> for Rational {
    fn from(n: usize) -> Self {
        Rational::from(n as u64)
    }
}

impl Ord for Rational {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Small { num: a, den: b }, Repr::Small { num: c, den: d }) => {
                if b == d {
                    a.cmp(c)
                } else {
                    (i128::from(*a) * i128::from(*d)).cmp(&(i128::from(*c) * i128::from(*b)))
                }
            }
            _ => self.to_big().cmp(&other.to_big()),
        }
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Add for &Rational {
    type Output = Rational;
    fn add(self, other: &Rational) -> Rational {
        match (&self.0, &other.0) {
            (Repr::Small { num: a, den: b }, Repr::Small { num: c, den: d }) => add_small(*a, *b, i128::from(*c), *d),
            _ => from_big(self.to_big() + other.to_big()),
        }
    }
}

impl Sub for &Rational {
    type Output = Rational;
    fn sub(self, other: &Rational) -> Rational {
        match (&self.0, &other.0) {
            (Repr::Small { num: a, den: b }, Repr::Small { num: c, den: d }) => add_small(*a, *b, -i128::from(*c), *d),
            _ => from_big(self.to_big() - other.to_big()),
        }
    }
}

impl Mul for &Rational {
    type Output = Rational;
    fn mul(self, other: &Rational) -> Rational {
        match (&self.0, &other.0) {
            (Repr::Small { num: a, den: b }, Repr::Small { num: c, den: d }) => mul_small(*a, *b, *c, *d),
            _ => from_big(self.to_big() * other.to_big()),
        }
    }
}

impl Neg for &Rational {
    type Output = Rational;
    fn neg(self) -> Rational {
        match &self.0 {
            Repr::Small { num, den } => reduced(-i128::from(*num), i128::from(*den)),
            Repr::Big(b) => from_big(-b.as_ref().clone()),
        }
    }
}

macro_rules! owned_ops {
    ($($trait:ident $method:ident),*) => {$(
        impl $trait for Rational {
            type Output = Rational;
            fn $method(self, other: Rational) -> Rational { (&self).$method(&other) }
        }
        impl $trait<&Rational> for Rational {
            type Output = Rational;
            fn $method(self, other: &Rational) -> Rational { (&self).$method(other) }
        }
        impl $trait<Rational> for &Rational {
            type Output = Rational;
            fn $method(self, other: Rational) -> Rational { self.$method(&other) }
        }
    )*};
}
owned_ops!(Add add, Sub sub, Mul mul);

impl Neg for Rational {
    type Output = Rational;
    fn neg(self) -> Rational {
        -&self
    }
}

impl AddAssign<&Rational> for Rational {
    fn add_assign(&mut self, other: &Rational) {
        *self = &*self + other;
    }
}

impl SubAssign<&Rational> for Rational {
    fn sub_assign(&mut self, other: &Rational) {
        *self = &*self - other;
    }
}

impl std::iter::Sum for Rational {
    fn sum<I: Iterator<Item = Rational>>(iter: I) -> Rational {
        iter.fold(Rational::ZERO, |acc, x| acc + x)
    }
}

impl<'a> std::iter::Sum<&'a Rational> for Rational {
    fn sum<I: Iterator<Item = &'a Rational>>(iter: I) -> Rational {
        iter.fold(Rational::ZERO, |acc, x| acc + x)
    }
}

impl fmt::Display for Rational {
    /// Exact: `12`, `-3/4`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small { num, den: 1 } => write!(f, "{num}"),
            Repr::Small { num, den } => write!(f, "{num}/{den}"),
            Repr::Big(b) if b.is_int() => write!(f, "{}", b.numerator()),
            Repr::Big(b) => write!(f, "{}/{}", b.numerator(), b.denominator()),
        }
    }
}

impl fmt::Debug for Rational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Rational {
    type Err = ParseRationalError;

    /// Reads `12`, `-12`, `12.50`, `.5`, `12.` and `25/2`, exactly.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The common case, a small whole number, without further ado.
        if !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Rational::integer(s.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'))));
        }
        let err = || ParseRationalError { found: s.to_owned() };
        if let Some((num, den)) = s.split_once('/') {
            let num = parse_integer(num).ok_or_else(err)?;
            let den = parse_integer(den).ok_or_else(err)?;
            if den == IBig::ZERO {
                return Err(err());
            }
            return Ok(from_big(RBig::from_parts_signed(num, den)));
        }
        let (sign, digits) = match s.as_bytes().first() {
            Some(b'-') => (-1, &s[1..]),
            Some(b'+') => (1, &s[1..]),
            _ => (1, s),
        };
        let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part) {
            return Err(err());
        }
        // Up to 18 digits fit in an i64 with room to spare: the common case stays cheap.
        if int_part.len() + frac_part.len() <= 18 {
            let mut num: i64 = 0;
            for b in int_part.bytes().chain(frac_part.bytes()) {
                num = num * 10 + i64::from(b - b'0');
            }
            let den = 10i64.pow(frac_part.len() as u32);
            return Ok(from_i128(i128::from(sign * num), i128::from(den)));
        }
        let mut all = String::with_capacity(int_part.len() + frac_part.len() + 1);
        if sign < 0 {
            all.push('-');
        }
        all.push_str(int_part);
        all.push_str(frac_part);
        let num: IBig = all.parse().map_err(|_| err())?;
        let den = UBig::from(10u8).pow(frac_part.len());
        Ok(from_big(RBig::from_parts(num, den)))
    }
}

fn parse_integer(s: &str) -> Option<IBig> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude: IBig = digits.parse().ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

impl One for Rational {
    fn one() -> Self {
        Rational::ONE
    }
}

impl Zero for Rational {
    fn zero() -> Self {
        Rational::ZERO
    }
    fn is_zero(&self) -> bool {
        Rational::is_zero(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(s: &str) -> Rational {
        s.parse().unwrap()
    }

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(q("200000.0"), Rational::integer(200000));
        assert_eq!(q("216829.41"), Rational::new(21682941, 100).unwrap());
        assert_eq!(q("-0.5"), Rational::new(-1, 2).unwrap());
        assert_eq!(q(".5"), Rational::new(1, 2).unwrap());
        assert_eq!(q("2654141/25").to_string(), "2654141/25");
        assert_eq!(q("123456789012345678901234567890.5").to_string(), "246913578024691357802469135781/2");
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for bad in ["", "-", ".", "1,5", "1e5", "1/0", "a", "1.2.3", "--1", "1/", "/2", " 1", "NaN"] {
            assert!(bad.parse::<Rational>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn overflowing_values_move_to_big_and_back() {
        let big = Rational::integer(i64::MAX) * Rational::integer(i64::MAX);
        assert_eq!(big.to_string(), "85070591730234615847396907784232501249");
        let back = big.checked_div(&Rational::integer(i64::MAX)).unwrap();
        assert_eq!(back, Rational::integer(i64::MAX));
        assert!(matches!(back.0, Repr::Small { .. }), "a value that fits is stored small");
        assert_eq!(Rational::integer(i64::MIN).mul_int(-1).to_string(), "9223372036854775808");
    }

    #[test]
    fn decimal_places_are_those_of_the_finite_expansion() {
        assert_eq!(q("216829.41").decimal_places(), Some(2));
        assert_eq!(q("12").decimal_places(), Some(0));
        assert_eq!(q("1/8").decimal_places(), Some(3));
        assert_eq!(q("1/3").decimal_places(), None);
        assert_eq!(q("1/12").decimal_places(), None);
    }

    #[test]
    fn decimal_rendering_rounds_half_away_from_zero() {
        assert_eq!(q("1/3").to_decimal(2), "0.33");
        assert_eq!(q("2/3").to_decimal(2), "0.67");
        assert_eq!(q("-5/2").to_decimal(0), "-3");
        assert_eq!(q("12").to_decimal(2), "12.00");
    }

    fn small() -> impl Strategy<Value = Rational> {
        (any::<i64>(), 1..i64::MAX).prop_map(|(n, d)| Rational::new(n, d).unwrap())
    }

    proptest! {
        #[test]
        fn arithmetic_agrees_with_arbitrary_precision(a in small(), b in small()) {
            let (ba, bb) = (a.to_big(), b.to_big());
            prop_assert_eq!((&a + &b).to_big(), &ba + &bb);
            prop_assert_eq!((&a - &b).to_big(), &ba - &bb);
            prop_assert_eq!((&a * &b).to_big(), &ba * &bb);
            if !b.is_zero() {
                prop_assert_eq!(a.checked_div(&b).unwrap().to_big(), &ba / &bb);
            }
            prop_assert_eq!(a.cmp(&b), ba.cmp(&bb));
            prop_assert_eq!(a.to_string().parse::<Rational>().unwrap(), a.clone());
            prop_assert_eq!(a.floor().to_big(), RBig::from(ba.floor()));
        }
    }
}
