// Issue 14 in the window, as a person would meet it in Chromium against the real `backstay serve` and real restic:
// browse to a file that changed across three backups and open its History (three versions), find it by name across
// all snapshots, download it, then delete another file, back up, and get it back with "Show deleted".
import { describe, expect, it } from 'vitest';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { backUpNow, byTestId, startSession, type E2eSession } from './helpers.js';
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

describe('history, search and undelete in the window (Chromium)', () => {
  it('History shows 3 versions, search finds the file, and Show deleted restores a deleted one', async () => {
    ws = await createWorkspace({ files: 1 });
    const notes = path.join(ws.sourceDir, 'notes.txt');
    const gone = path.join(ws.sourceDir, 'gone.txt');
    await ws.writeConfig();
    session = await startSession(ws.dataDir);
    await writeFile(gone, 'keep me');
    for (const text of ['one', 'two two', 'three three three']) {
      await writeFile(notes, text);
      await backUpNow(session.serve.client, 'home');
    }
    await rm(gone);
    const latest = (await backUpNow(session.serve.client, 'home')).slice(0, 8);

    const { page } = session;
    await page.goto(session.url);
    await byTestId(page, 'nav-snapshots').click();
    await page.getByRole('button', { name: `Browse snapshot ${latest}` }).click({ timeout: 20_000 });
    for (const folder of ws.sourceDir.split('/').filter(Boolean)) {
      await page.getByRole('button', { name: `Open ${folder}`, exact: true }).click({ timeout: 20_000 });
    }

    // History of a file changed across three backups (the fourth left it as it was).
    await page.getByRole('button', { name: 'Show the history of notes.txt' }).click();
    const versions = byTestId(page, 'history-versions').locator('[data-testid="history-version"]');
    await expect.poll(() => versions.count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => byTestId(page, 'history-indexing').count(), { timeout: 30_000 }).toBe(0);
    const sizes = await versions.evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[1]!.textContent));
    expect(sizes).toEqual(['17 B', '7 B', '3 B']);

    // Download the newest version through the browser's own save.
    const downloadStarted = page.waitForEvent('download');
    await byTestId(page, 'history-versions').getByRole('button', { name: 'Download Version 3 notes.txt' }).click();
    const download = await downloadStarted;
    expect(download.suggestedFilename()).toBe('notes.txt');
    expect(await readFile((await download.path())!, 'utf8')).toBe('three three three');

    // Search across all snapshots finds it, with its versions.
    await page.getByLabel('Find in all snapshots').fill('notes');
    const result = byTestId(page, 'history-search-results').locator('[data-testid="history-search-result"]', { hasText: notes });
    await result.waitFor({ timeout: 20_000 });
    expect(await result.textContent()).toMatch(/versions: 3/);

    // Undelete: the folder shows what the latest snapshot no longer has; restore it from its last snapshot.
    await byTestId(page, 'show-deleted').click();
    const entry = byTestId(page, 'deleted-entry').filter({ hasText: 'gone.txt' });
    await entry.waitFor({ timeout: 30_000 });
    expect(await entry.textContent()).toMatch(/last seen/);
    // History, search results and the deleted list all on screen: nothing serious for axe.
    expect(await seriousAxeViolations(page)).toEqual([]);
    await entry.getByRole('button', { name: 'Restore gone.txt from its last snapshot' }).click();
    const target = path.join(ws.root, 'undeleted');
    await mkdir(target);
    const form = byTestId(page, 'deleted-list').getByRole('form');
    await form.getByLabel('Restore into folder').fill(target);
    await form.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(() => readFile(path.join(target, gone), 'utf8').catch(() => null), { timeout: 60_000 }).toBe('keep me');
    expect(session.problems).toEqual([]);
  });
});
