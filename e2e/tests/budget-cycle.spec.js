// Participatory budgeting as people meet it: the facilitator of Hillside starts a cycle whose vote
// ends two minutes from now; a member submits an idea; it becomes a project, is reviewed, and goes
// to the vote; a member fills the ballot while the budget meter counts down, an over-budget ballot
// is explained by the server, a good one gets a receipt; the vote is counted and the results
// explain every project. Every page is scanned by axe.
const { test, expect, signIn } = require('./fixtures');

/** A `datetime-local` value (UTC, the demo server's zone) `minutes` from now. */
function local(minutes) {
  return new Date(Date.now() + minutes * 60 * 1000).toISOString().slice(0, 16);
}

async function person(browser, server) {
  const context = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  return { context, page: await context.newPage() };
}

test('an idea becomes a funded project: submit, review, vote with the budget meter, results', async ({ browser, server, checkPage }) => {
  const people = [];
  const open = async () => {
    const p = await person(browser, server);
    people.push(p);
    return p.page;
  };
  try {
    const fatima = await open();
    const gus = await open();
    await signIn(fatima, 'fatima');
    await signIn(gus, 'gus');
    const stamp = Date.now().toString(36);
    const title = `Hillside budget test ${stamp}`;
    let cycleUrl;
    let closesAt;

    await test.step('the facilitator starts a cycle', async () => {
      await fatima.goto('/bodies/hillside');
      await checkPage(fatima, 'budget-assembly');
      await fatima.getByRole('link', { name: 'Start a budget cycle' }).click();
      await fatima.getByLabel('Title', { exact: true }).fill(title);
      await fatima.getByLabel('Description', { exact: true }).fill('A small cycle for the browser test.');
      await fatima.getByLabel('Total budget', { exact: true }).fill('1000');
      await fatima.getByRole('radio', { name: 'Approve projects within the budget' }).check();
      for (const phase of ['Ideas', 'Development', 'Review', 'Vote']) {
        await fatima.getByLabel(phase, { exact: true }).fill(local(-1));
      }
      closesAt = Date.now() + 2 * 60 * 1000;
      await fatima.getByLabel('Results', { exact: true }).fill(local(2));
      await fatima.getByLabel('Implementation', { exact: true }).fill(local(3));
      await checkPage(fatima, 'budget-new');
      await fatima.getByRole('button', { name: 'Start the cycle' }).click();
      await expect(fatima).toHaveURL(/\/budget-cycles\/[^/?#]+$/);
      cycleUrl = new URL(fatima.url()).pathname;
      await expect(fatima.getByRole('heading', { level: 1 })).toHaveText(title);
    });

    await test.step('a member submits an idea and the facilitator supports it', async () => {
      await gus.goto(cycleUrl);
      await gus.getByLabel('Title', { exact: true }).fill('Shade trees');
      await gus.getByLabel('Description', { exact: true }).fill('Trees along the school walk.');
      await gus.getByLabel('Category', { exact: true }).fill('Parks');
      await checkPage(gus, 'budget-ideas');
      await gus.getByRole('button', { name: 'Submit idea' }).click();
      await expect(gus.getByRole('heading', { name: 'Shade trees' })).toBeVisible();
      await fatima.goto(cycleUrl);
      await fatima.getByRole('button', { name: 'Support' }).click();
      await expect(fatima.getByText('1 supporter')).toBeVisible();
      await fatima.getByRole('button', { name: /Move to the next phase/ }).click();
    });

    await test.step('projects are developed and reviewed', async () => {
      for (const [name, cost] of [['Shade trees on the school walk', '600'], ['Reading garden', '500'], ['Footbridge', '9000']]) {
        await gus.goto(cycleUrl);
        await gus.getByLabel('Title', { exact: true }).fill(name);
        await gus.getByLabel('Description', { exact: true }).fill(`${name}, as developed by volunteers.`);
        await gus.getByLabel('Cost estimate', { exact: true }).fill(cost);
        await gus.getByRole('button', { name: 'Add project' }).click();
      }
      await checkPage(gus, 'budget-development');
      await fatima.goto(cycleUrl);
      await fatima.getByRole('button', { name: /Move to the next phase/ }).click();
      const card = (name) => fatima.locator('li.card').filter({ has: fatima.getByRole('heading', { name }) });
      for (const [name, cost] of [['Shade trees on the school walk', '600'], ['Reading garden', '500']]) {
        await card(name).getByLabel('Final cost').fill(cost);
        await card(name).getByRole('button', { name: 'Record review' }).click();
      }
      await card('Footbridge').getByRole('radio', { name: 'Not feasible' }).check();
      await card('Footbridge').getByLabel('Public reason (if not feasible)').fill('The rail company owns the land.');
      await card('Footbridge').getByRole('button', { name: 'Record review' }).click();
      await expect(fatima.getByText('The rail company owns the land.')).toBeVisible();
      await checkPage(fatima, 'budget-review');
      await fatima.getByRole('button', { name: /Move to the next phase/ }).click();
      await expect(fatima.getByTestId('budget-phase')).toContainText('Vote');
    });

    let receipt;
    await test.step('a member votes; the meter shows what is left; the server explains an over-budget ballot', async () => {
      await gus.goto(`${cycleUrl}/ballot`);
      const left = gus.locator('output[data-left]');
      await expect(left).toHaveText('1000');
      await gus.getByLabel(/Shade trees on the school walk/).check();
      await expect(left).toHaveText('400');
      await gus.getByLabel(/Reading garden/).check();
      await expect(left).toHaveText('-100');
      await checkPage(gus, 'budget-ballot');
      await gus.getByRole('button', { name: 'Cast ballot' }).click();
      await expect(gus.getByTestId('ballot-error')).toContainText('Leave some out');
      await checkPage(gus, 'budget-ballot-refused');
      await gus.getByLabel(/Reading garden/).uncheck();
      await gus.getByRole('button', { name: 'Cast ballot' }).click();
      await expect(gus.getByTestId('receipt-code')).toBeVisible();
      receipt = (await gus.getByTestId('receipt-code').innerText()).trim();
      await checkPage(gus, 'budget-ballot-receipt');
    });

    await test.step('the vote is counted and the results explain every project', async () => {
      await fatima.waitForTimeout(Math.max(0, closesAt - Date.now() + 2000));
      // The server counts the vote at its deadline (a facilitator may also press "Close the vote
      // and count it" once it has passed).
      await expect(async () => {
        await fatima.goto(cycleUrl);
        const count = fatima.getByRole('button', { name: 'Close the vote and count it' });
        if ((await count.count()) > 0) await count.click();
        await fatima.goto(`${cycleUrl}/results`);
        await expect(fatima.getByRole('heading', { level: 1 })).toContainText('Results', { timeout: 2000 });
      }).toPass({ intervals: [5000], timeout: 90 * 1000 });
      await expect(fatima.getByRole('heading', { level: 1 })).toContainText('Results');
      await expect(fatima.locator('svg[role="img"]')).toBeVisible();
      const table = fatima.locator('table').first();
      await expect(table).toContainText('Shade trees on the school walk');
      await expect(table).toContainText('Funded');
      await expect(table).toContainText('Not funded');
      await checkPage(fatima, 'budget-results');
      await fatima.getByTestId('compare-link').click();
      await expect(fatima.getByTestId('comparison')).toBeVisible();
      await checkPage(fatima, 'budget-results-compared');
      const visitor = await open();
      await visitor.goto(`${cycleUrl}/results`);
      await visitor.getByLabel('Receipt code', { exact: true }).fill(receipt);
      await visitor.getByRole('button', { name: 'Check receipt' }).click();
      await expect(visitor.getByText('Your ballot is among the published ballots.')).toBeVisible();
      await checkPage(visitor, 'budget-receipt-found');
      await visitor.goto(cycleUrl);
      await checkPage(visitor, 'budget-cycle-public');
    });

    await test.step('the facilitator tracks the implementation', async () => {
      await fatima.goto(cycleUrl);
      await fatima.getByRole('button', { name: /Move to the next phase|Implementation/ }).first().click();
      await fatima.goto(`${cycleUrl}/implementation`);
      await fatima.getByLabel('Spent so far').first().fill('250');
      await fatima.getByLabel('Update').first().fill('Twelve trees planted.');
      await fatima.getByRole('button', { name: 'Record update' }).first().click();
      await expect(fatima.getByText('Twelve trees planted.')).toBeVisible();
      await checkPage(fatima, 'budget-implementation');
    });
  } finally {
    for (const p of people) await p.context.close();
  }
});
