// An assembly whose charter asks for approval: the demo's Old Town Assembly (facilitator
// `dolores`, see crates/plenum_web/src/demo.rs). Joining waits until the facilitator approves.
const { test, expect, signIn, signUp } = require('./fixtures');

test('joining an assembly that asks for approval waits for the facilitator', async ({ browser, server, checkPage }) => {
  const stamp = Date.now().toString(36);
  const resident = { login: `omar-${stamp}`, name: `Omar Newcomer ${stamp}`, password: 'old-town-resident-2026' };
  const newcomerContext = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  const facilitatorContext = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  try {
    const newcomer = await newcomerContext.newPage();
    await signUp(newcomer, resident);
    await newcomer.goto('/bodies/old-town');
    await expect(newcomer.getByRole('heading', { level: 1 })).toHaveText('Old Town Assembly');
    await newcomer.getByRole('button', { name: 'Join this assembly' }).click();
    await newcomer.goto('/bodies/old-town');
    await expect(newcomer.getByRole('button', { name: 'Join this assembly' })).toHaveCount(0);
    await expect(newcomer.getByRole('link', { name: 'File a motion' })).toHaveCount(0);
    await checkPage(newcomer, 'assembly-join-waiting');

    const facilitator = await facilitatorContext.newPage();
    await signIn(facilitator, 'dolores');
    await facilitator.goto('/bodies/old-town');
    const approve = facilitator
      .getByRole('listitem')
      .filter({ hasText: resident.name })
      .getByRole('button', { name: /approve/i });
    await expect(approve).toBeVisible();
    await checkPage(facilitator, 'assembly-requests');
    await approve.click();
    await facilitator.goto('/bodies/old-town');
    await expect(approve).toHaveCount(0);

    await newcomer.goto('/bodies/old-town');
    await expect(newcomer.getByRole('link', { name: 'File a motion' })).toBeVisible();
  } finally {
    await newcomerContext.close();
    await facilitatorContext.close();
  }
});
