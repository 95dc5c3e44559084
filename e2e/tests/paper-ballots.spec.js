// Paper ballots as volunteers and facilitators meet them, on the demo's open vote in Hillside:
// anyone sees where each printed number stands; a volunteer enters the second entry of a ballot
// (and a bad number is explained by the server); a facilitator resolves the mismatch by choosing
// what the paper says (the page has no script). Every page is scanned by axe, in both languages.
const { test, expect, signIn } = require('./fixtures');

test('paper ballots: entered twice, a mismatch resolved', async ({ browser, server, checkPage }) => {
  const contexts = [];
  const open = async () => {
    const context = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
    contexts.push(context);
    return context.newPage();
  };
  try {
    const visitor = await open();
    let paperUrl;

    await test.step('anyone sees where each paper ballot stands', async () => {
      await visitor.goto('/bodies/hillside');
      await visitor.getByRole('link', { name: 'Hillside budget 2026: the vote' }).first().click();
      await visitor.getByRole('link', { name: 'Paper ballots' }).click();
      paperUrl = new URL(visitor.url()).pathname;
      const table = visitor.getByTestId('paper-table');
      await expect(table).toContainText('Both entries agree');
      await expect(table).toContainText('Entries differ');
      await expect(table).toContainText('Entered once, waiting for a second volunteer');
      await expect(visitor.getByTestId('paper-mismatch')).toHaveCount(0);
      await checkPage(visitor, 'paper-ballots-public');
      await visitor.goto(`${paperUrl}?lang=es`);
      await expect(visitor.getByRole('heading', { level: 1 })).toContainText('Papeletas en papel');
      await checkPage(visitor, 'paper-ballots-public-es');
    });

    await test.step('a second volunteer enters ballot 3; a bad number is explained', async () => {
      const ana = await open();
      await signIn(ana, 'ana');
      await ana.goto(paperUrl);
      await ana.getByLabel('Ballot number', { exact: true }).fill('three');
      await ana.getByRole('button', { name: 'Enter this paper ballot' }).click();
      await expect(ana.getByTestId('paper-error')).toContainText('number printed on the ballot');
      await checkPage(ana, 'paper-ballots-refused');
      await ana.getByLabel('Ballot number', { exact: true }).fill('3');
      await ana.getByLabel(/Drinking fountains/).check();
      await ana.getByRole('button', { name: 'Enter this paper ballot' }).click();
      await expect(ana.getByTestId('paper-notice')).toContainText('Paper ballot 3 entered.');
      await checkPage(ana, 'paper-ballots-volunteer');
    });

    await test.step('the facilitator resolves the mismatch', async () => {
      const fatima = await open();
      await signIn(fatima, 'fatima');
      await fatima.goto(paperUrl);
      const mismatch = fatima.getByTestId('paper-mismatch');
      await expect(mismatch).toHaveCount(1);
      await checkPage(fatima, 'paper-ballots-facilitator');
      await mismatch.getByLabel(/Drinking fountains/).check();
      await mismatch.getByRole('button', { name: /Count what the paper says/ }).click();
      await expect(fatima.getByTestId('paper-mismatch')).toHaveCount(0);
      const table = fatima.getByTestId('paper-table');
      await expect(table).toContainText('Resolved by a facilitator');
      await expect(table).not.toContainText('Entries differ');
      await expect(table).not.toContainText('waiting for a second volunteer');
    });
  } finally {
    for (const c of contexts) await c.close();
  }
});
