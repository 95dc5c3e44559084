//! The numbers an STV count computes with: exact rationals, or fixed-point decimals whose every
//! rounding is part of the rule (the Scottish order truncates transfer values to 5 decimals, the
//! PR Foundation's reference rules round to 4 or 9).
//!
//! A fixed-point value is an `i128` holding the value times `10^decimals`. With at most 18
//! decimals every tally fits (a `u64` number of voters times `10^18` is below `2^127`) and so
//! does the product of two values at most 1 (a ballot's weight times a keep factor), which keeps
//! the per-ballot work in plain integer arithmetic. Products and quotients that may not fit go
//! through arbitrary precision.

use std::cmp::Ordering;
use std::fmt;

use dashu_int::IBig;

use crate::rational::Rational;

/// Arithmetic shared by the counts.
pub(super) trait Arith {
    /// A vote total, a ballot weight or a keep factor.
    type V: Clone + PartialEq + fmt::Debug;

    /// The whole number `n`.
    fn int(&self, n: u128) -> Self::V;
    fn add(&self, a: &Self::V, b: &Self::V) -> Self::V;
    fn sub(&self, a: &Self::V, b: &Self::V) -> Self::V;
    /// `a · n` (exact: `n` is a number of ballots).
    fn mul_count(&self, a: &Self::V, n: u128) -> Self::V;
    /// `a / n` for tied preferences on a ballot: exact, or rounded down to the precision.
    fn div_count(&self, a: &Self::V, n: u128) -> Self::V;
    /// Compares as the rule does (guarded arithmetic treats near values as equal).
    fn cmp(&self, a: &Self::V, b: &Self::V) -> Ordering;
    /// Compares the values as they are.
    fn cmp_raw(&self, a: &Self::V, b: &Self::V) -> Ordering;
    fn is_zero(&self, a: &Self::V) -> bool;
    fn rational(&self, a: &Self::V) -> Rational;
    /// Whether values are exact (quotas are not rounded up, and reaching the quota means
    /// exceeding it).
    fn exact(&self) -> bool;
}

/// Exact rational arithmetic.
#[derive(Debug, Clone, Copy)]
pub(super) struct Exact {
    /// Meek only: new keep factors are rounded up to this many decimals.
    pub keep_factor_decimals: Option<u32>,
}

impl Exact {
    pub const PLAIN: Exact = Exact { keep_factor_decimals: None };
}

/// `x` (≥ 0) rounded up to `decimals` decimals.
pub(super) fn round_up(x: &Rational, decimals: u32) -> Rational {
    let mut scale = Rational::ONE;
    for _ in 0..decimals {
        scale = scale.mul_int(10);
    }
    let ceiling = -(-(x * &scale)).floor();
    ceiling.checked_div(&scale).unwrap_or_default()
}

impl Arith for Exact {
    type V = Rational;

    fn int(&self, n: u128) -> Rational {
        rational_from_u128(n)
    }
    fn add(&self, a: &Rational, b: &Rational) -> Rational {
        a + b
    }
    fn sub(&self, a: &Rational, b: &Rational) -> Rational {
        a - b
    }
    fn mul_count(&self, a: &Rational, n: u128) -> Rational {
        match i64::try_from(n) {
            Ok(n) => a.mul_int(n),
            Err(_) => a * rational_from_u128(n),
        }
    }
    fn div_count(&self, a: &Rational, n: u128) -> Rational {
        let n = rational_from_u128(n.max(1));
        a.checked_div(&n).unwrap_or_default()
    }
    fn cmp(&self, a: &Rational, b: &Rational) -> Ordering {
        a.cmp(b)
    }
    fn cmp_raw(&self, a: &Rational, b: &Rational) -> Ordering {
        a.cmp(b)
    }
    fn is_zero(&self, a: &Rational) -> bool {
        a.is_zero()
    }
    fn rational(&self, a: &Rational) -> Rational {
        a.clone()
    }
    fn exact(&self) -> bool {
        true
    }
}

/// Fixed-point decimal arithmetic: values are multiples of `10^-decimals`.
///
/// With `guard` digits (Droop's "guarded" arithmetic), two values closer than half a unit of
/// the last of the `decimals − guard` significant places compare equal, and values are treated
/// as exact (no rounded-up quota); without, comparisons are exact integer comparisons.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fixed {
    pub decimals: u32,
    pub scale: i128,
    /// Half the guard's unit, or 0 for plain fixed point.
    geps: i128,
}

/// The most decimals a fixed-point count keeps (see the module documentation).
pub(super) const MAX_DECIMALS: u32 = 18;

/// How a product or quotient is rounded to the precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Round {
    Down,
    Up,
}

impl Fixed {
    /// Plain fixed point with `decimals` places (at most [`MAX_DECIMALS`]).
    pub fn new(decimals: u32) -> Fixed {
        let decimals = decimals.min(MAX_DECIMALS);
        Fixed { decimals, scale: 10i128.pow(decimals), geps: 0 }
    }

    /// Droop's guarded arithmetic: `precision + guard` places, values within half a unit of the
    /// guard compare equal. The places are reduced, guard first, until `voters` ballots fit.
    pub fn guarded(precision: u32, guard: u32, voters: u64) -> Fixed {
        let (mut precision, mut guard) = (precision, guard);
        // Keep tallies below 2^125 so that sums of a few of them stay in range.
        while precision + guard > 0 && fits(voters, precision + guard).is_none() {
            if guard > 0 {
                guard -= 1;
            } else {
                precision -= 1;
            }
        }
        let decimals = precision + guard;
        let geps = if guard == 0 { 0 } else { (10i128.pow(guard) / 2).max(1) };
        Fixed { decimals, scale: 10i128.pow(decimals), geps }
    }

    /// The smallest positive value.
    pub fn epsilon(&self) -> i128 {
        1
    }

    /// `a · b` rounded as asked (`a`, `b` ≥ 0).
    #[inline]
    pub fn mul(&self, a: i128, b: i128, round: Round) -> i128 {
        // The common case, a weight times a keep factor (both at most 1), in 64 or 128 bits.
        if self.decimals <= MAX_DECIMALS && (0..=self.scale).contains(&a) && (0..=self.scale).contains(&b) {
            let up = if round == Round::Up { self.scale - 1 } else { 0 };
            if self.decimals <= 9 {
                return ((a as u64 * b as u64 + up as u64) / self.scale as u64) as i128;
            }
            return ((a as u128 * b as u128 + up as u128) / self.scale as u128) as i128;
        }
        mul_div(a, b, self.scale, round)
    }

    /// `a / b` rounded as asked (`a` ≥ 0, `b` > 0).
    pub fn div(&self, a: i128, b: i128, round: Round) -> i128 {
        mul_div(a, self.scale, b, round)
    }

    /// `a · b / c` with the full product, rounded as asked.
    pub fn mul_div(&self, a: i128, b: i128, c: i128, round: Round) -> i128 {
        mul_div(a, b, c, round)
    }

    /// `10^-exponent`, rounded up to the precision (never zero).
    pub fn power_of_ten(&self, exponent: u32) -> i128 {
        if exponent >= self.decimals { 1 } else { 10i128.pow(self.decimals - exponent) }
    }

    /// Whether this is guarded arithmetic.
    pub fn is_guarded(&self) -> bool {
        self.geps > 0
    }
}

/// `10^decimals · voters` if it stays below 2^125.
fn fits(voters: u64, decimals: u32) -> Option<i128> {
    let scale = 10i128.checked_pow(decimals)?;
    scale.checked_mul(i128::from(voters)).filter(|&v| v < 1i128 << 125)
}

impl Arith for Fixed {
    type V = i128;

    fn int(&self, n: u128) -> i128 {
        i128::try_from(n).ok().and_then(|n| n.checked_mul(self.scale)).unwrap_or(i128::MAX)
    }
    fn add(&self, a: &i128, b: &i128) -> i128 {
        a.saturating_add(*b)
    }
    fn sub(&self, a: &i128, b: &i128) -> i128 {
        a.saturating_sub(*b)
    }
    #[inline]
    fn mul_count(&self, a: &i128, n: u128) -> i128 {
        if n == 1 {
            return *a;
        }
        i128::try_from(n).ok().and_then(|n| a.checked_mul(n)).unwrap_or(i128::MAX)
    }
    fn div_count(&self, a: &i128, n: u128) -> i128 {
        match i128::try_from(n) {
            Ok(n) if n > 0 => a.div_euclid(n),
            _ => 0,
        }
    }
    fn cmp(&self, a: &i128, b: &i128) -> Ordering {
        if self.geps > 0 && a.abs_diff(*b) < self.geps.unsigned_abs() {
            return Ordering::Equal;
        }
        a.cmp(b)
    }
    fn cmp_raw(&self, a: &i128, b: &i128) -> Ordering {
        a.cmp(b)
    }
    fn is_zero(&self, a: &i128) -> bool {
        *a == 0
    }
    fn rational(&self, a: &i128) -> Rational {
        let value = rational_from_i128(*a);
        let mut divisor = Rational::ONE;
        let mut left = self.decimals;
        while left > 0 {
            let step = left.min(18);
            divisor = divisor.mul_int(10i64.pow(step));
            left -= step;
        }
        value.checked_div(&divisor).unwrap_or_default()
    }
    fn exact(&self) -> bool {
        self.is_guarded()
    }
}

/// `a · b / c` rounded as asked, for `a`, `b` ≥ 0 and `c` > 0.
pub(super) fn mul_div(a: i128, b: i128, c: i128, round: Round) -> i128 {
    if c <= 0 {
        return 0;
    }
    let (ua, ub, uc) = (a.max(0).unsigned_abs(), b.max(0).unsigned_abs(), c.unsigned_abs());
    if let Some(product) = ua.checked_mul(ub) {
        let (q, r) = (product / uc, product % uc);
        let q = if r != 0 && round == Round::Up { q + 1 } else { q };
        return i128::try_from(q).unwrap_or(i128::MAX);
    }
    // The product does not fit: arbitrary precision (rare: per-candidate steps only).
    let product = IBig::from(ua) * IBig::from(ub);
    let divisor = IBig::from(uc);
    let (q, r) = (&product / &divisor, &product % &divisor);
    let q = if r != IBig::ZERO && round == Round::Up { q + IBig::ONE } else { q };
    i128::try_from(q).unwrap_or(i128::MAX)
}

/// `n` as a rational.
pub(super) fn rational_from_u128(n: u128) -> Rational {
    match u64::try_from(n) {
        Ok(n) => Rational::from(n),
        Err(_) => {
            let (hi, lo) = ((n >> 64) as u64, n as u64);
            let two_64 = Rational::from(1u64 << 32) * Rational::from(1u64 << 32);
            Rational::from(hi) * two_64 + Rational::from(lo)
        }
    }
}

/// `n` as a rational.
pub(super) fn rational_from_i128(n: i128) -> Rational {
    let magnitude = rational_from_u128(n.unsigned_abs());
    if n < 0 { -magnitude } else { magnitude }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point_rounds_each_step_as_asked() {
        let f = Fixed::new(4);
        // 1.9999 / 4 = 0.499975, truncated to 0.4999 (the PRF WIGM example).
        assert_eq!(f.div(19999, 40000, Round::Down), 4999);
        assert_eq!(f.div(19999, 40000, Round::Up), 5000);
        assert_eq!(f.mul(5000, 5000, Round::Down), 2500);
        assert_eq!(f.rational(&4999), Rational::new(4999, 10000).unwrap());
    }

    #[test]
    fn rounding_up_to_decimals_keeps_exact_decimals() {
        let third = Rational::new(1, 3).unwrap();
        assert_eq!(round_up(&third, 2), Rational::new(34, 100).unwrap());
        assert_eq!(round_up(&Rational::new(1, 4).unwrap(), 2), Rational::new(1, 4).unwrap());
        assert_eq!(round_up(&Rational::ZERO, 5), Rational::ZERO);
    }

    #[test]
    fn products_that_do_not_fit_go_through_big_integers() {
        let big = 10i128.pow(30);
        assert_eq!(mul_div(big, big, big, Round::Down), big);
        assert_eq!(mul_div(big + 1, big, big, Round::Down), big + 1);
        assert_eq!(mul_div(big, 3, 2, Round::Up), big * 3 / 2);
        assert_eq!(rational_from_i128(-(1i128 << 100)).to_string(), "-1267650600228229401496703205376");
    }

    #[test]
    fn guarded_values_within_half_a_guard_unit_are_equal() {
        let g = Fixed::guarded(2, 3, 10);
        assert_eq!(g.decimals, 5);
        assert_eq!(g.cmp(&100_000, &100_499), Ordering::Equal);
        assert_eq!(g.cmp(&100_000, &100_500), Ordering::Less);
        assert!(g.exact());
        assert!(!Fixed::new(5).exact());
    }
}
