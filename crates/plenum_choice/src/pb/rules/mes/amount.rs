//! The numbers MES counts money with: exact rationals, or certified floating-point intervals.
//!
//! Equal Shares with the add-one completion reruns the whole method hundreds of times, and exact
//! rationals grow large as voters pay fractions of costs. So each run is first tried with
//! [`Interval`]s: every amount is a pair of floats guaranteed to enclose the exact value
//! (each operation rounds outward). When every comparison the run makes is decided by disjoint
//! intervals, its outcome is exactly the outcome exact arithmetic gives; as soon as one is not
//! (two prices too close to tell apart, or an exact tie), the run reports [`Uncertain`] and is
//! redone with [`Rational`]s. Floats never decide anything on their own.

use std::cmp::Ordering;
use std::fmt::Debug;

use crate::rational::Rational;

/// A comparison that floating-point intervals could not decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Uncertain;

/// Arithmetic on amounts of money and price factors.
pub(super) trait Amount: Clone + Debug {
    fn of(x: &Rational) -> Self;
    fn zero() -> Self;
    fn add(&self, other: &Self) -> Self;
    fn sub(&self, other: &Self) -> Self;
    fn mul(&self, other: &Self) -> Self;
    fn mul_int(&self, n: u64) -> Self;
    /// `None` when `n` is zero.
    fn div_int(&self, n: u64) -> Option<Self>;
    /// `None` when `other` is (or may be) zero.
    fn div(&self, other: &Self) -> Option<Self>;
    fn compare(&self, other: &Self) -> Result<Ordering, Uncertain>;
    /// A total order by lower end (exact for rationals): for sorting, never for deciding.
    fn lower_cmp(&self, other: &Self) -> Ordering;

    fn is_positive(&self) -> Result<bool, Uncertain> {
        Ok(self.compare(&Self::zero())? == Ordering::Greater)
    }
}

impl Amount for Rational {
    fn of(x: &Rational) -> Self {
        x.clone()
    }
    fn zero() -> Self {
        Rational::ZERO
    }
    fn add(&self, other: &Self) -> Self {
        self + other
    }
    fn sub(&self, other: &Self) -> Self {
        self - other
    }
    fn mul(&self, other: &Self) -> Self {
        self * other
    }
    fn mul_int(&self, n: u64) -> Self {
        match i64::try_from(n) {
            Ok(n) => Rational::mul_int(self, n),
            Err(_) => self * &Rational::from(n),
        }
    }
    fn div_int(&self, n: u64) -> Option<Self> {
        match i64::try_from(n) {
            Ok(n) => Rational::div_int(self, n),
            Err(_) => self.checked_div(&Rational::from(n)),
        }
    }
    fn div(&self, other: &Self) -> Option<Self> {
        self.checked_div(other)
    }
    fn compare(&self, other: &Self) -> Result<Ordering, Uncertain> {
        Ok(self.cmp(other))
    }
    fn lower_cmp(&self, other: &Self) -> Ordering {
        self.cmp(other)
    }
}

/// A closed interval `[lo, hi]` of floats that contains the exact value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Interval {
    lo: f64,
    hi: f64,
}

/// Relative widening for converting an exact value to floats: a few units in the last place,
/// more than any error of the conversion.
const CONVERSION_SLACK: f64 = 1.0 / (1u64 << 48) as f64;

impl Interval {
    fn new(lo: f64, hi: f64) -> Interval {
        // A NaN or infinite bound cannot enclose anything useful; widen to everything so that
        // every comparison becomes uncertain and the run is redone exactly.
        if lo.is_finite() && hi.is_finite() { Interval { lo, hi } } else { Interval { lo: f64::NEG_INFINITY, hi: f64::INFINITY } }
    }

    /// The result of one correctly rounded operation: the exact value is within one unit in the
    /// last place of each bound.
    fn outward(lo: f64, hi: f64) -> Interval {
        Interval::new(lo.next_down(), hi.next_up())
    }
}

impl Amount for Interval {
    fn of(x: &Rational) -> Self {
        let f = x.to_f64();
        if f == 0.0 && x.is_zero() {
            return Interval { lo: 0.0, hi: 0.0 };
        }
        let slack = f.abs() * CONVERSION_SLACK + f64::MIN_POSITIVE;
        Interval::new(f - slack, f + slack)
    }
    fn zero() -> Self {
        Interval { lo: 0.0, hi: 0.0 }
    }
    fn add(&self, other: &Self) -> Self {
        Interval::outward(self.lo + other.lo, self.hi + other.hi)
    }
    fn sub(&self, other: &Self) -> Self {
        Interval::outward(self.lo - other.hi, self.hi - other.lo)
    }
    fn mul(&self, other: &Self) -> Self {
        let products = [self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi];
        let lo = products.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = products.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Interval::outward(lo, hi)
    }
    fn mul_int(&self, n: u64) -> Self {
        // n below 2^53 converts exactly; larger counts do not occur (they are numbers of voters).
        let n = n as f64;
        Interval::outward(self.lo * n, self.hi * n)
    }
    fn div_int(&self, n: u64) -> Option<Self> {
        if n == 0 {
            return None;
        }
        let n = n as f64;
        Some(Interval::outward(self.lo / n, self.hi / n))
    }
    fn div(&self, other: &Self) -> Option<Self> {
        if other.lo <= 0.0 && other.hi >= 0.0 {
            return None;
        }
        let quotients = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi];
        let lo = quotients.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = quotients.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Interval::outward(lo, hi))
    }
    fn compare(&self, other: &Self) -> Result<Ordering, Uncertain> {
        if self.hi < other.lo {
            Ok(Ordering::Less)
        } else if self.lo > other.hi {
            Ok(Ordering::Greater)
        } else if self.lo == self.hi && other.lo == other.hi && self.lo == other.lo {
            // Only exact zeros are points.
            Ok(Ordering::Equal)
        } else {
            Err(Uncertain)
        }
    }
    fn lower_cmp(&self, other: &Self) -> Ordering {
        self.lo.total_cmp(&other.lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn contains(i: &Interval, x: &Rational) -> bool {
        // Compare exactly: x - lo >= 0 and hi - x >= 0, with lo and hi read as exact binary values.
        let exact = |f: f64| -> Rational { exact_f64(f) };
        &exact(i.lo) <= x && x <= &exact(i.hi)
    }

    /// The exact value of a finite double, as a rational.
    fn exact_f64(f: f64) -> Rational {
        let bits = f.to_bits();
        let sign = if bits >> 63 == 1 { -1 } else { 1 };
        let exponent = ((bits >> 52) & 0x7ff) as i64;
        let mantissa = if exponent == 0 { (bits & ((1 << 52) - 1)) << 1 } else { (bits & ((1 << 52) - 1)) | (1 << 52) };
        let e = exponent - 1075;
        let m = Rational::integer(sign * mantissa as i64);
        let two = Rational::integer(2);
        let mut p = Rational::ONE;
        for _ in 0..e.unsigned_abs() {
            p = &p * &two;
        }
        if e >= 0 { &m * &p } else { m.checked_div(&p).unwrap() }
    }

    fn rational() -> impl Strategy<Value = Rational> {
        (-1_000_000_000i64..1_000_000_000, 1i64..100_000).prop_map(|(n, d)| Rational::new(n, d).unwrap())
    }

    proptest! {
        #[test]
        fn intervals_always_enclose_the_exact_result(a in rational(), b in rational(), n in 1u64..100_000) {
            let (ia, ib) = (Interval::of(&a), Interval::of(&b));
            prop_assert!(contains(&ia, &a));
            prop_assert!(contains(&ia.add(&ib), &(&a + &b)));
            prop_assert!(contains(&ia.sub(&ib), &(&a - &b)));
            prop_assert!(contains(&ia.mul(&ib), &(&a * &b)));
            prop_assert!(contains(&ia.mul_int(n), &Amount::mul_int(&a, n)));
            prop_assert!(contains(&ia.div_int(n).unwrap(), &Amount::div_int(&a, n).unwrap()));
            if let Some(q) = ia.div(&ib) {
                prop_assert!(contains(&q, &a.checked_div(&b).unwrap()));
            }
            if let Ok(order) = ia.compare(&ib) {
                prop_assert_eq!(order, a.cmp(&b));
            }
        }
    }

    #[test]
    fn equal_values_are_never_certainly_ordered() {
        let a = Interval::of(&Rational::new(1, 3).unwrap());
        assert_eq!(a.compare(&a), Err(Uncertain));
        assert_eq!(Interval::zero().compare(&Interval::zero()), Ok(Ordering::Equal));
    }
}
