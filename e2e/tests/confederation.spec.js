// The confederation in the demo (crates/plenum_web/src/demo_confederation.rs): from an
// assembly to its municipal council; the seats and delegates; the Old Town delegate who voted
// against the mandate, her recall and the redraw; the night-bus policy ratified by double
// majority with every assembly's result; a settled dispute; then a Market member signs the open
// recall petition and the recall poll opens. Every page is scanned by axe, in English and Spanish.
const { test, expect, signIn } = require('./fixtures');

test('mandates, a deviation, the recall and the ratification are public, and a member signs a petition', async ({ page, checkPage }) => {
  await page.goto('/bodies/riverside');
  await page.getByRole('link', { name: 'Our delegates to West Municipal Council' }).click();
  await expect(page).toHaveURL(/\/councils\/west-council$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('West Municipal Council');
  const seats = page.getByRole('table').first();
  await expect(seats).toContainText('Old Town Assembly');
  await expect(seats).toContainText('drawn by lot');
  await expect(seats).toContainText('redrawn by lot');
  await expect(page.getByRole('region', { name: 'Votes against mandates' })).toContainText('voted No against the mandate Yes');
  await checkPage(page, 'council-west');

  // The recall that followed the vote against the mandate.
  await page.getByRole('region', { name: 'Recall petitions' }).getByRole('link').first().click();
  await expect(page).toHaveURL(/\/recalls\//);
  await expect(page.getByText('Opened by the charter when the delegate voted against the mandate.')).toBeVisible();
  await expect(page.locator('dl')).toContainText('recalled');
  await checkPage(page, 'recall-done');

  // The ratification: every constituent's result.
  await page.goto('/councils/west-council');
  await page.getByRole('region', { name: 'Ratifications' }).getByRole('link', { name: 'Night buses across the West' }).click();
  await expect(page.locator('dl')).toContainText('ratified');
  await expect(page.locator('dl')).toContainText('A double majority');
  const results = page.getByRole('table');
  for (const name of ['Riverside Assembly', 'Old Town Assembly', 'Harbour Assembly']) {
    await expect(results).toContainText(name);
  }
  await checkPage(page, 'ratification');
  await page.goto(page.url() + '?lang=es');
  await expect(page.locator('dl')).toContainText('Doble mayoría');
  await checkPage(page, 'ratification-es');

  // A delegate's voting record against the mandates.
  await page.goto('/councils/west-council?lang=en');
  await page.getByRole('table').first().getByRole('link').nth(1).click();
  await expect(page.getByRole('heading', { name: 'Voting record against the mandates' })).toBeVisible();
  await checkPage(page, 'delegate-record');

  // The East Council's settled dispute, and the regional council above both.
  await page.goto('/councils/east-council');
  await expect(page.getByRole('region', { name: 'Disputes' })).toContainText('north corner');
  await checkPage(page, 'council-east');
  await page.goto('/councils/regional-council');
  await expect(page.getByRole('table').first()).toContainText('West Municipal Council');
  await checkPage(page, 'council-regional');

  // Quinn signs the Market petition: two of five is a quarter, so the recall poll opens.
  await signIn(page, 'quinn');
  await page.goto('/councils/east-council');
  await page.getByRole('region', { name: 'Recall petitions' }).getByRole('link').first().click();
  await expect(page.locator('dl')).toContainText('1 of 5 members; 2 needed');
  await checkPage(page, 'recall-gathering');
  await page.getByRole('button', { name: 'Sign the petition' }).click();
  await expect(page.locator('dl')).toContainText('recall poll open');
  await page.getByRole('link', { name: 'The recall poll' }).click();
  await expect(page).toHaveURL(/\/polls\//);
  await checkPage(page, 'recall-poll');

  // A Riverside member starts a petition against one of Riverside's delegates.
  await signIn(page, 'member3');
  await page.goto('/councils/west-council');
  await page.getByRole('table').first().getByRole('link').nth(1).click();
  await page.getByLabel('Reason').fill('Has not reported back since the spring session.');
  await checkPage(page, 'delegate-start-recall');
  await page.getByRole('button', { name: 'Start a recall petition' }).click();
  await expect(page).toHaveURL(/\/recalls\//);
  await expect(page.locator('dl')).toContainText('gathering signatures');
  await expect(page.locator('dl')).toContainText('Has not reported back since the spring session.');
});
