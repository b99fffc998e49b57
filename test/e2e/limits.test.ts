// Issue 13, "everything in config.json has a place in the window": a repository's limits by time of day, set as a
// person would in Chromium against the real `backstay serve`, saved to config.json, shown again after a reload, and
// given to real restic (0.14) by the next backup while the rule's hours last.
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { byTestId, startSession, waitForTerminalOp, type E2eSession } from './helpers.js';
import { seriousAxeViolations, tearDownAfterEach } from './teardown.js';

let ws: Workspace | null = null;
let session: E2eSession | null = null;

tearDownAfterEach(
  () => ({ session, ws }),
  () => {
    session = null;
    ws = null;
  },
);

/** Local "HH:MM" `hours` from now: the rule runs from two hours ago to two hours ahead, across midnight or not. */
function localClock(hours: number): string {
  const at = new Date(Date.now() + hours * 3_600_000);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

async function openRepoForm(page: Page) {
  await byTestId(page, 'nav-repos').click();
  await byTestId(page, 'repo-row-local').getByRole('button', { name: 'Edit', exact: true }).click();
  return byTestId(page, 'limit-rules');
}

describe('limits by time of day in the window (Chromium)', () => {
  it('a rule set in the form is saved, shown again after a reload, and given to restic by the next backup', async () => {
    // 3 MB of random data at 64 KiB/s is about 45 s of upload: time enough to read restic's command line.
    ws = await createWorkspace({ files: 1, fileBytes: 3_000_000 });
    await ws.writeConfig();
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);
    await byTestId(page, 'plan-row-home').waitFor({ timeout: 30_000 });

    const from = localClock(-2);
    const to = localClock(2);
    let rules = await openRepoForm(page);
    await rules.getByRole('button', { name: 'Add a time rule' }).click();
    const rule = byTestId(rules, 'limit-rule-0');
    for (const day of ['Sat', 'Sun']) await rule.getByRole('checkbox', { name: day, exact: true }).check();
    await rule.getByLabel('From', { exact: true }).fill(from);
    await rule.getByLabel('Until', { exact: true }).fill(to);
    await rule.getByLabel('Upload (KiB/s)').fill('64');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await byTestId(page, 'limit-rules').waitFor({ state: 'detached', timeout: 15_000 });

    const onDisk = JSON.parse(await readFile(path.join(ws.dataDir, 'config.json'), 'utf8')) as { repos: { limits?: unknown }[] };
    const week = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    expect(onDisk.repos[0]!.limits).toEqual({ rules: [{ days: week, from, to, uploadKiBs: 64 }] });

    // A reload keeps the place, and the form shows the rule as saved.
    await page.reload();
    rules = byTestId(page, 'limit-rules');
    if ((await rules.count()) === 0) rules = await openRepoForm(page);
    const shown = byTestId(rules, 'limit-rule-0');
    expect(await shown.getByLabel('From', { exact: true }).inputValue()).toBe(from);
    expect(await shown.getByLabel('Upload (KiB/s)').inputValue()).toBe('64');
    expect(await shown.getByRole('checkbox', { checked: true }).count()).toBe(7);
    await page.getByRole('button', { name: 'Discard', exact: true }).click();

    // The next backup runs inside the rule's hours: restic is started with the rule's upload limit.
    await byTestId(page, 'nav-dashboard').click();
    await byTestId(page, 'plan-row-home').getByRole('button', { name: 'Back up now', exact: true }).click();
    const client = session.serve.client;
    let pid: number | null = null;
    let opId = 0;
    await expect
      .poll(
        async () => {
          const { ops } = await client.rpc('ops.list', { limit: 5 });
          const backup = ops.find((o) => o.kind === 'backup');
          opId = backup?.id ?? 0;
          pid = backup?.resticPid ?? null;
          return pid !== null;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe(true);
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    expect(argv.slice(argv.indexOf('--limit-upload'), argv.indexOf('--limit-upload') + 2)).toEqual(['--limit-upload', '64']);
    expect(argv).not.toContain('--limit-download');
    await client.rpc('ops.cancel', { opId });
    expect((await waitForTerminalOp(client, opId, 60_000)).status).toBe('cancelled');
    expect(session.problems).toEqual([]);
  });
});
