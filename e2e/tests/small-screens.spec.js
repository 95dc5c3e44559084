// Mobile first: at 320 CSS pixels wide (WCAG 2.2, 1.4.10 Reflow) no page scrolls sideways;
// wide tables may scroll inside their own box. Also scans a closed secret poll of the demo.
const { test, expect } = require('./fixtures');

test.use({ viewport: { width: 320, height: 640 } });

async function expectNoSidewaysScroll(page, name) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect.soft(scrollWidth, `${name} (${page.url()}) is ${scrollWidth}px wide in a ${clientWidth}px window`).toBeLessThanOrEqual(clientWidth);
}

test('pages reflow on a 320 px wide screen', async ({ page, checkPage }) => {
  for (const [name, path] of [
    ['home', '/'],
    ['signup', '/signup'],
    ['login', '/login'],
    ['assembly', '/bodies/riverside'],
  ]) {
    await page.goto(path);
    await expectNoSidewaysScroll(page, name);
  }

  // A demo motion whose secret poll is closed: the result and the published ballots.
  await page.goto('/bodies/riverside');
  await page.getByRole('link', { name: 'Plant trees along the river path' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Plant trees along the river path');
  await expectNoSidewaysScroll(page, 'motion');
  await page.locator('main a[href^="/polls/"]').first().click();
  await expect(page.getByRole('heading', { name: 'Result', exact: true })).toBeVisible();
  await expectNoSidewaysScroll(page, 'poll-closed');
  await checkPage(page, 'poll-closed-demo-320px');

  // Last, because the choice of language sticks for the rest of the visit.
  await page.goto('/?lang=es');
  await expectNoSidewaysScroll(page, 'home-es');
});
