// The browser's blinding script (crates/plenum_web/static/blind-ballot.js) against the RFC 9474
// RSABSSA-SHA384-PSS-Deterministic test vector: the same vector the Rust test in
// crates/plenum_core/src/blind.rs reproduces, read from that file. Runs in Node (WebCrypto's
// SHA-384 and BigInt, as in the browser); no server, no browser.
const { test, expect } = require('@playwright/test');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const blindBallot = require(path.join(REPO, 'crates/plenum_web/static/blind-ballot.js'));

function rustVector() {
  const source = fs.readFileSync(path.join(REPO, 'crates/plenum_core/src/blind.rs'), 'utf8');
  const vector = {};
  for (const m of source.matchAll(/pub const (\w+): &str = "([0-9a-f]+)";/g)) vector[m[1]] = m[2];
  for (const name of ['N', 'E', 'D', 'MSG', 'SALT', 'INV', 'BLINDED', 'BLIND_SIG', 'SIG']) {
    if (!vector[name]) throw new Error(`the Rust test vector has no ${name}`);
  }
  return vector;
}

test('the blinding script reproduces the RFC 9474 test vector and refuses what was altered', async () => {
  const { hexToBytes, bytesToHex, bytesToBig, modInv, blind, finalize, verify } = blindBallot;
  const v = rustVector();
  const key = { n: BigInt(`0x${v.N}`), e: BigInt(`0x${v.E}`) };
  const message = hexToBytes(v.MSG);
  const inverse = BigInt(`0x${v.INV}`);
  const r = modInv(inverse, key.n);

  const blinded = await blind(key, message, hexToBytes(v.SALT), r);
  expect(bytesToHex(blinded.blinded)).toBe(v.BLINDED);
  expect(blinded.inverse).toBe(inverse);

  // The signer's side, for completeness: the blind signature is blinded^d mod n.
  const d = BigInt(`0x${v.D}`);
  expect(blindBallot.modPow(bytesToBig(blinded.blinded), d, key.n).toString(16).padStart(v.BLIND_SIG.length, '0')).toBe(v.BLIND_SIG);

  const signature = await finalize(key, message, hexToBytes(v.BLIND_SIG), inverse);
  expect(bytesToHex(signature)).toBe(v.SIG);
  expect(await verify(key, message, signature)).toBe(true);

  const otherMessage = Uint8Array.from(message);
  otherMessage[0] ^= 1;
  expect(await verify(key, otherMessage, signature)).toBe(false);
  for (const at of [0, 100, signature.length - 1]) {
    const altered = Uint8Array.from(signature);
    altered[at] ^= 0x40;
    expect(await verify(key, message, altered), `byte ${at}`).toBe(false);
  }
  expect(await verify(key, message, signature.slice(1))).toBe(false);
  const wrongBlindSig = hexToBytes(v.BLIND_SIG);
  wrongBlindSig[5] ^= 1;
  await expect(finalize(key, message, wrongBlindSig, inverse)).rejects.toThrow('does not verify');
  await expect(blind(key, message, hexToBytes(v.SALT), 0n)).rejects.toThrow();
});
