// The resident registry: the demo's registrar (`ivan`, see crates/plenum_web/src/demo_registry.rs)
// enrols a resident at the desk and prints the card; the resident claims it with a new account,
// becomes a member of Harbour Assembly and sees who read their data; the card verifies on the
// public check page; a forged and a replayed claim code are refused. axe runs on every page.
const { test, expect, signIn, signUp } = require('./fixtures');

test('a registrar enrols a resident, who claims the card with a new account', async ({ browser, server, checkPage }) => {
  const stamp = Date.now().toString(36);
  const name = `Yolotl Brandvik ${stamp}`;
  const registrarContext = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  const residentContext = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  const otherContext = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  try {
    const desk = await registrarContext.newPage();
    await desk.goto('/registry');
    await expect(desk.getByRole('heading', { level: 1 })).toHaveText('Resident registry');
    await checkPage(desk, 'registry-overview');
    await desk.goto('/registry/legal-demands');
    await expect(desk.getByText('Sealed by court order').first()).toBeVisible();
    await checkPage(desk, 'registry-legal-demands');

    await signIn(desk, 'ivan');
    await desk.goto('/registry/desk');
    await checkPage(desk, 'registry-desk');
    await desk.getByLabel('Name on the card').fill(name);
    await desk.getByLabel('Area (assembly)').selectOption({ label: 'Harbour Assembly' });
    await desk.getByLabel('Age band').selectOption('adult');
    await desk.getByLabel('Expires on').fill('2031-06-30');
    await desk.getByRole('button', { name: 'Enrol and print the card' }).click();
    await expect(desk.getByRole('heading', { name: 'Resident card', level: 1 })).toBeVisible();
    await expect(desk.getByRole('img', { name: /Resident card number/ })).toBeVisible();
    await checkPage(desk, 'registry-card');
    const code = (await desk.locator('#claim-code').textContent()).trim();
    const token = (await desk.locator('#token').textContent()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(token).toMatch(/^PLN1\./);

    // The card verifies on the public check page.
    const resident = await residentContext.newPage();
    await resident.goto('/credentials/check');
    await resident.getByLabel('Credential code').fill(token);
    await resident.getByRole('button', { name: 'Check' }).click();
    await expect(resident.getByRole('heading', { name: 'Valid credential' })).toBeVisible();
    await expect(resident.getByRole('link', { name: 'Harbour Assembly' })).toBeVisible();

    // A forged code is refused; the real one makes the new account a member of Harbour.
    await signUp(resident, { login: `yolotl-${stamp}`, name: `Yolotl ${stamp}`, password: 'harbour-resident-2026' });
    await resident.goto('/registry/claim');
    await checkPage(resident, 'registry-claim');
    await resident.getByLabel('Claim code').fill('0000-0000-0000-0000');
    await resident.getByRole('button', { name: 'Claim' }).click();
    await expect(resident.getByText('There is no such claim code')).toBeVisible();
    await resident.goto('/registry/claim');
    await resident.getByLabel('Claim code').fill(code.toLowerCase());
    await resident.getByRole('button', { name: 'Claim' }).click();
    await expect(resident.getByRole('heading', { name: 'My resident card' })).toBeVisible();
    await expect(resident.getByRole('link', { name: 'Harbour Assembly' })).toBeVisible();
    await expect(resident.getByText('Nobody has read your data.')).toBeVisible();
    await checkPage(resident, 'registry-mine');

    // Replayed by someone else: refused.
    const other = await otherContext.newPage();
    await signUp(other, { login: `other-${stamp}`, name: `Other ${stamp}`, password: 'another-resident-2026' });
    await other.goto('/registry/claim');
    await other.getByLabel('Claim code').fill(code);
    await other.getByRole('button', { name: 'Claim' }).click();
    await expect(other.getByText('used already')).toBeVisible();

    // The registrar reads the data for a reason; the resident sees it.
    await desk.goto('/registry/desk');
    const number = (await resident.locator('dd').first().textContent()).trim();
    await desk.locator('#lookup-number').fill(number);
    await desk.getByLabel('Reason').fill('Reprint after a spelling check');
    await desk.getByRole('button', { name: 'Read and reprint the card' }).click();
    await expect(desk.getByText(name).first()).toBeVisible();
    await resident.goto('/registry/mine');
    await expect(resident.getByRole('cell', { name: 'Reprint after a spelling check' })).toBeVisible();
    await checkPage(resident, 'registry-mine-read');
  } finally {
    await registrarContext.close();
    await residentContext.close();
    await otherContext.close();
  }
});
