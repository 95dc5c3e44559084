//! The numbers the rules that pay in fractions (Equal Shares, Phragmén) count with: exact
//! rationals, or certified floating-point intervals.
//!
//! Equal Shares with the add-one completion reruns the whole method hundreds of times, and exact
//! rationals grow large as voters pay fractions of costs. So each run is first tried with
//! [`Hybrid`] numbers: exact while they fit in 64-bit parts (so that exact ties, common in
//! early rounds, are still seen as ties), and otherwise an [`Interval`], a pair of floats
//! guaranteed to enclose the exact value (each operation rounds outward). When every comparison
//! the run makes is decided exactly or by disjoint intervals, its outcome is exactly the outcome
//! exact arithmetic gives; as soon as one is not (two prices too close to tell apart), the run
//! reports [`Uncertain`] and is redone with [`Rational`]s. Floats never decide anything on their
//! own.

use std::cmp::Ordering;
use std::fmt::Debug;

use crate::rational::Rational;

/// A comparison that floating-point intervals could not decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Uncertain;

/// Arithmetic on amounts of money and price factors.
pub(crate) trait Amount: Clone + Debug {
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

    /// What is left of `self` after paying `share`, or `None` if nothing is (the payer gives
    /// all they have when it is not enough).
    fn left_after(&self, share: &Self) -> Result<Option<Self>, Uncertain> {
        let left = self.sub(share);
        Ok(if left.is_positive()? { Some(left) } else { None })
    }

    /// The equal share q such that voters holding `holdings` (balance, number of voters) cover
    /// `cost` when each pays min(balance, q); `Err(available)` when all together hold less.
    ///
    /// Everyone is first assumed able to pay the equal share; those who cannot give all they
    /// have, the share of the rest is recomputed, and so on until nobody else falls short
    /// (usually once or twice). The share only grows, so the result is the smallest that works.
    fn equal_share(holdings: &[(&Self, u64)], cost: &Self) -> Result<Result<Self, Self>, Uncertain> {
        let mut rich: Vec<(&Self, u64)> = holdings.to_vec();
        let mut waiting: u64 = rich.iter().map(|(_, n)| n).sum();
        let mut paid = Self::zero();
        loop {
            let Some(share) = cost.sub(&paid).div_int(waiting) else { return Ok(Err(paid)) };
            let before = rich.len();
            let mut still = Vec::with_capacity(before);
            for (balance, n) in rich {
                if share.compare(balance)? == Ordering::Greater {
                    paid = paid.add(&balance.mul_int(n));
                    waiting -= n;
                } else {
                    still.push((balance, n));
                }
            }
            if still.len() == before {
                return Ok(Ok(share));
            }
            if still.is_empty() {
                return Ok(Err(paid));
            }
            rich = still;
        }
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
pub(crate) struct Interval {
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
    fn left_after(&self, share: &Self) -> Result<Option<Self>, Uncertain> {
        // max(0, b - s) is monotone in both: no comparison needs deciding.
        let hi = (self.hi - share.lo).next_up();
        Ok((hi > 0.0).then(|| Interval::new((self.lo - share.hi).next_down().max(0.0), hi)))
    }
    fn equal_share(holdings: &[(&Self, u64)], cost: &Self) -> Result<Result<Self, Self>, Uncertain> {
        let holdings: Vec<(Interval, u64)> = holdings.iter().map(|(b, n)| (**b, *n)).collect();
        interval_equal_share(&holdings, cost)
    }
}

/// Exact while small, an interval otherwise.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Hybrid {
    /// A rational in 64-bit parts.
    Exact(Rational),
    Approx(Interval),
}

impl Hybrid {
    /// `x`, known only within an interval (so that what is computed from it stays approximate).
    pub fn approximately(x: &Rational) -> Hybrid {
        Hybrid::Approx(Interval::of(x))
    }

    /// Every value from `lo` to `hi`: exact when they are equal.
    pub fn range(lo: &Rational, hi: &Rational) -> Hybrid {
        if lo == hi {
            return <Hybrid as Amount>::of(lo);
        }
        Hybrid::Approx(Interval::new(Interval::of(lo).lo, Interval::of(hi).hi))
    }

    fn exact_or_approx(x: Rational) -> Hybrid {
        if x.is_small() { Hybrid::Exact(x) } else { Hybrid::Approx(Interval::of(&x)) }
    }

    fn interval(&self) -> Interval {
        match self {
            Hybrid::Exact(x) => Interval::of(x),
            Hybrid::Approx(i) => *i,
        }
    }

    /// Applies an operation exactly when both sides are exact, on intervals otherwise.
    fn combine(
        &self,
        other: &Hybrid,
        exact: impl Fn(&Rational, &Rational) -> Rational,
        approx: impl Fn(&Interval, &Interval) -> Interval,
    ) -> Hybrid {
        match (self, other) {
            (Hybrid::Exact(a), Hybrid::Exact(b)) => Hybrid::exact_or_approx(exact(a, b)),
            _ => Hybrid::Approx(approx(&self.interval(), &other.interval())),
        }
    }
}

impl Amount for Hybrid {
    fn of(x: &Rational) -> Self {
        Hybrid::exact_or_approx(x.clone())
    }
    fn zero() -> Self {
        Hybrid::Exact(Rational::ZERO)
    }
    fn add(&self, other: &Self) -> Self {
        self.combine(other, |a, b| a + b, Interval::add)
    }
    fn sub(&self, other: &Self) -> Self {
        self.combine(other, |a, b| a - b, Interval::sub)
    }
    fn mul(&self, other: &Self) -> Self {
        self.combine(other, |a, b| a * b, Interval::mul)
    }
    fn mul_int(&self, n: u64) -> Self {
        match self {
            Hybrid::Exact(x) => Hybrid::exact_or_approx(Amount::mul_int(x, n)),
            Hybrid::Approx(i) => Hybrid::Approx(i.mul_int(n)),
        }
    }
    fn div_int(&self, n: u64) -> Option<Self> {
        match self {
            Hybrid::Exact(x) => Amount::div_int(x, n).map(Hybrid::exact_or_approx),
            Hybrid::Approx(i) => i.div_int(n).map(Hybrid::Approx),
        }
    }
    fn div(&self, other: &Self) -> Option<Self> {
        match (self, other) {
            (Hybrid::Exact(a), Hybrid::Exact(b)) => a.checked_div(b).map(Hybrid::exact_or_approx),
            _ => self.interval().div(&other.interval()).map(Hybrid::Approx),
        }
    }
    fn compare(&self, other: &Self) -> Result<Ordering, Uncertain> {
        match (self, other) {
            (Hybrid::Exact(a), Hybrid::Exact(b)) => Ok(a.cmp(b)),
            _ => self.interval().compare(&other.interval()),
        }
    }
    fn lower_cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Hybrid::Exact(a), Hybrid::Exact(b)) => a.cmp(b),
            _ => self.interval().lower_cmp(&other.interval()),
        }
    }
    fn left_after(&self, share: &Self) -> Result<Option<Self>, Uncertain> {
        match (self, share) {
            (Hybrid::Exact(b), Hybrid::Exact(s)) => Ok((b - s).is_positive().then(|| Hybrid::exact_or_approx(b - s))),
            _ => Ok(self.interval().left_after(&share.interval())?.map(Hybrid::Approx)),
        }
    }
    fn equal_share(holdings: &[(&Self, u64)], cost: &Self) -> Result<Result<Self, Self>, Uncertain> {
        let all_exact = matches!(cost, Hybrid::Exact(_)) && holdings.iter().all(|(b, _)| matches!(b, Hybrid::Exact(_)));
        if all_exact {
            return exact_equal_share(holdings, cost);
        }
        // When everyone can certainly pay the plain equal share, it is the answer, and exact:
        // this keeps ties such as "both projects have 24 supporters" visible with approximate
        // balances.
        let voters: u64 = holdings.iter().map(|(_, n)| n).sum();
        if matches!(cost, Hybrid::Exact(_))
            && let Some(plain) = Amount::div_int(cost, voters)
            && holdings.iter().all(|(b, _)| plain.compare(b).is_ok_and(Ordering::is_le))
        {
            return Ok(Ok(plain));
        }
        let intervals: Vec<(Interval, u64)> = holdings.iter().map(|(b, n)| (b.interval(), *n)).collect();
        Ok(interval_equal_share(&intervals, &cost.interval())?.map(Hybrid::Approx).map_err(Hybrid::Approx))
    }
}

/// [`Amount::equal_share`] computed on exact values (the trait's own way), for hybrids that are
/// all exact.
fn exact_equal_share(holdings: &[(&Hybrid, u64)], cost: &Hybrid) -> Result<Result<Hybrid, Hybrid>, Uncertain> {
    let exact = |h: &Hybrid| match h {
        Hybrid::Exact(x) => x.clone(),
        Hybrid::Approx(_) => Rational::ZERO,
    };
    let values: Vec<(Rational, u64)> = holdings.iter().map(|(b, n)| (exact(b), *n)).collect();
    let refs: Vec<(&Rational, u64)> = values.iter().map(|(b, n)| (b, *n)).collect();
    Ok(Rational::equal_share(&refs, &exact(cost))?.map(Hybrid::exact_or_approx).map_err(Hybrid::exact_or_approx))
}

/// The equal share when balances are only known within intervals. The share is decreasing in
/// every balance, so the smallest share is the one for the largest balances and the largest
/// for the smallest: each is found in plain floats, then checked with outward rounding
/// (f(q) = Σ n·min(balance, q) must reach the cost at the upper end and not exceed it at the
/// lower one), so the interval returned certainly holds the exact share. Whether the supporters
/// can afford the project at all is the one thing that may stay undecided.
fn interval_equal_share(holdings: &[(Interval, u64)], cost: &Interval) -> Result<Result<Interval, Interval>, Uncertain> {
    let total_lo = holdings.iter().fold(0.0f64, |s, (b, n)| (s + (b.lo * *n as f64).next_down()).next_down());
    let total_hi = holdings.iter().fold(0.0f64, |s, (b, n)| (s + (b.hi * *n as f64).next_up()).next_up());
    let available = Interval::new(total_lo, total_hi);
    if total_hi < cost.lo {
        return Ok(Err(available));
    }
    if total_lo < cost.hi {
        // Affordable for some values in the intervals and perhaps not for others.
        return Err(Uncertain);
    }
    let covered_lo = |q: f64| holdings.iter().fold(0.0f64, |s, (b, n)| (s + (b.lo.min(q) * *n as f64).next_down()).next_down());
    let covered_hi = |q: f64| holdings.iter().fold(0.0f64, |s, (b, n)| (s + (b.hi.min(q) * *n as f64).next_up()).next_up());
    let mut hi = float_share(holdings, |b| b.lo, cost.hi);
    let mut lo = float_share(holdings, |b| b.hi, cost.lo);
    for _ in 0..8 {
        if covered_lo(hi) >= cost.hi {
            break;
        }
        hi = (hi + hi.abs() * 1e-12).next_up();
    }
    for _ in 0..8 {
        if covered_hi(lo) <= cost.lo {
            break;
        }
        lo = (lo - lo.abs() * 1e-12).next_down();
    }
    if covered_lo(hi) < cost.hi || covered_hi(lo) > cost.lo {
        return Err(Uncertain);
    }
    Ok(Ok(Interval::new(lo, hi)))
}

/// The equal share in plain floats (an estimate, checked by the caller).
fn float_share(holdings: &[(Interval, u64)], balance: impl Fn(&Interval) -> f64, cost: f64) -> f64 {
    let mut rich: Vec<(f64, f64)> = holdings.iter().map(|(b, n)| (balance(b), *n as f64)).collect();
    let mut waiting: f64 = rich.iter().map(|(_, n)| n).sum();
    let mut paid = 0.0;
    loop {
        let share = (cost - paid) / waiting;
        let before = rich.len();
        rich.retain(|&(b, n)| {
            if b < share {
                paid += b * n;
                waiting -= n;
                false
            } else {
                true
            }
        });
        if rich.len() == before || rich.is_empty() {
            return share;
        }
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
    fn hybrids_see_exact_ties_while_small_and_doubt_them_once_approximate() {
        let third = Hybrid::of(&Rational::new(1, 3).unwrap());
        assert_eq!(third.compare(&Hybrid::of(&Rational::new(2, 6).unwrap())), Ok(Ordering::Equal));
        let huge = Hybrid::of(&Rational::integer(i64::MAX)).mul(&Hybrid::of(&Rational::integer(i64::MAX)));
        assert!(matches!(huge, Hybrid::Approx(_)));
        assert_eq!(huge.compare(&huge), Err(Uncertain));
        assert_eq!(huge.compare(&third), Ok(Ordering::Greater));
    }

    #[test]
    fn equal_values_are_never_certainly_ordered() {
        let a = Interval::of(&Rational::new(1, 3).unwrap());
        assert_eq!(a.compare(&a), Err(Uncertain));
        assert_eq!(Interval::zero().compare(&Interval::zero()), Ok(Ordering::Equal));
    }
}
