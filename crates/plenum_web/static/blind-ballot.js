// Unlinkable ballots (ballot secrecy tier B): RFC 9474 RSABSSA-SHA384-PSS-Deterministic on the
// voter's side, with BigInt and WebCrypto's SHA-384. The page asks the server to sign a
// *blinded* token (signed in), unblinds and verifies the signature here, and casts the ballot
// with the token on a request that carries no cookie (credentials: "omit"). The server never
// sees the token before the ballot, so it cannot link the two.
//
// Also loaded by Node (module.exports) for the RFC 9474 test vector in e2e/tests.
"use strict";
(function () {
  var HASH_LEN = 48;

  function hexToBytes(hex) {
    if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new Error("not hexadecimal");
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
    return out;
  }

  function bytesToHex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function bytesToBig(bytes) {
    return bytes.length ? BigInt("0x" + bytesToHex(bytes)) : 0n;
  }

  // Big-endian, exactly `len` bytes; null if it does not fit.
  function bigToBytes(x, len) {
    var hex = x.toString(16);
    if (hex.length % 2) hex = "0" + hex;
    if (hex.length > 2 * len) return null;
    return hexToBytes("0".repeat(2 * len - hex.length) + hex);
  }

  function bitLength(x) {
    return x === 0n ? 0 : x.toString(2).length;
  }

  function modPow(base, exponent, modulus) {
    var result = 1n;
    base %= modulus;
    while (exponent > 0n) {
      if (exponent & 1n) result = (result * base) % modulus;
      exponent >>= 1n;
      base = (base * base) % modulus;
    }
    return result;
  }

  // The inverse of a modulo m, or null if there is none.
  function modInv(a, m) {
    var r0 = m, r1 = ((a % m) + m) % m, t0 = 0n, t1 = 1n;
    while (r1 !== 0n) {
      var q = r0 / r1;
      var r2 = r0 - q * r1; r0 = r1; r1 = r2;
      var t2 = t0 - q * t1; t0 = t1; t1 = t2;
    }
    if (r0 !== 1n) return null;
    return ((t0 % m) + m) % m;
  }

  function concat() {
    var length = 0, i;
    for (i = 0; i < arguments.length; i++) length += arguments[i].length;
    var out = new Uint8Array(length), at = 0;
    for (i = 0; i < arguments.length; i++) { out.set(arguments[i], at); at += arguments[i].length; }
    return out;
  }

  async function sha384(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-384", bytes));
  }

  async function mgf1(seed, length) {
    var out = new Uint8Array(0);
    for (var counter = 0; out.length < length; counter++) {
      var c = new Uint8Array([counter >>> 24, (counter >>> 16) & 255, (counter >>> 8) & 255, counter & 255]);
      out = concat(out, await sha384(concat(seed, c)));
    }
    return out.slice(0, length);
  }

  // EMSA-PSS-ENCODE (RFC 8017 §9.1.1), SHA-384, 48-byte salt.
  async function pssEncode(message, salt, emBits) {
    var emLen = Math.ceil(emBits / 8);
    if (emLen < 2 * HASH_LEN + 2) throw new Error("key too small");
    var h = await sha384(concat(new Uint8Array(8), await sha384(message), salt));
    var db = new Uint8Array(emLen - HASH_LEN - 1);
    var one = db.length - HASH_LEN - 1;
    db[one] = 1;
    db.set(salt, one + 1);
    var mask = await mgf1(h, db.length);
    for (var i = 0; i < db.length; i++) db[i] ^= mask[i];
    db[0] &= 0xff >>> (8 * emLen - emBits);
    return concat(db, h, new Uint8Array([0xbc]));
  }

  // EMSA-PSS-VERIFY (RFC 8017 §9.1.2).
  async function pssVerify(message, encoded, emBits) {
    var emLen = Math.ceil(emBits / 8);
    if (encoded.length !== emLen || emLen < 2 * HASH_LEN + 2 || encoded[emLen - 1] !== 0xbc) return false;
    var masked = encoded.slice(0, emLen - HASH_LEN - 1);
    var h = encoded.slice(emLen - HASH_LEN - 1, emLen - 1);
    var top = 0xff >>> (8 * emLen - emBits);
    if ((masked[0] & ~top & 0xff) !== 0) return false;
    var mask = await mgf1(h, masked.length);
    var db = masked.map(function (b, i) { return b ^ mask[i]; });
    db[0] &= top;
    var one = db.length - HASH_LEN - 1;
    for (var i = 0; i < one; i++) if (db[i] !== 0) return false;
    if (db[one] !== 1) return false;
    var salt = db.slice(one + 1);
    var expected = await sha384(concat(new Uint8Array(8), await sha384(message), salt));
    return bytesToHex(expected) === bytesToHex(h);
  }

  function modulusLength(key) {
    return Math.ceil(bitLength(key.n) / 8);
  }

  // RFC 9474 §4.2 Blind: `salt` 48 bytes and `r` (a BigInt in [1, n)) fresh and random.
  async function blind(key, message, salt, r) {
    var encoded = await pssEncode(message, salt, bitLength(key.n) - 1);
    var m = bytesToBig(encoded);
    if (modInv(m, key.n) === null) throw new Error("the message is not invertible");
    var inverse = modInv(r, key.n);
    if (r <= 0n || r >= key.n || inverse === null) throw new Error("the blinding factor is not invertible");
    var z = (m * modPow(r, key.e, key.n)) % key.n;
    return { blinded: bigToBytes(z, modulusLength(key)), inverse: inverse };
  }

  // RFC 9474 §4.4 Finalize: the signature on `message`, verified before it is returned.
  async function finalize(key, message, blindSignature, inverse) {
    var z = bytesToBig(blindSignature);
    if (blindSignature.length !== modulusLength(key) || z >= key.n) throw new Error("the blind signature is out of range");
    var signature = bigToBytes((z * inverse) % key.n, modulusLength(key));
    if (!(await verify(key, message, signature))) throw new Error("the signature does not verify");
    return signature;
  }

  // RSASSA-PSS verification with SHA-384 and a 48-byte salt.
  async function verify(key, message, signature) {
    var s = bytesToBig(signature);
    if (signature.length !== modulusLength(key) || s >= key.n) return false;
    var emBits = bitLength(key.n) - 1;
    var encoded = bigToBytes(modPow(s, key.e, key.n), Math.ceil(emBits / 8));
    return encoded !== null && pssVerify(message, encoded, emBits);
  }

  function randomBytes(length) {
    return crypto.getRandomValues(new Uint8Array(length));
  }

  // A uniformly random blinding factor in [1, n) with an inverse.
  function randomFactor(n) {
    var bits = bitLength(n), length = Math.ceil(bits / 8);
    for (;;) {
      var bytes = randomBytes(length);
      bytes[0] &= 0xff >>> (8 * length - bits);
      var r = bytesToBig(bytes);
      if (r > 0n && r < n && modInv(r, n) !== null) return r;
    }
  }

  var api = {
    hexToBytes: hexToBytes, bytesToHex: bytesToHex, bytesToBig: bytesToBig, bigToBytes: bigToBytes,
    modPow: modPow, modInv: modInv, blind: blind, finalize: finalize, verify: verify,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof document === "undefined") return;

  var form = document.getElementById("unlinkable-vote");
  if (!form) return;
  var poll = form.getAttribute("data-poll");
  var key = { n: BigInt("0x" + form.getAttribute("data-modulus")), e: BigInt("0x" + form.getAttribute("data-exponent")) };
  var status = form.querySelector("[data-testid=unlinkable-status]");
  var storageKey = "plenum-unlinkable-token-" + poll;

  async function errorOf(response) {
    try {
      var body = await response.json();
      return body.error.message + " (" + body.error.code + ")";
    } catch (e) {
      return String(response.status);
    }
  }

  // Takes the member's token (signed in, JSON so no other site can send it) and returns the
  // token with its unblinded signature, kept in this browser until the ballot is cast.
  async function takeToken() {
    var token = randomBytes(32);
    var blinded = await blind(key, token, randomBytes(HASH_LEN), randomFactor(key.n));
    var response = await fetch("/api/v1/polls/" + poll + "/tokens", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ blinded: bytesToHex(blinded.blinded) }),
    });
    if (!response.ok) throw new Error(await errorOf(response));
    var answer = await response.json();
    var signature = await finalize(key, token, hexToBytes(answer.blind_signature), blinded.inverse);
    var held = { token: bytesToHex(token), signature: bytesToHex(signature) };
    try { localStorage.setItem(storageKey, JSON.stringify(held)); } catch (e) { /* private mode: cast at once */ }
    return held;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var choice = form.querySelector("input[name=choice]:checked");
    if (!choice) return;
    var button = form.querySelector("button");
    button.disabled = true;
    status.textContent = form.getAttribute("data-msg-working");
    try {
      // A token kept here is used only by a member the server says took one: a token left by
      // someone else on a shared browser is never spent for the wrong person.
      var held = null;
      if (form.getAttribute("data-took-token") === "1") {
        try { held = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { held = null; }
        if (!held) throw new Error(form.getAttribute("data-msg-lost"));
      } else {
        held = await takeToken();
      }
      // No cookie, no session: the ballot box learns the token, the signature and the choice.
      var response = await fetch("/api/v1/polls/" + poll + "/ballots", {
        method: "POST",
        credentials: "omit",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: held.token, signature: held.signature, choice: choice.value }),
      });
      if (!response.ok) throw new Error(await errorOf(response));
      var cast = await response.json();
      try { localStorage.removeItem(storageKey); } catch (e) { /* nothing kept */ }
      var receipt = document.getElementById("unlinkable-receipt");
      receipt.querySelector("[data-testid=receipt-code]").textContent = cast.receipt;
      receipt.hidden = false;
      form.hidden = true;
      status.textContent = "";
    } catch (e) {
      status.textContent = form.getAttribute("data-msg-failed") + " " + e.message;
      button.disabled = false;
    }
  });
})();
