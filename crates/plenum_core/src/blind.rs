//! RSA blind signatures (RFC 9474), variant RSABSSA-SHA384-PSS-Deterministic: how a member gets
//! a voting token signed without the server seeing it, so that the ballot cast with it later
//! cannot be linked to the member (ballot secrecy tier B in DESIGN.md).
//!
//! The voter [`blind`]s a token (a random message), the server [`blind_sign`]s the blinded
//! value for one eligible member once, the voter [`finalize`]s the blind signature into an
//! ordinary RSASSA-PSS signature on the token, and the ballot box [`verify`]s it. The server saw
//! only the blinded value, which says nothing about the token.
//!
//! Deterministic message preparation (the identity) is safe here because every token holds 32
//! random bytes of its own. The salt and the blinding factor are random too, drawn by the
//! caller: this module does no IO and draws no random numbers. Arithmetic is `dashu`'s, which is
//! not constant-time: fine for the voter's side (its own secrets, on its own machine) and for
//! verifying; for signing, the server's exponentiation could leak timing about its key to a
//! patient local attacker — measured risk accepted for now, noted in ARCHITECTURE.md.

use dashu_int::UBig;
use dashu_int::fast_div::ConstDivisor;
use dashu_int::ops::BitTest;
use sha2::{Digest, Sha384};

/// SHA-384's output length, and the salt length of the PSS variant.
pub const HASH_LEN: usize = 48;

/// Why a blind-signature step failed. Each is final for the values given; none says anything
/// about a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BlindError {
    #[error("the modulus is too small for a SHA-384 PSS signature")]
    KeyTooSmall,
    #[error("the value is not below the modulus or has the wrong length")]
    OutOfRange,
    #[error("the blinding factor has no inverse modulo n; draw another")]
    NotInvertible,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the signer's result failed its own check (a fault); nothing was released")]
    SigningFault,
}

/// An RSA public key: modulus and public exponent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    n: UBig,
    e: UBig,
}

/// An RSA secret key (the signer's).
#[derive(Clone)]
pub struct SecretKey {
    public: PublicKey,
    d: UBig,
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret exponent.
        f.debug_struct("SecretKey").field("public", &self.public).finish_non_exhaustive()
    }
}

impl PublicKey {
    /// The key with modulus `n` and exponent `e`, big-endian bytes.
    pub fn from_be_bytes(n: &[u8], e: &[u8]) -> Result<PublicKey, BlindError> {
        let key = PublicKey { n: UBig::from_be_bytes(n), e: UBig::from_be_bytes(e) };
        // emLen must hold the hash, the salt and two bytes more.
        if key.modulus_len() < 2 * HASH_LEN + 2 + 1 || key.e <= UBig::ONE {
            return Err(BlindError::KeyTooSmall);
        }
        Ok(key)
    }

    /// The modulus's length in bytes (`k` in RFC 8017): the length of every value exchanged.
    #[must_use]
    pub fn modulus_len(&self) -> usize {
        self.n.bit_len().div_ceil(8)
    }

    #[must_use]
    pub fn modulus(&self) -> Vec<u8> {
        self.n.to_be_bytes().into_vec()
    }

    #[must_use]
    pub fn exponent(&self) -> Vec<u8> {
        self.e.to_be_bytes().into_vec()
    }

    fn power(&self, x: &UBig, exponent: &UBig) -> UBig {
        let ring = ConstDivisor::new(self.n.clone());
        ring.reduce(x.clone()).pow(exponent).residue()
    }

    /// `bytes` as a number below `n`, if they are exactly `k` bytes and below it.
    fn element(&self, bytes: &[u8]) -> Result<UBig, BlindError> {
        let x = UBig::from_be_bytes(bytes);
        if bytes.len() != self.modulus_len() || x >= self.n {
            return Err(BlindError::OutOfRange);
        }
        Ok(x)
    }

    fn to_bytes(&self, x: &UBig) -> Vec<u8> {
        let bytes = x.to_be_bytes();
        let mut out = vec![0u8; self.modulus_len().saturating_sub(bytes.len())];
        out.extend_from_slice(&bytes);
        out
    }
}

impl SecretKey {
    /// The key with modulus `n`, public exponent `e` and secret exponent `d`, big-endian.
    pub fn from_be_bytes(n: &[u8], e: &[u8], d: &[u8]) -> Result<SecretKey, BlindError> {
        Ok(SecretKey { public: PublicKey::from_be_bytes(n, e)?, d: UBig::from_be_bytes(d) })
    }

    #[must_use]
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The secret exponent `d`, big-endian, for the store's private key table. Never log it.
    #[must_use]
    pub fn secret_exponent(&self) -> Vec<u8> {
        self.d.to_be_bytes().into_vec()
    }
}

/// What the voter keeps from [`blind`] to [`finalize`]: the inverse of the blinding factor.
#[derive(Clone, PartialEq, Eq)]
pub struct Unblinder {
    inverse: UBig,
}

impl std::fmt::Debug for Unblinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Unblinder(…)")
    }
}

/// RFC 9474 §4.2 Blind: the value to send to the signer, and what unblinds its answer.
/// `salt` (48 bytes) and `r` (the blinding factor, big-endian, below `n`) must be fresh random
/// values; an `r` without inverse is refused (draw another).
pub fn blind(key: &PublicKey, message: &[u8], salt: &[u8; HASH_LEN], r: &[u8]) -> Result<(Vec<u8>, Unblinder), BlindError> {
    let encoded = emsa_pss_encode(message, salt, key.n.bit_len() - 1)?;
    let m = UBig::from_be_bytes(&encoded);
    let ring = ConstDivisor::new(key.n.clone());
    // m shares a factor with n only if n is broken; the RFC checks it anyway.
    ring.reduce(m.clone()).inv().ok_or(BlindError::NotInvertible)?;
    let r = UBig::from_be_bytes(r);
    if r >= key.n || r == UBig::ZERO {
        return Err(BlindError::OutOfRange);
    }
    let inverse = ring.reduce(r.clone()).inv().ok_or(BlindError::NotInvertible)?.residue();
    let x = ring.reduce(r).pow(&key.e);
    let z = (ring.reduce(m) * x).residue();
    Ok((key.to_bytes(&z), Unblinder { inverse }))
}

/// RFC 9474 §4.3 BlindSign: the signer's answer to a blinded value. The result is checked
/// against the public key before it is released (a fault in signing must not leak the key).
pub fn blind_sign(key: &SecretKey, blinded: &[u8]) -> Result<Vec<u8>, BlindError> {
    let public = &key.public;
    let m = public.element(blinded)?;
    let s = public.power(&m, &key.d);
    if public.power(&s, &public.e) != m {
        return Err(BlindError::SigningFault);
    }
    Ok(public.to_bytes(&s))
}

/// RFC 9474 §4.4 Finalize: the signature on `message` from the signer's blind signature; it is
/// verified before it is returned.
pub fn finalize(key: &PublicKey, message: &[u8], blind_signature: &[u8], unblinder: &Unblinder) -> Result<Vec<u8>, BlindError> {
    let z = key.element(blind_signature)?;
    let ring = ConstDivisor::new(key.n.clone());
    let s = (ring.reduce(z) * ring.reduce(unblinder.inverse.clone())).residue();
    let signature = key.to_bytes(&s);
    verify(key, message, &signature)?;
    Ok(signature)
}

/// RSASSA-PSS verification (RFC 8017 §8.1.2) with SHA-384, MGF1-SHA-384 and a 48-byte salt:
/// what the ballot box checks a token with.
pub fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> Result<(), BlindError> {
    let s = key.element(signature).map_err(|_| BlindError::BadSignature)?;
    let m = key.power(&s, &key.e);
    let em_bits = key.n.bit_len() - 1;
    let em_len = em_bits.div_ceil(8);
    let bytes = m.to_be_bytes();
    if bytes.len() > em_len {
        return Err(BlindError::BadSignature);
    }
    let mut encoded = vec![0u8; em_len - bytes.len()];
    encoded.extend_from_slice(&bytes);
    if emsa_pss_verify(message, &encoded, em_bits) { Ok(()) } else { Err(BlindError::BadSignature) }
}

/// EMSA-PSS-ENCODE (RFC 8017 §9.1.1).
fn emsa_pss_encode(message: &[u8], salt: &[u8; HASH_LEN], em_bits: usize) -> Result<Vec<u8>, BlindError> {
    let em_len = em_bits.div_ceil(8);
    if em_len < 2 * HASH_LEN + 2 {
        return Err(BlindError::KeyTooSmall);
    }
    let h = salted_hash(&Sha384::digest(message), salt);
    let mut db = vec![0u8; em_len - HASH_LEN - 1];
    let one = db.len() - HASH_LEN - 1;
    db[one] = 0x01;
    db[one + 1..].copy_from_slice(salt);
    for (byte, mask) in db.iter_mut().zip(mgf1(&h, em_len - HASH_LEN - 1)) {
        *byte ^= mask;
    }
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let mut encoded = db;
    encoded.extend_from_slice(&h);
    encoded.push(0xbc);
    Ok(encoded)
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2), for a 48-byte salt.
fn emsa_pss_verify(message: &[u8], encoded: &[u8], em_bits: usize) -> bool {
    let em_len = em_bits.div_ceil(8);
    if encoded.len() != em_len || em_len < 2 * HASH_LEN + 2 || encoded.last() != Some(&0xbc) {
        return false;
    }
    let (masked, rest) = encoded.split_at(em_len - HASH_LEN - 1);
    let h = &rest[..HASH_LEN];
    let top = 0xffu8 >> (8 * em_len - em_bits);
    if masked[0] & !top != 0 {
        return false;
    }
    let mut db: Vec<u8> = masked.iter().zip(mgf1(h, masked.len())).map(|(m, k)| m ^ k).collect();
    db[0] &= top;
    let one = db.len() - HASH_LEN - 1;
    if db[..one].iter().any(|&b| b != 0) || db[one] != 0x01 {
        return false;
    }
    let mut salt = [0u8; HASH_LEN];
    salt.copy_from_slice(&db[one + 1..]);
    salted_hash(&Sha384::digest(message), &salt) == h
}

/// `H = Hash(0x00 × 8 || mHash || salt)`.
fn salted_hash(message_hash: &[u8], salt: &[u8; HASH_LEN]) -> Vec<u8> {
    let mut hasher = Sha384::new();
    hasher.update([0u8; 8]);
    hasher.update(message_hash);
    hasher.update(salt);
    hasher.finalize().to_vec()
}

/// MGF1 with SHA-384 (RFC 8017 §B.2.1).
fn mgf1(seed: &[u8], length: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(length + HASH_LEN);
    let mut counter: u32 = 0;
    while out.len() < length {
        let mut hasher = Sha384::new();
        hasher.update(seed);
        hasher.update(counter.to_be_bytes());
        out.extend_from_slice(&hasher.finalize());
        counter += 1;
    }
    out.truncate(length);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9474 Appendix A, the RSABSSA-SHA384-PSS-Deterministic vector (`inv` is the inverse
    /// of the blinding factor r).
    mod vector {
        pub const N: &str = "aec4d69addc70b990ea66a5e70603b6fee27aafebd08f2d94cbe1250c556e047a928d635c3f45ee9b66d1bc628a03bac9b7c3f416fe20dabea8f3d7b4bbf7f963be335d2328d67e6c13ee4a8f955e05a3283720d3e1f139c38e43e0338ad058a9495c53377fc35be64d208f89b4aa721bf7f7d3fef837be2a80e0f8adf0bcd1eec5bb040443a2b2792fdca522a7472aed74f31a1ebe1eebc1f408660a0543dfe2a850f106a617ec6685573702eaaa21a5640a5dcaf9b74e397fa3af18a2f1b7c03ba91a6336158de420d63188ee143866ee415735d155b7c2d854d795b7bc236cffd71542df34234221a0413e142d8c61355cc44d45bda94204974557ac2704cd8b593f035a5724b1adf442e78c542cd4414fce6f1298182fb6d8e53cef1adfd2e90e1e4deec52999bdc6c29144e8d52a125232c8c6d75c706ea3cc06841c7bda33568c63a6c03817f722b50fcf898237d788a4400869e44d90a3020923dc646388abcc914315215fcd1bae11b1c751fd52443aac8f601087d8d42737c18a3fa11ecd4131ecae017ae0a14acfc4ef85b83c19fed33cfd1cd629da2c4c09e222b398e18d822f77bb378dea3cb360b605e5aa58b20edc29d000a66bd177c682a17e7eb12a63ef7c2e4183e0d898f3d6bf567ba8ae84f84f1d23bf8b8e261c3729e2fa6d07b832e07cddd1d14f55325c6f924267957121902dc19b3b32948bdead5";
        pub const E: &str = "010001";
        pub const D: &str = "0d43242aefe1fb2c13fbc66e20b678c4336d20b1808c558b6e62ad16a287077180b177e1f01b12f9c6cd6c52630257ccef26a45135a990928773f3bd2fc01a313f1dac97a51cec71cb1fd7efc7adffdeb05f1fb04812c924ed7f4a8269925dad88bd7dcfbc4ef01020ebfc60cb3e04c54f981fdbd273e69a8a58b8ceb7c2d83fbcbd6f784d052201b88a9848186f2a45c0d2826870733e6fd9aa46983e0a6e82e35ca20a439c5ee7b502a9062e1066493bdadf8b49eb30d9558ed85abc7afb29b3c9bc644199654a4676681af4babcea4e6f71fe4565c9c1b85d9985b84ec1abf1a820a9bbebee0df1398aae2c85ab580a9f13e7743afd3108eb32100b870648fa6bc17e8abac4d3c99246b1f0ea9f7f93a5dd5458c56d9f3f81ff2216b3c3680a13591673c43194d8e6fc93fc1e37ce2986bd628ac48088bc723d8fbe293861ca7a9f4a73e9fa63b1b6d0074f5dea2a624c5249ff3ad811b6255b299d6bc5451ba7477f19c5a0db690c3e6476398b1483d10314afd38bbaf6e2fbdbcd62c3ca9797a420ca6034ec0a83360a3ee2adf4b9d4ba29731d131b099a38d6a23cc463db754603211260e99d19affc902c915d7854554aabf608e3ac52c19b8aa26ae042249b17b2d29669b5c859103ee53ef9bdc73ba3c6b537d5c34b6d8f034671d7f3a8a6966cc4543df223565343154140fd7391c7e7be03e241f4ecfeb877a051";
        pub const MSG: &str = "8f3dc6fb8c4a02f4d6352edf0907822c1210a9b32f9bdda4c45a698c80023aa6b59f8cfec5fdbb36331372ebefedae7d";
        pub const SALT: &str = "051722b35f458781397c3a671a7d3bd3096503940e4c4f1aaa269d60300ce449555cd7340100df9d46944c5356825abf";
        pub const INV: &str = "80682c48982407b489d53d1261b19ec8627d02b8cda5336750b8cee332ae260de57b02d72609c1e0e9f28e2040fc65b6f02d56dbd6aa9af8fde656f70495dfb723ba01173d4707a12fddac628ca29f3e32340bd8f7ddb557cf819f6b01e445ad96f874ba235584ee71f6581f62d4f43bf03f910f6510deb85e8ef06c7f09d9794a008be7ff2529f0ebb69decef646387dc767b74939265fec0223aa6d84d2a8a1cc912d5ca25b4e144ab8f6ba054b54910176d5737a2cff011da431bd5f2a0d2d66b9e70b39f4b050e45c0d9c16f02deda9ddf2d00f3e4b01037d7029cd49c2d46a8e1fc2c0c17520af1f4b5e25ba396afc4cd60c494a4c426448b35b49635b337cfb08e7c22a39b256dd032c00adddafb51a627f99a0e1704170ac1f1912e49d9db10ec04c19c58f420212973e0cb329524223a6aa56c7937c5dffdb5d966b6cd4cbc26f3201dd25c80960a1a111b32947bb78973d269fac7f5186530930ed19f68507540eed9e1bab8b00f00d8ca09b3f099aae46180e04e3584bd7ca054df18a1504b89d1d1675d0966c4ae1407be325cdf623cf13ff13e4a28b594d59e3eadbadf6136eee7a59d6a444c9eb4e2198e8a974f27a39eb63af2c9af3870488b8adaad444674f512133ad80b9220e09158521614f1faadfe8505ef57b7df6813048603f0dd04f4280177a11380fbfc861dbcbd7418d62155248dad5fdec0991f";
        pub const ENCODED: &str = "6e0c464d9c2f9fbc147b43570fc4f238e0d0b38870b3addcf7a4217df912ccef17a7f629aa850f63a063925f312d61d6437be954b45025e8282f9c0b1131bc8ff19a8a928d859b37113db1064f92a27f64761c181c1e1f9b251ae5a2f8a4047573b67a270584e089beadcb13e7c82337797119712e9b849ff56e04385d144d3ca9d8d92bf78adb20b5bbeb3685f17038ec6afade3ef354429c51c687b45a7018ee3a6966b3af15c9ba8f40e6461ba0a17ef5a799672ad882bab02b518f9da7c1a962945c2e9b0f02f29b31b9cdf3e633f9d9d2a22e96e1de28e25241ca7dd04147112f578973403e0f4fd80865965475d22294f065e17a1c4a201de93bd14223e6b1b999fd548f2f759f52db71964528b6f15b9c2d7811f2a0a35d534b8216301c47f4f04f412cae142b48c4cdff78bc54df690fd43142d750c671dd8e2e938e6a440b2f825b6dbb3e19f1d7a3c0150428a47948037c322365b7fe6fe57ac88d8f80889e9ff38177bad8c8d8d98db42908b389cb59692a58ce275aa15acb032ca951b3e0a3404b7f33f655b7c7d83a2f8d1b6bbff49d5fcedf2e030e80881aa436db27a5c0dea13f32e7d460dbf01240c2320c2bb5b3225b17145c72d61d47c8f84d1e19417ebd8ce3638a82d395cc6f7050b6209d9283dc7b93fecc04f3f9e7f566829ac41568ef799480c733c09759aa9734e2013d7640dc6151018ea902bc";
        pub const BLINDED: &str = "10c166c6a711e81c46f45b18e5873cc4f494f003180dd7f115585d871a28930259654fe28a54dab319cc5011204c8373b50a57b0fdc7a678bd74c523259dfe4fd5ea9f52f170e19dfa332930ad1609fc8a00902d725cfe50685c95e5b2968c9a2828a21207fcf393d15f849769e2af34ac4259d91dfd98c3a707c509e1af55647efaa31290ddf48e0133b798562af5eabd327270ac2fb6c594734ce339a14ea4fe1b9a2f81c0bc230ca523bda17ff42a377266bc2778a274c0ae5ec5a8cbbe364fcf0d2403f7ee178d77ff28b67a20c7ceec009182dbcaa9bc99b51ebbf13b7d542be337172c6474f2cd3561219fe0dfa3fb207cff89632091ab841cf38d8aa88af6891539f263adb8eac6402c41b6ebd72984e43666e537f5f5fe27b2b5aa114957e9a580730308a5f5a9c63a1eb599f093ab401d0c6003a451931b6d124180305705845060ebba6b0036154fcef3e5e9f9e4b87e8f084542fd1dd67e7782a5585150181c01eb6d90cb95883837384a5b91dbb606f266059ecc51b5acbaa280e45cfd2eec8cc1cdb1b7211c8e14805ba683f9b78824b2eb005bc8a7d7179a36c152cb87c8219e5569bba911bb32a1b923ca83de0e03fb10fba75d85c55907dda5a2606bf918b056c3808ba496a4d95532212040a5f44f37e1097f26dc27b98a51837daa78f23e532156296b64352669c94a8a855acf30533d8e0594ace7c442";
        pub const BLIND_SIG: &str = "364f6a40dbfbc3bbb257943337eeff791a0f290898a6791283bba581d9eac90a6376a837241f5f73a78a5c6746e1306ba3adab6067c32ff69115734ce014d354e2f259d4cbfb890244fd451a497fe6ecf9aa90d19a2d441162f7eaa7ce3fc4e89fd4e76b7ae585be2a2c0fd6fb246b8ac8d58bcb585634e30c9168a434786fe5e0b74bfe8187b47ac091aa571ffea0a864cb906d0e28c77a00e8cd8f6aba4317a8cc7bf32ce566bd1ef80c64de041728abe087bee6cadd0b7062bde5ceef308a23bd1ccc154fd0c3a26110df6193464fc0d24ee189aea8979d722170ba945fdcce9b1b4b63349980f3a92dc2e5418c54d38a862916926b3f9ca270a8cf40dfb9772bfbdd9a3e0e0892369c18249211ba857f35963d0e05d8da98f1aa0c6bba58f47487b8f663e395091275f82941830b050b260e4767ce2fa903e75ff8970c98bfb3a08d6db91ab1746c86420ee2e909bf681cac173697135983c3594b2def673736220452fde4ddec867d40ff42dd3da36c84e3e52508b891a00f50b4f62d112edb3b6b6cc3dbd546ba10f36b03f06c0d82aeec3b25e127af545fac28e1613a0517a6095ad18a98ab79f68801e05c175e15bae21f821e80c80ab4fdec6fb34ca315e194502b8f3dcf7892b511aee45060e3994cd15e003861bc7220a2babd7b40eda03382548a34a7110f9b1779bf3ef6011361611e6bc5c0dc851e1509de1a";
        pub const SIG: &str = "6fef8bf9bc182cd8cf7ce45c7dcf0e6f3e518ae48f06f3c670c649ac737a8b8119a34d51641785be151a697ed7825fdfece82865123445eab03eb4bb91cecf4d6951738495f8481151b62de869658573df4e50a95c17c31b52e154ae26a04067d5ecdc1592c287550bb982a5bb9c30fd53a768cee6baabb3d483e9f1e2da954c7f4cf492fe3944d2fe456c1ecaf0840369e33fb4010e6b44bb1d721840513524d8e9a3519f40d1b81ae34fb7a31ee6b7ed641cb16c2ac999004c2191de0201457523f5a4700dd649267d9286f5c1d193f1454c9f868a57816bf5ff76c838a2eeb616a3fc9976f65d4371deecfbab29362caebdff69c635fe5a2113da4d4d8c24f0b16a0584fa05e80e607c5d9a2f765f1f069f8d4da21f27c2a3b5c984b4ab24899bef46c6d9323df4862fe51ce300fca40fb539c3bb7fe2dcc9409e425f2d3b95e70e9c49c5feb6ecc9d43442c33d50003ee936845892fb8be475647da9a080f5bc7f8a716590b3745c2209fe05b17992830ce15f32c7b22cde755c8a2fe50bd814a0434130b807dc1b7218d4e85342d70695a5d7f29306f25623ad1e8aa08ef71b54b8ee447b5f64e73d09bdd6c3b7ca224058d7c67cc7551e9241688ada12d859cb7646fbd3ed8b34312f3b49d69802f0eaa11bc4211c2f7a29cd5c01ed01a39001c5856fab36228f5ee2f2e1110811872fe7c865c42ed59029c706195d52";
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
    }

    fn key() -> SecretKey {
        SecretKey::from_be_bytes(&hex(vector::N), &hex(vector::E), &hex(vector::D)).unwrap()
    }

    fn salt() -> [u8; HASH_LEN] {
        hex(vector::SALT).try_into().unwrap()
    }

    /// The blinding factor r of the vector, from its inverse.
    fn r(key: &PublicKey) -> Vec<u8> {
        let ring = ConstDivisor::new(key.n.clone());
        key.to_bytes(&ring.reduce(UBig::from_be_bytes(&hex(vector::INV))).inv().unwrap().residue())
    }

    #[test]
    fn the_rfc_9474_test_vector_is_reproduced_step_by_step() {
        let key = key();
        let public = key.public();
        let message = hex(vector::MSG);
        assert_eq!(emsa_pss_encode(&message, &salt(), public.n.bit_len() - 1).unwrap(), hex(vector::ENCODED));
        let (blinded, unblinder) = blind(public, &message, &salt(), &r(public)).unwrap();
        assert_eq!(blinded, hex(vector::BLINDED));
        assert_eq!(unblinder.inverse, UBig::from_be_bytes(&hex(vector::INV)));
        let blind_signature = blind_sign(&key, &blinded).unwrap();
        assert_eq!(blind_signature, hex(vector::BLIND_SIG));
        let signature = finalize(public, &message, &blind_signature, &unblinder).unwrap();
        assert_eq!(signature, hex(vector::SIG));
        assert_eq!(verify(public, &message, &signature), Ok(()));
    }

    #[test]
    fn altered_messages_signatures_and_out_of_range_values_are_refused() {
        let key = key();
        let public = key.public();
        let message = hex(vector::MSG);
        let signature = hex(vector::SIG);
        let mut other = message.clone();
        other[0] ^= 1;
        assert_eq!(verify(public, &other, &signature), Err(BlindError::BadSignature));
        for at in [0, 100, signature.len() - 1] {
            let mut altered = signature.clone();
            altered[at] ^= 0x40;
            assert_eq!(verify(public, &message, &altered), Err(BlindError::BadSignature), "byte {at}");
        }
        assert_eq!(verify(public, &message, &signature[1..]), Err(BlindError::BadSignature));
        assert_eq!(verify(public, &message, &[0xff; 512]), Err(BlindError::BadSignature));
        assert_eq!(blind_sign(&key, &[0xff; 512]), Err(BlindError::OutOfRange));
        assert_eq!(blind_sign(&key, &[1; 3]), Err(BlindError::OutOfRange));
        // The blind signature of another blinded value does not finalize for this message.
        let (_, unblinder) = blind(public, &message, &salt(), &r(public)).unwrap();
        let (other_blinded, _) = blind(public, &other, &salt(), &r(public)).unwrap();
        let wrong = blind_sign(&key, &other_blinded).unwrap();
        assert_eq!(finalize(public, &message, &wrong, &unblinder), Err(BlindError::BadSignature));
        assert_eq!(blind(public, &message, &salt(), &[0]).map(|_| ()), Err(BlindError::OutOfRange));
        assert_eq!(PublicKey::from_be_bytes(&[0xff; 64], &[1, 0, 1]), Err(BlindError::KeyTooSmall));
    }
}
