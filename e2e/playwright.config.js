// Browser tests run on Debian's Chromium (Playwright's own browser download is not used).
// The server under test is started by tests/fixtures.js from a prebuilt `plenum` binary.
const { defineConfig } = require('@playwright/test');

module.exports = defineConfig({
  testDir: './tests',
  outputDir: './artifacts/test-results',
  // One worker: the machine is small, and the tests share one demo server per worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The main scenario waits for a poll to close (one minute at the least).
  timeout: 5 * 60 * 1000,
  expect: { timeout: 10 * 1000 },
  reporter: [['list'], ['html', { outputFolder: './artifacts/report', open: 'never' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.PLENUM_CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
    },
    locale: 'en-GB',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15 * 1000,
    navigationTimeout: 30 * 1000,
  },
});
