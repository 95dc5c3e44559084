// The whole resident path of issue 7 in the browser: the demo's registrar (`ivan`, also a
// facilitator of Harbour Assembly) enrols a resident at the desk; the resident claims the card
// with a new account and so becomes a member of Harbour; the card verifies on the public check
// page; ivan opens an UNLINKABLE poll on a motion, open only to adult residents of the area; the
// new resident casts an unlinkable ballot from the browser (the cast carries no cookie); the
// count of ballots rises and, at the close, the ballot is on the public board. A member without
// a card is not on the roll. axe runs on every page visited.
const { test, expect, signIn, signUp } = require('./fixtures');

test('a resident enrolled at the desk casts an unlinkable ballot in a residents-only poll', async ({ browser, server, checkPage }) => {
  const stamp = Date.now().toString(36);
  const name = `Itzel Marrowgate ${stamp}`;
  const title = `Night buses to the harbour (${stamp})`;
  const contexts = [];
  const open = async () => {
    const context = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
    contexts.push(context);
    return context.newPage();
  };
  try {
    const desk = await open();
    const resident = await open();
    let code;
    let token;
    await test.step('the registrar enrols a resident and prints the card', async () => {
      await signIn(desk, 'ivan');
      await desk.goto('/registry/desk');
      await checkPage(desk, 'resident-poll-desk');
      await desk.getByLabel('Name on the card').fill(name);
      await desk.getByLabel('Area (assembly)').selectOption({ label: 'Harbour Assembly' });
      await desk.getByLabel('Age band').selectOption('adult');
      await desk.getByLabel('Expires on').fill('2031-06-30');
      await desk.getByRole('button', { name: 'Enrol and print the card' }).click();
      await expect(desk.getByRole('heading', { name: 'Resident card', level: 1 })).toBeVisible();
      await checkPage(desk, 'resident-poll-card');
      code = (await desk.locator('#claim-code').textContent()).trim();
      token = (await desk.locator('#token').textContent()).trim();
      expect(token).toMatch(/^PLN1\./);
    });

    await test.step('the resident claims the card with a new account and the card verifies', async () => {
      await signUp(resident, { login: `itzel-${stamp}`, name: `Itzel ${stamp}`, password: 'harbour-resident-2026' });
      await resident.goto('/registry/claim');
      await checkPage(resident, 'resident-poll-claim');
      await resident.getByLabel('Claim code').fill(code);
      await resident.getByRole('button', { name: 'Claim' }).click();
      await expect(resident.getByRole('heading', { name: 'My resident card' })).toBeVisible();
      await expect(resident.getByRole('link', { name: 'Harbour Assembly' })).toBeVisible();
      await checkPage(resident, 'resident-poll-mine');
      await resident.goto('/credentials/check');
      await resident.getByLabel('Credential code').fill(token);
      await resident.getByRole('button', { name: 'Check' }).click();
      await expect(resident.getByRole('heading', { name: 'Valid credential' })).toBeVisible();
      await checkPage(resident, 'resident-poll-check');
    });

    let pollUrl;
    await test.step('the facilitator opens an unlinkable poll for adult residents only', async () => {
      await desk.goto('/bodies/harbour/motions/new');
      const kind = desk.getByLabel('Kind', { exact: true });
      const policy = (await kind.locator('option').allInnerTexts()).find((k) => /policy/i.test(k));
      if (policy) await kind.selectOption({ label: policy });
      await desk.getByLabel('Title', { exact: true }).fill(title);
      await desk.getByLabel('Text', { exact: true }).fill('Ask the city for night buses between the old town and the harbour.');
      await desk.getByRole('button', { name: 'File motion' }).click();
      await expect(desk).toHaveURL(/\/motions\/[^/?#]+$/);
      await desk.getByLabel('Secrecy', { exact: true }).selectOption('unlinkable');
      await desk.getByLabel('Who may vote', { exact: true }).selectOption('residents18');
      await desk.getByLabel('Closes in (minutes)', { exact: true }).fill('1');
      await checkPage(desk, 'resident-poll-open-form');
      await desk.getByRole('button', { name: 'Open poll' }).click();
      await expect(desk).toHaveURL(/\/polls\/[^/?#]+$/);
      pollUrl = new URL(desk.url()).pathname;
      await expect(desk.getByRole('heading', { name: 'Unlinkable ballot' })).toBeVisible();
      await expect(desk.getByText('aged 18 or more, may vote')).toBeVisible();
      await checkPage(desk, 'resident-poll-facilitator');
    });

    await test.step('a member without a card is not on the roll', async () => {
      const member = await open();
      await signIn(member, 'jo');
      await member.goto(pollUrl);
      await expect(member.locator('#unlinkable-vote')).toHaveCount(0);
      await checkPage(member, 'resident-poll-not-on-roll');
    });

    let receipt;
    await test.step('the new resident casts an unlinkable ballot without cookies', async () => {
      await resident.goto(pollUrl);
      await expect(resident.getByTestId('ballots-cast')).toHaveText('0');
      await checkPage(resident, 'resident-poll-resident');
      let ballotRequest;
      resident.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/ballots')) ballotRequest = request;
      });
      const form = resident.locator('#unlinkable-vote');
      await form.getByRole('radio', { name: 'Yes', exact: true }).check();
      await resident.getByRole('button', { name: 'Take my token and cast my ballot' }).click();
      const shown = resident.getByTestId('receipt-code');
      await expect(shown).toBeVisible({ timeout: 30 * 1000 });
      receipt = (await shown.innerText()).trim();
      await checkPage(resident, 'resident-poll-receipt');
      expect(ballotRequest, 'the ballot request').toBeTruthy();
      const headers = await ballotRequest.allHeaders();
      expect(headers.cookie, 'the ballot carries no cookie').toBeUndefined();
      await resident.goto(pollUrl);
      await expect(resident.getByTestId('ballots-cast')).toHaveText('1');
      await expect(resident.getByTestId('tokens-issued')).toHaveText('1');
    });

    await test.step('at the close the ballot is on the public board', async () => {
      const visitor = await open();
      await expect(async () => {
        await visitor.goto(pollUrl);
        await expect(visitor.getByRole('heading', { name: 'Result', exact: true })).toBeVisible({ timeout: 1000 });
      }).toPass({ timeout: 150 * 1000, intervals: [2000] });
      await expect(visitor.getByRole('cell', { name: receipt })).toBeVisible();
      await checkPage(visitor, 'resident-poll-closed');
    });
  } finally {
    for (const context of contexts) await context.close();
  }
});
