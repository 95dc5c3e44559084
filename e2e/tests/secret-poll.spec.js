// The main scenario, as people meet it: a resident signs up, joins the Riverside assembly and
// files a motion; the facilitator opens a secret poll on it; members vote in their own browsers
// and keep receipt codes; the poll closes; the result is public and every receipt is found among
// the published ballots, while a wrong code is not.
const { test, expect, signIn } = require('./fixtures');

const FOUND = 'Your ballot is among the published ballots.';

/** A browser context of its own per person, so sessions never mix. */
async function person(browser, server) {
  const context = await browser.newContext({ baseURL: server.baseURL, locale: 'en-GB' });
  const page = await context.newPage();
  return { context, page };
}

/** The result section of a closed poll: the section whose heading is "Result". */
function resultSection(page) {
  return page
    .locator('section, [role="region"]')
    .filter({ has: page.getByRole('heading', { name: 'Result', exact: true }) })
    .first();
}

/** Picks an option of a control labelled `label`, whether it is a <select> or a radio group. */
async function choose(page, label, option) {
  const field = page.getByLabel(label, { exact: true });
  if ((await field.count()) > 0 && (await field.first().evaluate((el) => el.tagName)) === 'SELECT') {
    await field.first().selectOption({ label: option });
    return;
  }
  const group = page.getByRole('radiogroup', { name: label }).or(page.getByRole('group', { name: label }));
  await group.first().getByRole('radio', { name: option, exact: true }).check();
}

/** Casts a vote on the open poll page; returns the receipt code shown afterwards. */
async function castVote(page, pollUrl, choice, onReceipt = async () => {}) {
  await page.goto(pollUrl);
  const group = page.getByRole('radiogroup', { name: 'Your vote' }).or(page.getByRole('group', { name: 'Your vote' }));
  await expect(group.first()).toBeVisible();
  await group.first().getByRole('radio', { name: choice, exact: true }).check();
  await page.getByRole('button', { name: 'Cast vote' }).click();
  const receipt = page.getByTestId('receipt-code');
  await expect(receipt).toBeVisible();
  const code = (await receipt.innerText()).trim();
  expect(code, 'receipt code').not.toBe('');
  await onReceipt(page);
  // One vote per member: the form is gone once the vote is in.
  await page.goto(pollUrl);
  await expect(page.getByRole('button', { name: 'Cast vote' })).toHaveCount(0);
  return code;
}

/** A different code of the same shape: the last letter or digit changed. */
function wrongCode(code) {
  const chars = [...code];
  for (let i = chars.length - 1; i >= 0; i--) {
    const c = chars[i];
    if (/[0-9]/.test(c)) { chars[i] = c === '9' ? '0' : String(Number(c) + 1); return chars.join(''); }
    if (/[a-y]/i.test(c)) { chars[i] = String.fromCharCode(c.charCodeAt(0) + 1); return chars.join(''); }
    if (/[zZ]/.test(c)) { chars[i] = c === 'z' ? 'a' : 'A'; return chars.join(''); }
  }
  return `${code}0`;
}

async function checkReceipt(page, code) {
  await page.getByLabel('Receipt code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Check receipt' }).click();
  await page.waitForLoadState('load');
}

test('a resident files a motion, members vote in secret, receipts check out', async ({ browser, server, checkPage }) => {
  const stamp = Date.now().toString(36);
  const resident = { login: `rosa-${stamp}`, name: `Rosa Resident ${stamp}`, password: 'river-side-resident-2026' };
  const motionTitle = `Light the river path at night (${stamp})`;
  const motionText = 'The assembly asks the city to light the river path between the two bridges with warm, low lamps that spare the bats.';
  const people = [];
  const open = async () => {
    const p = await person(browser, server);
    people.push(p);
    return p.page;
  };

  try {
    const rosa = await open();
    const facilitator = await open();

    await test.step('a resident signs up', async () => {
      await rosa.goto('/');
      await rosa.getByRole('link', { name: 'Sign up' }).click();
      await expect(rosa).toHaveURL(/\/signup$/);
      await rosa.getByLabel('Login name', { exact: true }).fill(resident.login);
      await rosa.getByLabel('Display name', { exact: true }).fill(resident.name);
      await rosa.getByLabel('Password', { exact: true }).fill(resident.password);
      await rosa.getByRole('button', { name: 'Create account' }).click();
      await expect(rosa).toHaveURL(new RegExp(`^${server.baseURL}/(\\?.*)?$`));
      await expect(rosa.getByText(resident.name).first()).toBeVisible();
      await expect(rosa.getByRole('button', { name: 'Sign out' })).toBeVisible();
      await checkPage(rosa, 'home-signed-in');
    });

    await test.step('the resident joins the Riverside assembly', async () => {
      await rosa.getByRole('link', { name: 'Riverside Assembly' }).click();
      await expect(rosa).toHaveURL(/\/bodies\/riverside$/);
      await expect(rosa.getByRole('heading', { level: 1 })).toHaveText('Riverside Assembly');
      await checkPage(rosa, 'assembly-non-member');
      await rosa.getByRole('button', { name: 'Join this assembly' }).click();
      await rosa.goto('/bodies/riverside');
      if ((await rosa.getByRole('link', { name: 'File a motion' }).count()) === 0) {
        // The charter asks for approval: the facilitator approves the request.
        test.info().annotations.push({ type: 'note', description: 'joining Riverside needed the facilitator\'s approval' });
        await checkPage(rosa, 'assembly-join-requested');
        await signIn(facilitator, 'facilitator');
        await facilitator.goto('/bodies/riverside');
        const request = facilitator
          .locator('li, tr, form')
          .filter({ hasText: resident.name })
          .getByRole('button', { name: /approve/i });
        await expect(request.first()).toBeVisible();
        await checkPage(facilitator, 'assembly-facilitator-requests');
        await request.first().click();
        await rosa.goto('/bodies/riverside');
      }
      await expect(rosa.getByRole('link', { name: 'File a motion' })).toBeVisible();
      await expect(rosa.getByRole('button', { name: 'Join this assembly' })).toHaveCount(0);
      await checkPage(rosa, 'assembly-member');
    });

    let motionUrl;
    await test.step('the resident files a motion and argues for it', async () => {
      await rosa.getByRole('link', { name: 'File a motion' }).click();
      await expect(rosa).toHaveURL(/\/bodies\/riverside\/motions\/new$/);
      const kind = rosa.getByLabel('Kind', { exact: true });
      await expect(kind).toBeVisible();
      const kinds = await kind.locator('option').allInnerTexts();
      const policy = kinds.find((k) => /policy/i.test(k));
      if (policy) await kind.selectOption({ label: policy });
      await rosa.getByLabel('Title', { exact: true }).fill(motionTitle);
      await rosa.getByLabel('Text', { exact: true }).fill(motionText);
      await checkPage(rosa, 'motion-new');
      await rosa.getByRole('button', { name: 'File motion' }).click();
      await expect(rosa).toHaveURL(/\/motions\/[^/?#]+$/);
      motionUrl = new URL(rosa.url()).pathname;
      await expect(rosa.getByRole('heading', { level: 1 })).toHaveText(motionTitle);
      await expect(rosa.getByText(motionText)).toBeVisible();

      await choose(rosa, 'Side', 'For');
      const argument = 'People walk home along the river after late shifts; today it is dark.';
      await rosa.getByLabel('Argument', { exact: true }).fill(argument);
      await rosa.getByRole('button', { name: 'Add argument' }).click();
      await expect(rosa.getByText(argument)).toBeVisible();
      // Only facilitators open polls.
      await expect(rosa.getByRole('button', { name: 'Open poll' })).toHaveCount(0);
      await checkPage(rosa, 'motion');

      await rosa.goto('/bodies/riverside');
      await expect(rosa.getByRole('link', { name: motionTitle })).toHaveAttribute('href', motionUrl);
    });

    let pollUrl;
    let opened;
    await test.step('the facilitator opens a secret poll closing in one minute', async () => {
      if ((await facilitator.getByRole('button', { name: 'Sign out' }).count()) === 0) {
        await signIn(facilitator, 'facilitator');
      }
      await facilitator.goto('/bodies/riverside');
      await expect(facilitator.getByRole('link', { name: 'Schedule a meeting' })).toBeVisible();
      await facilitator.goto(motionUrl);
      await choose(facilitator, 'Secrecy', 'Secret');
      await facilitator.getByLabel('Closes in (minutes)', { exact: true }).fill('1');
      await checkPage(facilitator, 'motion-facilitator');
      await facilitator.getByRole('button', { name: 'Open poll' }).click();
      opened = Date.now();
      await expect(facilitator).toHaveURL(/\/polls\/[^/?#]+$/);
      pollUrl = new URL(facilitator.url()).pathname;
      await expect(facilitator.getByRole('heading', { name: 'Result', exact: true })).toHaveCount(0);
      await checkPage(facilitator, 'poll-open-facilitator');
    });

    // The roll is fixed when the poll opens: the resident, a member by then, is on it.
    const ballots = [
      { who: 'member1', choice: 'Yes' },
      { who: 'member2', choice: 'Yes' },
      { who: 'member3', choice: 'No' },
      { who: resident.login, choice: 'Yes', page: rosa },
    ];
    await test.step('three members and the resident vote, each in their own browser', async () => {
      for (const ballot of ballots) {
        if (!ballot.page) {
          ballot.page = await open();
          await signIn(ballot.page, ballot.who);
        }
        if (ballot.who === 'member1') {
          await ballot.page.goto(pollUrl);
          await checkPage(ballot.page, 'poll-open-voter');
        }
        ballot.code = await castVote(ballot.page, pollUrl, ballot.choice, async (page) => {
          if (ballot.who === 'member1') await checkPage(page, 'poll-voted-receipt');
        });
        if (ballot.who === 'member1') await checkPage(ballot.page, 'poll-voted');
      }
      const codes = ballots.map((b) => b.code);
      expect(new Set(codes).size, `receipt codes are distinct: ${codes.join(', ')}`).toBe(codes.length);

      // Someone signed out sees the poll but cannot vote.
      const visitor = await open();
      await visitor.goto(pollUrl);
      await expect(visitor.getByRole('button', { name: 'Cast vote' })).toHaveCount(0);
      await checkPage(visitor, 'poll-open-public');
    });

    await test.step('the poll closes and the result is published', async () => {
      const result = resultSection(facilitator);
      await expect(async () => {
        await facilitator.goto(pollUrl);
        await expect(facilitator.getByRole('heading', { name: 'Result', exact: true })).toBeVisible({ timeout: 1000 });
      }).toPass({ intervals: [2000], timeout: 60 * 1000 + 120 * 1000 - (Date.now() - opened) });
      test.info().annotations.push({ type: 'note', description: `poll closed ${Math.round((Date.now() - opened) / 1000)} s after opening` });
      await expect(result).toContainText('Passed');
      await expect(result).not.toContainText('Failed');
      // Counts: 3 yes, 1 no, 0 abstain ("Yes 3", "Yes: 3", a table row or a term and its value).
      const shown = await result.innerText();
      for (const [choice, count] of [['Yes', 3], ['No', 1], ['Abstain', 0]]) {
        expect(shown, `the result shows ${count} × ${choice}`).toMatch(new RegExp(`^\\s*${choice}\\s*:?\\s*${count}\\s*$`, 'm'));
      }
      await expect(facilitator.getByRole('button', { name: 'Cast vote' })).toHaveCount(0);
      // The published ballots carry every receipt code handed out, and no voter's name.
      const page = await facilitator.locator('main').innerText();
      for (const ballot of ballots) expect(page, `receipt ${ballot.code} is published`).toContain(ballot.code);
      expect(page, 'the resident\'s name is not on the secret poll page').not.toContain(resident.name);
      await checkPage(facilitator, 'poll-closed');
    });

    await test.step('every receipt is among the published ballots; a wrong code is not', async () => {
      for (const ballot of ballots) {
        await ballot.page.goto(pollUrl);
        await checkReceipt(ballot.page, ballot.code);
        await expect(ballot.page.getByText(FOUND)).toBeVisible();
        // The published ballot says what was voted (contract note: "… It says: Yes").
        await expect(ballot.page.getByText(FOUND)).toContainText(`It says: ${ballot.choice}`);
      }
      await checkPage(ballots[0].page, 'poll-receipt-found');

      // Anyone can check a code, signed in or not; a wrong one is not found.
      const visitor = await open();
      await visitor.goto(pollUrl);
      await checkReceipt(visitor, ballots[1].code);
      await expect(visitor.getByText(FOUND)).toBeVisible();
      await visitor.goto(pollUrl);
      const wrong = wrongCode(ballots[1].code);
      expect(ballots.map((b) => b.code)).not.toContain(wrong);
      await checkReceipt(visitor, wrong);
      await expect(visitor.getByText(FOUND)).toHaveCount(0);
      await expect(visitor.getByText(/no published ballot|not found|not among/i).first()).toBeVisible();
      await expect(visitor.getByLabel('Receipt code', { exact: true })).toBeVisible();
      await checkPage(visitor, 'poll-receipt-not-found');
    });

    await test.step('a member visits a meeting of the assembly', async () => {
      const member = ballots[0].page;
      await member.goto('/bodies/riverside');
      const meetings = member.locator('a[href^="/meetings/"]');
      if ((await meetings.count()) === 0) {
        test.info().annotations.push({ type: 'note', description: 'no meeting listed on /bodies/riverside' });
        return;
      }
      await meetings.first().click();
      await expect(member).toHaveURL(/\/meetings\/[^/?#]+$/);
      await expect(member.getByRole('heading', { level: 1 })).toBeVisible();
      await checkPage(member, 'meeting');
    });

    await test.step('the resident signs out', async () => {
      await rosa.goto('/');
      await rosa.getByRole('button', { name: 'Sign out' }).click();
      await expect(rosa.getByRole('link', { name: 'Sign in' })).toBeVisible();
      await expect(rosa.getByText(resident.name)).toHaveCount(0);
    });
  } finally {
    for (const p of people) await p.context.close();
  }
});
