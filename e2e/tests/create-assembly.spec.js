// A resident creates an assembly from the home page and becomes its facilitator; the form and
// the new assembly's page pass axe like every other page.
const { test, expect, signUp } = require('./fixtures');

test('a resident creates an assembly and facilitates it', async ({ browser, server, checkPage }) => {
  const stamp = Date.now().toString(36);
  const resident = { login: `nadia-${stamp}`, name: `Nadia Founder ${stamp}`, password: 'new-assembly-2026' };
  const context = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  try {
    const page = await context.newPage();
    await signUp(page, resident);
    await page.goto('/');
    await page.getByRole('link', { name: 'Create an assembly' }).click();
    await expect(page).toHaveURL(/\/bodies\/new$/);
    await checkPage(page, 'assembly-new');
    await page.getByLabel('Name', { exact: true }).fill(`Garden Street ${stamp}`);
    await page.getByLabel('Address name (slug)').fill(`garden-${stamp}`);
    await page.getByRole('button', { name: 'Create assembly' }).click();
    await expect(page).toHaveURL(new RegExp(`/bodies/garden-${stamp}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Garden Street ${stamp}`);
    await expect(page.getByRole('link', { name: 'Schedule a meeting' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'File a motion' })).toBeVisible();
    await checkPage(page, 'assembly-created');
    await page.goto('/');
    await expect(page.getByRole('link', { name: `Garden Street ${stamp}` })).toBeVisible();
  } finally {
    await context.close();
  }
});
