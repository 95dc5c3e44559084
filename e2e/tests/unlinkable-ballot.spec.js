// Unlinkable ballots (tier B) in the browser: the facilitator puts a motion to an unlinkable
// vote; a member's browser takes a blind-signed token and casts the ballot with it on a request
// without cookies; replaying that request is refused; at the close the ballot is on the public
// board, found by its receipt. axe scans every page on the way.
const { test, expect, signIn } = require('./fixtures');

async function person(browser, server) {
  const context = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  const page = await context.newPage();
  return { context, page };
}

test('a member casts an unlinkable ballot, a replay is refused, the ballot is on the board', async ({ browser, server, checkPage }) => {
  const stamp = Date.now().toString(36);
  const title = `Quiet hours on the river path (${stamp})`;
  const people = [];
  try {
    const facilitator = (await person(browser, server)).page;
    people.push(facilitator.context());
    const member = await person(browser, server);
    people.push(member.context);

    let pollUrl;
    await test.step('the facilitator opens an unlinkable poll', async () => {
      await signIn(facilitator, 'facilitator');
      await facilitator.goto('/bodies/riverside/motions/new');
      const kind = facilitator.getByLabel('Kind', { exact: true });
      const policy = (await kind.locator('option').allInnerTexts()).find((k) => /policy/i.test(k));
      if (policy) await kind.selectOption({ label: policy });
      await facilitator.getByLabel('Title', { exact: true }).fill(title);
      await facilitator.getByLabel('Text', { exact: true }).fill('No amplified music on the river path after ten at night.');
      await facilitator.getByRole('button', { name: 'File motion' }).click();
      await expect(facilitator).toHaveURL(/\/motions\/[^/?#]+$/);
      await facilitator.getByLabel('Secrecy', { exact: true }).selectOption('unlinkable');
      await facilitator.getByLabel('Closes in (minutes)', { exact: true }).fill('1');
      await checkPage(facilitator, 'unlinkable-motion-open-form');
      await facilitator.getByRole('button', { name: 'Open poll' }).click();
      await expect(facilitator).toHaveURL(/\/polls\/[^/?#]+$/);
      pollUrl = new URL(facilitator.url()).pathname;
      await expect(facilitator.getByRole('heading', { name: 'Unlinkable ballot' })).toBeVisible();
      await expect(facilitator.getByTestId('key-hash')).toHaveText(/^[0-9a-f]{64}$/);
      await checkPage(facilitator, 'unlinkable-poll-facilitator');
    });

    let ballotRequest;
    let receipt;
    await test.step('a member takes a token and casts the ballot without cookies', async () => {
      const page = member.page;
      await signIn(page, 'member1');
      await page.goto(pollUrl);
      await expect(page.getByText('What it does not protect against', { exact: false })).toBeVisible();
      await checkPage(page, 'unlinkable-poll-member');
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/ballots')) ballotRequest = request;
      });
      const form = page.locator('#unlinkable-vote');
      await form.getByRole('radio', { name: 'Yes', exact: true }).check();
      await page.getByRole('button', { name: 'Take my token and cast my ballot' }).click();
      const code = page.getByTestId('receipt-code');
      await expect(code).toBeVisible({ timeout: 30 * 1000 });
      receipt = (await code.innerText()).trim();
      expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      await checkPage(page, 'unlinkable-poll-receipt');
      expect(ballotRequest, 'the ballot request').toBeTruthy();
      const headers = await ballotRequest.allHeaders();
      expect(headers.cookie, 'the ballot carries no cookie').toBeUndefined();
      expect(headers.authorization).toBeUndefined();
    });

    await test.step('replaying the ballot request is refused and changes nothing', async () => {
      const replay = await member.context.request.post(ballotRequest.url(), {
        headers: { 'content-type': 'application/json' },
        data: ballotRequest.postData(),
      });
      expect(replay.status()).toBe(409);
      expect((await replay.json()).error.code).toBe('token_already_used');
      await member.page.goto(pollUrl);
      await expect(member.page.getByTestId('ballots-cast')).toHaveText('1');
      await expect(member.page.getByTestId('tokens-issued')).toHaveText('1');
    });

    await test.step('at the close the ballot is on the public board', async () => {
      const anonymous = await person(browser, server);
      people.push(anonymous.context);
      const page = anonymous.page;
      await expect(async () => {
        await page.goto(pollUrl);
        await expect(page.getByRole('heading', { name: 'Result', exact: true })).toBeVisible({ timeout: 1000 });
      }).toPass({ timeout: 150 * 1000, intervals: [2000] });
      await expect(page.getByRole('cell', { name: receipt })).toBeVisible();
      await checkPage(page, 'unlinkable-poll-closed');
    });
  } finally {
    for (const context of people) await context.close();
  }
});
