// The guided first run in Chromium, against the real `backstay serve` on an EMPTY data directory and real restic
// 0.14 with a local repository (issue 13, "Setting up, for a non-expert"). The test counts what a person does
// (each click and each field typed is one action): a first backup in at most 8 actions, ending `success` with a
// snapshot; the typed password is in no RPC answer and not in config.json; axe finds nothing serious on each step;
// the folder browser (serve has no OS folder dialog) lists folders only, over fs.listDirs behind the token.
import { describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { en } from '../../renderer/src/i18n/en.js';
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

const MAX_ACTIONS = 8;

/** A person's actions, counted: a click, or a field typed (however many characters). */
function actionCounter() {
  const done: string[] = [];
  return {
    done,
    async click(target: Locator, what: string) {
      await target.click();
      done.push(`click ${what}`);
    },
    async type(target: Locator, text: string, what: string) {
      await target.fill(text);
      done.push(`type ${what}`);
    },
  };
}

describe('first run in Chromium', () => {
  it(`a first backup from an empty data directory in at most ${MAX_ACTIONS} actions, ending success with a snapshot`, async () => {
    ws = await createWorkspace({ init: false, files: 3 });
    expect(await readdir(ws.dataDir)).toEqual([]);
    session = await startSession(ws.dataDir);
    const { page } = session;
    const act = actionCounter();
    const axe: Record<string, string[]> = {};
    await page.goto(session.url);

    await act.click(page.getByRole('button', { name: en['dashboard.setup'] }), 'Set up your first backup');
    await byTestId(page, 'setup-view').waitFor({ timeout: 15_000 });
    await expect.poll(() => byTestId(page, 'folder-browser-path').textContent(), { timeout: 15_000 }).toMatch(/^\//);
    axe['folders'] = await seriousAxeViolations(page);
    await act.type(page.getByLabel(en['setup.folders.typed'], { exact: true }), ws.sourceDir, 'the folder');
    await act.click(page.getByRole('button', { name: en['setup.next'], exact: true }), 'Next');

    await page.getByRole('heading', { name: en['setup.repo.title'] }).waitFor({ timeout: 15_000 });
    axe['repo'] = await seriousAxeViolations(page);
    await act.type(byTestId(page, 'setup-field-path'), ws.repoPath, 'the repository folder');
    await act.type(byTestId(page, 'setup-password'), ws.password, 'the password');
    await act.click(page.getByRole('button', { name: en['setup.repo.connect'], exact: true }), 'Connect');

    await page.getByRole('heading', { name: en['setup.schedule.title'], level: 3 }).waitFor({ timeout: 60_000 });
    axe['schedule'] = await seriousAxeViolations(page);
    await act.click(page.getByRole('button', { name: en['setup.start'], exact: true }), 'Start the first backup');

    // The dashboard shows the plan; its backup ends `success`, with a snapshot in the repository.
    await byTestId(page, 'plan-status-source', 'success').waitFor({ timeout: 90_000 });
    expect(act.done.length, act.done.join('\n')).toBeLessThanOrEqual(MAX_ACTIONS);
    expect(axe).toEqual({ folders: [], repo: [], schedule: [] });
    const { ops } = await session.serve.client.rpc('ops.list', { planId: 'source', kind: 'backup' });
    expect(ops).toHaveLength(1);
    const op = await waitForTerminalOp(session.serve.client, ops[0]!.id, 60_000);
    expect(op.status).toBe('success');
    expect(op.snapshotId).toMatch(/^[0-9a-f]{8,64}$/);
    // --no-lock: the plan's retention (forget) may hold the repository's lock right after the backup.
    const listed = await ws.restic(['snapshots', '--json', '--no-lock']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const snapshots = JSON.parse(listed.stdout) as { id: string; paths: string[] }[];
    expect(snapshots.map((s) => s.paths)).toEqual([[ws.sourceDir]]);
    expect(snapshots[0]!.id.startsWith(op.snapshotId!)).toBe(true);

    // The password is nowhere it must not be: config.json, config.get, state.get.
    const configText = await readFile(path.join(ws.dataDir, 'config.json'), 'utf8');
    expect(configText).not.toContain(ws.password);
    expect(JSON.parse(configText).plans[0]).toMatchObject({ id: 'source', repo: 'local', paths: [ws.sourceDir], schedule: { cron: '0 21 * * *' } });
    expect(JSON.stringify(await session.serve.client.rpc('config.get', {}))).not.toContain(ws.password);
    expect(JSON.stringify(await session.serve.client.rpc('state.get', {}))).not.toContain(ws.password);
    expect(session.problems).toEqual([]);
  });

  it('the folder browser walks folders (never files) and chooses one', async () => {
    ws = await createWorkspace({ init: false, files: 0 });
    const top = path.join(ws.root, 'browse');
    await mkdir(path.join(top, 'Pictures', '2024'), { recursive: true });
    await writeFile(path.join(top, 'notes.txt'), 'a file');
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);
    await page.getByRole('button', { name: en['dashboard.setup'] }).waitFor({ timeout: 15_000 });
    // The setup view has an address of its own: typed into the address bar, it opens.
    await page.evaluate(() => {
      window.location.hash = '#/setup';
    });
    const browser = byTestId(page, 'folder-browser');
    await browser.waitFor({ timeout: 15_000 });
    await expect.poll(() => byTestId(page, 'folder-browser-path').textContent(), { timeout: 15_000 }).toMatch(/^\//);
    // Up to the root, then down to the test's folder, one click per folder, as a person would.
    let at = await byTestId(page, 'folder-browser-path').textContent();
    while (at && at !== '/') {
      await browser.getByRole('button', { name: en['setup.browser.up'] }).click();
      await expect.poll(() => byTestId(page, 'folder-browser-path').textContent(), { timeout: 10_000 }).not.toBe(at);
      at = await byTestId(page, 'folder-browser-path').textContent();
    }
    for (const name of path.relative('/', path.join(top, 'Pictures')).split('/')) {
      await browser.getByRole('button', { name, exact: true }).click();
      await expect.poll(() => byTestId(page, 'folder-browser-path').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`${name}$`));
      if (name === 'browse') {
        await expect.poll(() => browser.locator('.folder-entry').allTextContents(), { timeout: 10_000 }).toEqual(['Pictures']);
      }
    }
    await browser.getByRole('button', { name: en['setup.browser.chooseThis'] }).click();
    await expect.poll(() => byTestId(page, 'chosen-folders').textContent(), { timeout: 10_000 }).toContain('Pictures');
    expect(session.problems).toEqual([]);
  });
});
