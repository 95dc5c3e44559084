// Coalitions end to end: two organisations join a new coalition (the second admitted by the
// first's agreement), take positions on a plank, the minimum and maximum programmes follow,
// and a candidate pledges to the plank. Every page is scanned by axe.
const { test, expect, signUp } = require('./fixtures');

async function registerOrganisation(page, name) {
  await page.goto('/organisations');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Kind of organisation').fill('Neighbourhood group');
  await page.getByLabel('Short description').fill(`${name} organises its street.`);
  await page.getByLabel('Public contact').fill('hello@example.org');
  await page.getByRole('button', { name: 'Register the organisation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

test('two organisations join a coalition, take positions, and a candidate pledges', async ({ browser, server, checkPage }) => {
  const stamp = Date.now().toString(36);
  const tenants = `Garden Tenants ${stamp}`;
  const coop = `Bakery Coop ${stamp}`;
  const coalition = `Street Front ${stamp}`;
  const plank = `Rent freeze ${stamp}`;
  const a = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  const b = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  try {
    const ana = await a.newPage();
    const ben = await b.newPage();
    await signUp(ana, { login: `ana-${stamp}`, name: `Ana ${stamp}`, password: 'coalition-2026' });
    await signUp(ben, { login: `ben-${stamp}`, name: `Ben ${stamp}`, password: 'coalition-2026' });

    await ana.goto('/');
    await ana.getByRole('link', { name: 'Organisations and coalitions' }).click();
    await checkPage(ana, 'organisations');
    await registerOrganisation(ana, tenants);
    await checkPage(ana, 'organisation');
    await registerOrganisation(ben, coop);

    // Ana founds the coalition without founding members; both organisations then apply.
    await ana.goto('/coalitions/new');
    await checkPage(ana, 'coalition-new');
    await ana.getByLabel('Name', { exact: true }).fill(coalition);
    await ana.getByLabel('Short description').fill('A front of the street.');
    await ana.getByLabel('Public contact').fill('front@example.org');
    await ana.getByLabel('Consensus of the member organisations').check();
    await ana.getByLabel(tenants).uncheck();
    await ana.getByRole('button', { name: 'Found the coalition' }).click();
    await expect(ana.getByRole('heading', { level: 1 })).toHaveText(coalition);
    const coalitionUrl = ana.url();

    await ana.getByLabel('Apply to join as').selectOption({ label: tenants });
    await ana.getByRole('button', { name: 'Apply to join' }).click();
    await expect(ana.getByRole('link', { name: tenants })).toBeVisible();

    await ben.goto(coalitionUrl);
    await ben.getByLabel('Apply to join as').selectOption({ label: coop });
    await ben.getByRole('button', { name: 'Apply to join' }).click();
    await expect(ben.getByText(`Admission: ${coop}`)).toBeVisible();

    await ana.goto(coalitionUrl);
    await checkPage(ana, 'coalition-pending');
    await ana.getByRole('button', { name: `${tenants}: agree` }).click();
    await expect(ana.getByRole('link', { name: coop })).toBeVisible();
    await expect(ana.getByText('No decision is under way.')).toBeVisible();

    // A plank, and both organisations' positions.
    await ana.getByLabel('Plank', { exact: true }).fill(plank);
    await ana.getByLabel('Category').fill('Housing');
    await ana.getByLabel('Text', { exact: true }).fill('Freeze rents on the street for two years.');
    await ana.getByRole('button', { name: 'Propose a plank' }).click();
    await expect(ana.getByRole('heading', { level: 1 })).toHaveText(plank);
    const plankUrl = ana.url();
    await ana.getByLabel('Endorse', { exact: true }).check();
    await ana.getByRole('button', { name: 'Record the position' }).click();
    await checkPage(ana, 'plank');

    await ben.goto(plankUrl);
    await ben.getByLabel('Block', { exact: true }).check();
    await ben.getByLabel('Reservation or reasons').fill('Our members have not discussed it yet.');
    await ben.getByRole('button', { name: 'Record the position' }).click();
    await expect(ben.getByText('Our members have not discussed it yet.')).toBeVisible();

    await ana.goto(`${coalitionUrl}/programme`);
    await expect(ana.getByRole('heading', { name: 'Minimum programme (0)' })).toBeVisible();
    await expect(ana.getByRole('heading', { name: 'Maximum programme (1)' })).toBeVisible();
    await checkPage(ana, 'programme-before');

    await ben.goto(plankUrl);
    await ben.getByLabel('Endorse with reservations').check();
    await ben.getByLabel('Reservation or reasons').fill('Only with tenant boards.');
    await ben.getByRole('button', { name: 'Record the position' }).click();
    await ana.goto(`${coalitionUrl}/programme`);
    await expect(ana.getByRole('heading', { name: 'Minimum programme (1)' })).toBeVisible();
    await expect(ana.getByRole('link', { name: plank }).first()).toBeVisible();
    await checkPage(ana, 'programme-after');

    await ana.goto(`${coalitionUrl}/platform`);
    await expect(ana.getByRole('heading', { name: plank })).toBeVisible();
    await checkPage(ana, 'platform');

    // Ben stands for council and pledges to the plank.
    await ben.goto('/pledges');
    await checkPage(ben, 'pledges-empty-form');
    await ben.getByLabel("Candidate's name").fill(`Ben Candidate ${stamp}`);
    await ben.getByLabel('Office sought').fill('City council');
    await ben.getByRole('button', { name: 'Add the candidate' }).click();
    await expect(ben.getByRole('heading', { level: 1 })).toHaveText(`Ben Candidate ${stamp}`);
    await ben.getByLabel('Plank', { exact: true }).selectOption({ label: `${coalition} — ${plank}` });
    await ben.getByLabel('Signature').fill(`Ben Candidate ${stamp}`);
    await ben.getByRole('button', { name: 'Sign the pledge' }).click();
    await expect(ben.getByText('Standing')).toBeVisible();
    await checkPage(ben, 'candidate');

    const anonymous = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
    try {
      const page = await anonymous.newPage();
      await page.goto('/pledges');
      const entry = page.getByRole('listitem').filter({ hasText: `Ben Candidate ${stamp}` });
      await expect(entry.getByRole('link', { name: plank })).toBeVisible();
      await checkPage(page, 'pledge-tracker');
    } finally {
      await anonymous.close();
    }
  } finally {
    await a.close();
    await b.close();
  }
});
