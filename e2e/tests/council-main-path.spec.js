// The confederation's main path, driven through the pages, each person in a browser context of
// their own: the West Municipal Council's clerk files a policy; Old Town and Harbour mandate
// their delegates (a poll in each assembly, closed once every member has voted); the council
// votes in the open and one of Old Town's delegates votes against the mandate, which opens a
// recall petition at once; an Old Town member signs it, the recall poll passes, and the seat is
// redrawn by lot from the same seed; the council passes the policy and the clerk sends it to
// the assemblies, which ratify it by double majority. axe scans every page visited.
const { test, expect, signIn } = require('./fixtures');

const NAMES = {
  'Rosa Martín': 'facilitator',
  'Amadou Diallo': 'member1',
  'Lucía Fernández': 'member2',
  'Tom Becker': 'member3',
  'Ana Souza': 'ana',
  'Bilal Haddad': 'bilal',
  'Chen Wei': 'chen',
  'Dolores Ruiz': 'dolores',
  'Emeka Obi': 'emeka',
  'Fátima Benali': 'fatima',
  'Gus Larsen': 'gus',
  'Hana Kato': 'hana',
  'Iván Petrov': 'ivan',
  'Jo Murphy': 'jo',
};
const OLD_TOWN = ['dolores', 'emeka', 'fatima', 'gus'];
const HARBOUR = ['ivan', 'jo', 'hana', 'ana'];
const TITLE = 'Car-free Sundays across the West';

test('assemblies mandate, the council votes, a deviating delegate is recalled and replaced, the policy is ratified', async ({
  browser,
  server,
  checkPage,
}) => {
  test.setTimeout(8 * 60 * 1000);
  const pages = {};
  /** The page of `login`'s own browser context, signed in. */
  async function as(login) {
    if (!pages[login]) {
      const context = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
      pages[login] = await context.newPage();
      await signIn(pages[login], login);
    }
    return pages[login];
  }
  async function vote(login, pollUrl, choice) {
    const page = await as(login);
    await page.goto(pollUrl);
    const group = page.getByRole('group', { name: 'Your vote' });
    await group.getByRole('radio', { name: choice, exact: true }).check();
    await page.getByRole('button', { name: 'Cast vote' }).click();
    await expect(page.getByRole('button', { name: 'Cast vote' })).toHaveCount(0);
  }
  /** Reloads `url` in `page` until `locator(page)` shows `text`. */
  async function until(page, url, locator, text, timeout = 120 * 1000) {
    await expect
      .poll(
        async () => {
          await page.goto(url);
          return (await locator(page).innerText()).includes(text);
        },
        { timeout, intervals: [1000, 2000, 3000] },
      )
      .toBe(true);
  }
  const seatsRow = (page, body) => page.getByRole('table').first().getByRole('row').filter({ hasText: body });
  async function delegatesOf(page, body) {
    await page.goto('/councils/west-council');
    const names = await seatsRow(page, body).getByRole('link').allInnerTexts();
    return names.filter((n) => n !== body).map((n) => NAMES[n]);
  }

  // The forms that start things: a new council, and a constituent's facilitator's view of the
  // East Council (election, dispute).
  const clerk = await as('clerk');
  await clerk.goto('/councils/new');
  await expect(clerk.getByRole('button', { name: 'Create the council' })).toBeVisible();
  await checkPage(clerk, 'main-council-new');
  const fatima = await as('fatima');
  await fatima.goto('/councils/east-council');
  await expect(fatima.getByRole('button', { name: 'Bring a dispute' })).toBeVisible();
  await expect(fatima.getByRole('button', { name: 'Count and seat the elected' })).toBeVisible();
  await checkPage(fatima, 'main-council-east-facilitator');

  // The clerk files the policy in the council.
  await clerk.goto('/bodies/west-council/motions/new');
  await clerk.getByLabel('Kind', { exact: true }).selectOption({ label: 'Policy' });
  await clerk.getByLabel('Title', { exact: true }).fill(TITLE);
  await clerk.getByLabel('Text', { exact: true }).fill('Close the West’s main streets to cars every Sunday from 9:00 to 20:00.');
  await clerk.getByRole('button', { name: 'File motion' }).click();
  await expect(clerk).toHaveURL(/\/motions\//);
  const motionUrl = new URL(clerk.url()).pathname;

  // Old Town and Harbour ask their members; every member votes, and the mandate is decided.
  for (const [facilitator, body, members, choice] of [
    ['dolores', 'Old Town Assembly', OLD_TOWN, 'Yes'],
    ['ivan', 'Harbour Assembly', HARBOUR, 'Yes'],
  ]) {
    const page = await as(facilitator);
    await page.goto('/councils/west-council');
    await page.getByLabel(`Closes in (minutes) (${body})`).fill('30');
    if (facilitator === 'dolores') await checkPage(page, 'main-council-facilitator');
    await page.getByRole('button', { name: `Ask our members for a mandate (${body})` }).click();
    await expect(page).toHaveURL(/\/polls\//);
    const pollUrl = new URL(page.url()).pathname;
    if (facilitator === 'dolores') await checkPage(page, 'main-mandate-poll');
    for (const m of members) await vote(m, pollUrl, choice);
    await until(page, '/councils/west-council', (p) => p.getByRole('region', { name: 'Agenda items and mandates' }), `${body}: Yes`);
  }
  await clerk.goto('/councils/west-council');
  await checkPage(clerk, 'main-council-mandated');

  // The council votes in the open; one of Old Town's delegates votes against the mandate.
  const oldTown = await delegatesOf(clerk, 'Old Town Assembly');
  const riverside = await delegatesOf(clerk, 'Riverside Assembly');
  const harbour = await delegatesOf(clerk, 'Harbour Assembly');
  expect(oldTown.length, `Old Town's delegates: ${oldTown}`).toBe(2);
  const [deviator, loyal] = oldTown;
  await clerk.goto(motionUrl);
  await clerk.getByLabel('Secrecy', { exact: true }).selectOption({ label: 'Open' });
  await clerk.getByLabel('Closes in (minutes)', { exact: true }).fill('1');
  await clerk.getByRole('button', { name: 'Open poll' }).click();
  await expect(clerk).toHaveURL(/\/polls\//);
  const councilPoll = new URL(clerk.url()).pathname;
  const councilPollOpened = Date.now();
  await vote(deviator, councilPoll, 'No');
  for (const d of [loyal, ...riverside, ...harbour]) await vote(d, councilPoll, 'Yes');
  await vote('clerk', councilPoll, 'Yes');
  await checkPage(clerk, 'main-council-poll');

  // The vote against the mandate is public at once, and the charter opened a recall petition.
  const dolores = await as('dolores');
  await dolores.goto('/councils/west-council');
  const deviatorName = Object.keys(NAMES).find((n) => NAMES[n] === deviator);
  await expect(dolores.getByRole('region', { name: 'Votes against mandates' })).toContainText(deviatorName);
  await dolores
    .getByRole('region', { name: 'Recall petitions' })
    .getByRole('link', { name: new RegExp(deviatorName) })
    .last()
    .click();
  await expect(dolores).toHaveURL(/\/recalls\//);
  const recallUrl = new URL(dolores.url()).pathname;
  await expect(dolores.locator('dl')).toContainText('gathering signatures');
  await checkPage(dolores, 'main-recall-gathering');
  const signer = OLD_TOWN.find((m) => m !== deviator);
  const signerPage = await as(signer);
  await signerPage.goto(recallUrl);
  await signerPage.getByRole('button', { name: 'Sign the petition' }).click();
  await expect(signerPage.locator('dl')).toContainText('recall poll open');
  await signerPage.getByRole('link', { name: 'The recall poll' }).click();
  const recallPoll = new URL(signerPage.url()).pathname;
  await checkPage(signerPage, 'main-recall-poll');
  for (const m of OLD_TOWN) await vote(m, recallPoll, m === deviator ? 'No' : 'Yes');
  await until(signerPage, recallUrl, (p) => p.locator('dl'), 'recalled');
  await checkPage(signerPage, 'main-recall-recalled');

  // Replaced: the seat is redrawn by lot; the recalled delegate no longer sits for Old Town.
  const after = await delegatesOf(clerk, 'Old Town Assembly');
  expect(after).not.toContain(deviator);
  expect(after).toContain(loyal);
  expect(after.length).toBe(2);
  await expect(seatsRow(clerk, 'Old Town Assembly')).toContainText('redrawn by lot');
  await checkPage(clerk, 'main-council-replaced');

  // The council poll closes; the policy passed and waits for ratification.
  await clerk.waitForTimeout(Math.max(0, councilPollOpened + 62 * 1000 - Date.now()));
  await until(clerk, '/councils/west-council', (p) => p.locator('main'), 'Send to the constituents for ratification');
  const sendForm = clerk.locator('form').filter({ hasText: TITLE });
  await sendForm.getByLabel('Closes in (minutes)').fill('1');
  await checkPage(clerk, 'main-council-to-ratify');
  await sendForm.getByRole('button', { name: 'Send to the constituents for ratification' }).click();
  await expect(clerk).toHaveURL(/\/ratifications\//);
  const ratificationUrl = new URL(clerk.url()).pathname;
  const sent = Date.now();
  await checkPage(clerk, 'main-ratification-open');

  // Members of each assembly decide in their assembly's poll.
  const polls = {};
  for (const link of await clerk.getByRole('region', { name: "The assemblies' polls" }).getByRole('link').all()) {
    polls[await link.innerText()] = await link.getAttribute('href');
  }
  const ballots = [
    ['Riverside Assembly', 'member1', 'Yes'],
    ['Riverside Assembly', 'member2', 'Yes'],
    ['Old Town Assembly', 'emeka', 'Yes'],
    ['Harbour Assembly', 'ivan', 'No'],
    ['Harbour Assembly', 'jo', 'Yes'],
    ['Harbour Assembly', 'hana', 'Yes'],
  ];
  for (const [body, who, choice] of ballots) {
    expect(polls[body], `a poll in ${body}: ${JSON.stringify(polls)}`).toBeTruthy();
    await vote(who, polls[body], choice);
  }
  await clerk.waitForTimeout(Math.max(0, sent + 62 * 1000 - Date.now()));
  await expect
    .poll(
      async () => {
        await clerk.goto(ratificationUrl);
        return (await clerk.locator('main').innerText()).includes('The constituents are still deciding.');
      },
      { timeout: 120 * 1000, intervals: [1000, 2000, 3000] },
    )
    .toBe(false);
  await expect(clerk.locator('dl')).toContainText('ratified');
  await expect(clerk.locator('dl')).not.toContainText('not ratified');
  const results = clerk.getByRole('table');
  for (const name of ['Riverside Assembly', 'Old Town Assembly', 'Harbour Assembly']) await expect(results).toContainText(name);
  await checkPage(clerk, 'main-ratification-ratified');
  await clerk.goto(ratificationUrl + '?lang=es');
  await expect(clerk.locator('dl')).toContainText('ratificada');
  await checkPage(clerk, 'main-ratification-ratified-es');

  for (const page of Object.values(pages)) await page.context().close();
});
