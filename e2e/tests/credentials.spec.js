// A resident credential issued by the instance's key is checked on the public page: valid as
// issued, refused once altered; both pages pass axe.
const { test, expect } = require('./fixtures');

test('a credential is checked on the public page, and an altered one is refused', async ({ page, server, request, checkPage }) => {
  const bodies = await (await request.get('/api/v1/bodies')).json();
  const riverside = bodies.bodies.find((b) => b.slug === 'riverside');
  expect(riverside).toBeTruthy();
  const token = server.issueCredential([
    '--number', '2041', '--area', riverside.id, '--age-band', 'adult', '--expires', '2099-01-01T00:00:00Z',
  ]);
  expect(token).toMatch(/^PLN1\./);

  await page.goto('/credentials/check');
  await page.getByLabel('Credential code').fill(token);
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByRole('heading', { name: 'Valid credential' })).toBeVisible();
  await expect(page.getByRole('link', { name: riverside.name })).toBeVisible();
  await checkPage(page, 'credential-valid');

  const at = 'PLN1.'.length + 20;
  const altered = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
  await page.getByLabel('Credential code').fill(altered);
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByRole('heading', { name: 'Not valid' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('altered or forged');
  await checkPage(page, 'credential-refused');
});
