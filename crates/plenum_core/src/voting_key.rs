//! RSA key generation for the blind signatures of unlinkable polls (RFC 9474, see [`crate::blind`]),
//! on `dashu` integers, and the key's published hash.
//!
//! This crate draws no random numbers: [`generate`] takes a 32-byte seed from the caller (the
//! web layer draws it from the operating system) and expands it with SHA-384 in counter mode
//! into prime candidates. The same seed gives the same key, which makes generation testable;
//! the key is as secret as the seed, which is used once and never stored.
//!
//! Primes are random odd numbers of half the modulus's length with their two top bits set (so
//! the product has exactly the length asked for), sieved by the small primes, with `p − 1`
//! prime to the exponent 65537, and then put to 16 Miller–Rabin rounds with bases drawn from
//! the same stream (FIPS 186-5 asks for 5 at this size for random candidates). The secret
//! exponent is the inverse of 65537 modulo λ(n) = lcm(p − 1, q − 1).

use dashu_int::UBig;
use dashu_int::fast_div::ConstDivisor;
use dashu_int::ops::{BitTest, Gcd};
use sha2::{Digest, Sha256, Sha384};

use crate::blind::{BlindError, PublicKey, SecretKey};

/// The modulus length of every poll's key, in bits.
pub const MODULUS_BITS: usize = 2048;

/// The public exponent, F4.
const EXPONENT: u32 = 65_537;

/// Miller–Rabin rounds per candidate that passed the sieve.
const ROUNDS: usize = 16;

/// A 2048-bit key from `seed` (32 bytes the caller draws at random and then forgets).
pub fn generate(seed: [u8; 32]) -> Result<SecretKey, BlindError> {
    generate_bits(seed, MODULUS_BITS)
}

/// A key whose modulus has exactly `bits` bits (a multiple of 16, at least 1024; smaller keys
/// are for tests only and [`PublicKey::from_be_bytes`] refuses those too small for PSS).
pub fn generate_bits(seed: [u8; 32], bits: usize) -> Result<SecretKey, BlindError> {
    if bits < 1024 || !bits.is_multiple_of(16) {
        return Err(BlindError::KeyTooSmall);
    }
    let mut stream = Stream::new(seed);
    let small = small_primes(2000);
    let e = UBig::from(EXPONENT);
    loop {
        let p = random_prime(&mut stream, bits / 2, &small);
        let q = random_prime(&mut stream, bits / 2, &small);
        if p == q {
            continue;
        }
        let n = &p * &q;
        if n.bit_len() != bits {
            continue;
        }
        let (p1, q1) = (&p - UBig::ONE, &q - UBig::ONE);
        let g = (&p1).gcd(&q1);
        let lambda = &p1 * &q1 / g;
        let ring = ConstDivisor::new(lambda);
        let Some(d) = ring.reduce(e.clone()).inv() else { continue };
        return SecretKey::from_be_bytes(&n.to_be_bytes(), &e.to_be_bytes(), &d.residue().to_be_bytes());
    }
}

/// The hash the log publishes for a key: SHA-256 over the modulus and the exponent, each as
/// big-endian bytes preceded by its length as 4 big-endian bytes; 64 lowercase hex digits.
#[must_use]
pub fn key_hash(key: &PublicKey) -> String {
    let mut hasher = Sha256::new();
    for part in [key.modulus(), key.exponent()] {
        hasher.update(u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
        hasher.update(&part);
    }
    to_hex(&hasher.finalize())
}

/// Lowercase hexadecimal.
#[must_use]
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Hexadecimal (either case, even length) to bytes; `None` if it is not.
#[must_use]
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
    text.as_bytes().chunks_exact(2).map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?)).collect()
}

/// SHA-384 in counter mode over the seed.
struct Stream {
    seed: [u8; 32],
    counter: u64,
}

impl Stream {
    fn new(seed: [u8; 32]) -> Stream {
        Stream { seed, counter: 0 }
    }

    fn bytes(&mut self, length: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(length + 48);
        while out.len() < length {
            let mut hasher = Sha384::new();
            hasher.update(b"plenum voting key v1");
            hasher.update(self.seed);
            hasher.update(self.counter.to_be_bytes());
            out.extend_from_slice(&hasher.finalize());
            self.counter += 1;
        }
        out.truncate(length);
        out
    }
}

fn small_primes(below: u32) -> Vec<u32> {
    let mut composite = vec![false; below as usize];
    let mut primes = Vec::new();
    for i in 2..below {
        if !composite[i as usize] {
            primes.push(i);
            let mut j = i * i;
            while j < below {
                composite[j as usize] = true;
                j += i;
            }
        }
    }
    primes
}

fn random_prime(stream: &mut Stream, bits: usize, small: &[u32]) -> UBig {
    loop {
        let mut bytes = stream.bytes(bits / 8);
        bytes[0] |= 0xc0;
        if let Some(last) = bytes.last_mut() {
            *last |= 1;
        }
        let candidate = UBig::from_be_bytes(&bytes);
        if small.iter().any(|&s| &candidate % s == 0) || (&candidate - UBig::ONE) % EXPONENT == 0 {
            continue;
        }
        if probably_prime(&candidate, stream) {
            return candidate;
        }
    }
}

/// Miller–Rabin with `ROUNDS` bases from the stream; `n` odd and large.
fn probably_prime(n: &UBig, stream: &mut Stream) -> bool {
    let n1 = n - UBig::ONE;
    let s = n1.trailing_zeros().unwrap_or(0);
    let d = &n1 >> s;
    let ring = ConstDivisor::new(n.clone());
    let length = n.bit_len().div_ceil(8);
    let two = UBig::from(2u8);
    let span = n - UBig::from(3u8);
    for _ in 0..ROUNDS {
        // A base in [2, n − 2].
        let a = UBig::from_be_bytes(&stream.bytes(length + 8)) % &span + &two;
        let mut x = ring.reduce(a).pow(&d).residue();
        if x == UBig::ONE || x == n1 {
            continue;
        }
        let mut witness = true;
        for _ in 1..s {
            x = ring.reduce(x).pow(&two).residue();
            if x == n1 {
                witness = false;
                break;
            }
        }
        if witness {
            return false;
        }
    }
    // Odd and passed: `bit(0)` is checked once more so a broken stream cannot hand back an even number.
    n.bit(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blind::{blind, blind_sign, finalize, verify};

    #[test]
    fn miller_rabin_tells_primes_from_composites() {
        let mut stream = Stream::new([1; 32]);
        // 2^127 − 1 is prime; a Carmichael number and a product of two primes are not.
        let mersenne = (UBig::ONE << 127) - UBig::ONE;
        assert!(probably_prime(&mersenne, &mut stream));
        assert!(!probably_prime(&UBig::from(561u32 * 1_000_003), &mut stream));
        assert!(!probably_prime(&(&mersenne * UBig::from(1_000_003u32)), &mut stream));
        assert!(!probably_prime(&UBig::from(3_215_031_751u64), &mut stream));
    }

    #[test]
    fn a_generated_key_signs_blindly_and_the_signature_verifies() {
        let key = generate_bits([7; 32], 1024).unwrap();
        assert_eq!(key.public().modulus_len(), 128);
        assert_eq!(key.public().exponent(), vec![1, 0, 1]);
        let message = [42u8; 32];
        let mut r = vec![0u8; 127];
        r[0] = 5;
        r[100] = 9;
        let (blinded, unblinder) = blind(key.public(), &message, &[3; 48], &r).unwrap();
        let signature = finalize(key.public(), &message, &blind_sign(&key, &blinded).unwrap(), &unblinder).unwrap();
        assert!(verify(key.public(), &message, &signature).is_ok());
        assert!(verify(key.public(), &[43u8; 32], &signature).is_err());
    }

    #[test]
    fn the_same_seed_gives_the_same_key_and_another_seed_another() {
        let a = generate_bits([9; 32], 1024).unwrap();
        let b = generate_bits([9; 32], 1024).unwrap();
        let c = generate_bits([10; 32], 1024).unwrap();
        assert_eq!(a.public(), b.public());
        assert_ne!(a.public(), c.public());
        assert_eq!(key_hash(a.public()).len(), 64);
        assert_ne!(key_hash(a.public()), key_hash(c.public()));
    }

    #[test]
    fn full_size_keys_have_exactly_2048_bits() {
        let key = generate([11; 32]).unwrap();
        assert_eq!(key.public().modulus_len(), 256);
        assert!(key.public().modulus()[0] >= 0x80);
    }

    #[test]
    fn hex_reads_back_and_refuses_what_is_not_hex() {
        assert_eq!(from_hex(&to_hex(&[0, 1, 0xab, 0xff])).unwrap(), vec![0, 1, 0xab, 0xff]);
        assert_eq!(from_hex("ABcd").unwrap(), vec![0xab, 0xcd]);
        assert!(from_hex("abc").is_none());
        assert!(from_hex("zz").is_none());
        assert!(generate_bits([0; 32], 512).is_err());
    }
}
