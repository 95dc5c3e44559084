// Test fixtures: a demo Plenum server per worker, and helpers every page check uses.
//
// The fixture builds nothing: it runs the `plenum` binary named by PLENUM_BIN, else
// $CARGO_TARGET_DIR/release/plenum, else ../target/release/plenum (relative to e2e/).
// Build it first with `cargo build --release -p plenum_cli`.
const { test: base, expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const E2E_DIR = path.resolve(__dirname, '..');
const ARTIFACTS = path.join(E2E_DIR, 'artifacts');
const SCREENSHOTS = path.join(ARTIFACTS, 'screenshots');

function plenumBinary() {
  if (process.env.PLENUM_BIN) return path.resolve(process.env.PLENUM_BIN);
  if (process.env.CARGO_TARGET_DIR) {
    return path.resolve(E2E_DIR, process.env.CARGO_TARGET_DIR, 'release', 'plenum');
  }
  return path.resolve(E2E_DIR, '..', 'target', 'release', 'plenum');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(baseURL, child, log, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `plenum exited (code ${child.exitCode}, signal ${child.signalCode}) before /healthz answered.\n` +
          `--- server log ---\n${log()}`,
      );
    }
    try {
      const res = await fetch(`${baseURL}/healthz`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.cause ? String(err.cause.code || err.cause) : String(err);
    }
    await sleep(200);
  }
  throw new Error(`GET ${baseURL}/healthz did not succeed in ${timeoutMs} ms (${last}).\n--- server log ---\n${log()}`);
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Starts `plenum serve --demo` on a fresh data directory and a free port. */
async function startServer(workerIndex) {
  const bin = plenumBinary();
  if (!fs.existsSync(bin)) {
    throw new Error(
      `No plenum binary at ${bin}. Build it with \`cargo build --release -p plenum_cli\` ` +
        'or point PLENUM_BIN at one.',
    );
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plenum-e2e-'));
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  const baseURL = `http://${listen}`;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const logPath = path.join(ARTIFACTS, `server-${workerIndex}.log`);
  // A credential signing key and its published ring, so that cards can be issued and checked.
  const credentialKey = path.join(dataDir, 'credential-key.json');
  const credentialRing = path.join(dataDir, 'credential-keys.json');
  const keygen = spawnSync(bin, ['credential', 'keygen', '--key', credentialKey, '--ring', credentialRing], {
    encoding: 'utf8',
  });
  if (keygen.status !== 0) throw new Error(`plenum credential keygen failed: ${keygen.stderr}`);
  const logFd = fs.openSync(logPath, 'w');
  const serveArgs = [
    'serve', '--demo', '--data-dir', dataDir, '--listen', listen, '--credential-keys', credentialRing,
    // The registry desk signs residents' cards with the same key.
    '--credential-signing-key', credentialKey,
  ];
  const child = spawn(bin, serveArgs, {
    stdio: ['ignore', logFd, logFd],
    env: {
      ...process.env,
      // Close polls promptly once their deadline passes, if the server supports it.
      PLENUM_POLL_TICK_SECONDS: process.env.PLENUM_POLL_TICK_SECONDS || '1',
    },
  });
  fs.closeSync(logFd);
  const log = () => {
    try {
      return fs.readFileSync(logPath, 'utf8').slice(-8000);
    } catch {
      return '(no log)';
    }
  };
  try {
    await waitForHealth(baseURL, child, log, 60 * 1000);
  } catch (err) {
    await stop(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    baseURL,
    log,
    logPath,
    /** Issues a credential with the server's key (`plenum credential issue`) and returns its token. */
    issueCredential(args) {
      const issued = spawnSync(bin, ['credential', 'issue', '--key', credentialKey, ...args], { encoding: 'utf8' });
      if (issued.status !== 0) throw new Error(`plenum credential issue failed: ${issued.stderr}`);
      return issued.stdout.trim();
    },
    async close() {
      await stop(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function formatViolations(name, url, violations) {
  const lines = [`axe found ${violations.length} serious/critical violation(s) on "${name}" (${url}):`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help}`);
    lines.push(`      ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 10)) {
      lines.push(`      at ${node.target.join(' ')}`);
      lines.push(`         ${node.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      for (const summary of (node.failureSummary || '').split('\n')) {
        if (summary.trim()) lines.push(`         ${summary.trim()}`);
      }
    }
    if (v.nodes.length > 10) lines.push(`      … and ${v.nodes.length - 10} more element(s)`);
  }
  return lines.join('\n');
}

const test = base.extend({
  // One demo server per worker (the config runs one worker).
  server: [
    async ({}, use, workerInfo) => {
      const server = await startServer(workerInfo.workerIndex);
      await use(server);
      await server.close();
    },
    { scope: 'worker', timeout: 90 * 1000 },
  ],

  baseURL: async ({ server }, use) => {
    await use(server.baseURL);
  },

  /**
   * checkPage(page, name): saves a full-page screenshot to artifacts/screenshots/<name>.png and
   * runs axe; any serious or critical violation fails the test (softly, so one run reports every
   * page), listed rule by rule with the offending elements.
   */
  checkPage: async ({}, use, testInfo) => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const scanned = [];
    await use(async (page, name) => {
      await page.waitForLoadState('load');
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      const minor = results.violations.filter((v) => !bad.includes(v));
      scanned.push({
        name,
        url: page.url(),
        serious: bad.map((v) => `${v.impact} ${v.id} (${v.nodes.length})`),
        other: minor.map((v) => `${v.impact} ${v.id} (${v.nodes.length})`),
      });
      expect
        .soft(bad.map((v) => `${v.impact} ${v.id}: ${v.help}`), formatViolations(name, page.url(), bad))
        .toEqual([]);
    });
    if (scanned.length) {
      await testInfo.attach('axe-summary.json', {
        body: JSON.stringify(scanned, null, 2),
        contentType: 'application/json',
      });
      for (const s of scanned) {
        const notes = [...s.serious, ...s.other];
        console.log(`axe ${s.name} ${s.url}: ${notes.length ? notes.join(', ') : 'no violations'}`);
      }
    }
  },
});

/** Signs in through the login form. */
async function signIn(page, login, password = 'demo-password') {
  await page.goto('/login');
  await page.getByLabel('Login name', { exact: true }).fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Signs up through the form; lands on the home page signed in. */
async function signUp(page, { login, name, password }) {
  await page.goto('/signup');
  await page.getByLabel('Login name', { exact: true }).fill(login);
  await page.getByLabel('Display name', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

module.exports = { test, expect, signIn, signUp, sleep };
