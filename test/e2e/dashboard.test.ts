// The window in Chromium against the real `backstay serve` and a real local restic repository: the plans appear,
// the token leaves the address bar, "Back up now" runs a real backup whose progress and success show, the
// operation and its restic output are in Operations, the language switches both ways, and nothing is logged as
// an error on the way.
import { describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { uploadLimitFlags, writeRandomFiles } from '../serve/serve-harness.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { byTestId, liveOpId, startSession, type E2eSession } from './helpers.js';
import { tearDownAfterEach } from './teardown.js';

let ws: Workspace | null = null;
let session: E2eSession | null = null;

tearDownAfterEach(
  () => ({ session, ws }),
  () => {
    session = null;
    ws = null;
  },
);

describe('dashboard in Chromium', () => {
  it('shows the plans, backs one up for real, lists it in Operations, and switches language', async () => {
    ws = await createWorkspace({ files: 0 });
    // 6 MiB at 3 MiB/s: long enough for the live progress to be on screen, short enough to keep the test quick.
    await writeRandomFiles(ws.sourceDir, 6, 1024 * 1024);
    const docsDir = path.join(ws.root, 'docs');
    await mkdir(docsDir);
    await writeRandomFiles(docsDir, 2, 4096, 'doc');
    await ws.writeConfig({
      repos: [{ id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile }, flags: uploadLimitFlags(3072) }],
      plans: [
        { id: 'home', repo: 'local', paths: [ws.sourceDir] },
        { id: 'docs', repo: 'local', paths: [docsDir] },
      ],
    });
    session = await startSession(ws.dataDir);
    const { page } = session;

    await page.goto(session.url);
    const home = byTestId(page, 'plan-row-home');
    await home.waitFor({ timeout: 30_000 });
    await byTestId(page, 'plan-row-docs').waitFor();
    await expect.poll(() => byTestId(page, 'plan-status-home').textContent()).toBe('Not run yet');
    // The token was taken from the fragment and the address bar no longer shows it.
    expect(page.url()).not.toContain('token');
    await expect.poll(() => page.getByRole('button', { name: 'Back up now', exact: true }).count()).toBe(2);

    await home.getByRole('button', { name: 'Back up now', exact: true }).click();
    // The live operation appears in the plan's row (queued, then running with numbers), then it ends in success.
    const opId = await liveOpId(home, 30_000);
    await byTestId(home, `op-progress-${opId}`, 'running').waitFor({ timeout: 30_000 });
    await byTestId(page, 'plan-status-home', 'success').waitFor({ timeout: 60_000 });
    expect(await byTestId(page, 'plan-status-home').textContent()).toBe('Success');
    expect(await byTestId(page, `op-progress-${opId}`).count()).toBe(0);
    expect(await byTestId(page, 'plan-status-docs').getAttribute('data-status')).toBe('never');
    await byTestId(page, 'overall-status', 'ok').waitFor({ timeout: 10_000 });

    await byTestId(page, 'nav-operations').click();
    const row = byTestId(page, `op-row-${opId}`);
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    const detail = byTestId(page, `op-detail-${opId}`);
    await detail.waitFor({ timeout: 15_000 });
    // The detail names the snapshot restic saved (as the oplog recorded it) and shows restic's output.
    const recorded = await session.serve.client.rpc('ops.get', { opId });
    expect(recorded.status).toBe('success');
    expect(recorded.snapshotId).toBeTruthy();
    await expect.poll(() => detail.textContent(), { timeout: 15_000 }).toContain(recorded.snapshotId!);
    await expect.poll(() => detail.getByTestId('op-log').textContent(), { timeout: 15_000 }).toMatch(/restic .*backup/);

    await byTestId(page, 'nav-settings').click();
    await byTestId(page, 'language-select').selectOption('zh-CN');
    await byTestId(page, 'nav-dashboard').click();
    await expect.poll(() => page.getByRole('button', { name: '立即备份', exact: true }).count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Back up now', exact: true }).count()).toBe(0);
    expect(await byTestId(page, 'plan-status-home').textContent()).toBe('成功');

    await byTestId(page, 'nav-settings').click();
    await byTestId(page, 'language-select').selectOption('en');
    await byTestId(page, 'nav-dashboard').click();
    await expect.poll(() => page.getByRole('button', { name: 'Back up now', exact: true }).count()).toBe(2);

    expect(session.problems).toEqual([]);
  });
});
