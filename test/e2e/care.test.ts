// Issue 13 in the window, as a person would do it in Chromium against the real `backstay serve` and real restic 0.14:
// forget a snapshot, preview a prune (restic's figures, nothing removed) and prune; compare two snapshots; restore a
// single file straight into a folder. axe on the views it passes through.
import { describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
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

describe('snapshot and repository care in the window (Chromium)', () => {
  it('compares two snapshots, restores one file into a folder, forgets a snapshot, previews a prune and prunes', async () => {
    ws = await createWorkspace({ files: 1, fileBytes: 200_000 });
    await mkdir(path.join(ws.sourceDir, 'photos'));
    await writeFile(path.join(ws.sourceDir, 'photos', 'IMG_2.jpg'), 'two');
    await ws.writeConfig();
    session = await startSession(ws.dataDir);
    const first = (await backUpNow(session.serve.client, 'home')).slice(0, 8);
    await writeFile(path.join(ws.sourceDir, 'photos', 'IMG_10.jpg'), 'ten');
    const second = (await backUpNow(session.serve.client, 'home')).slice(0, 8);

    const { page } = session;
    await page.goto(session.url);
    await byTestId(page, 'nav-snapshots').click();

    // Compare: the newest against the one before it, chosen by default.
    const compare = byTestId(page, 'snapshot-compare');
    await compare.waitFor({ timeout: 20_000 });
    await compare.getByRole('button', { name: 'Compare', exact: true }).click();
    await compare.getByText(`From ${first} to ${second}`).waitFor({ timeout: 30_000 });
    expect(await byTestId(compare, 'snapshot-diff-added').textContent()).toMatch(/IMG_10\.jpg/);

    // Sizes: restic 0.14 records none, so the host measures each once.
    await expect.poll(() => byTestId(page, `snapshot-size-${first}`).textContent(), { timeout: 30_000 }).toMatch(/KiB/);

    // Restore one file straight into a folder, without /tmp/.../source/photos above it.
    await page.getByRole('button', { name: `Browse snapshot ${second}` }).click();
    for (const folder of [...ws.sourceDir.split('/').filter(Boolean), 'photos']) {
      await page.getByRole('button', { name: `Open ${folder}`, exact: true }).click({ timeout: 20_000 });
    }
    const names = await byTestId(page, 'snapshot-tree').locator('input[type="checkbox"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(names).toEqual(['Select IMG_2.jpg', 'Select IMG_10.jpg']); // natural order
    await page.getByRole('checkbox', { name: 'Select IMG_10.jpg' }).check();
    const target = path.join(ws.root, 'picked');
    await page.getByLabel('Restore into folder').fill(target);
    await page.getByRole('checkbox', { name: /straight into this folder/ }).check();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(() => readFile(path.join(target, 'IMG_10.jpg'), 'utf8').catch(() => null), { timeout: 60_000 }).toBe('ten');
    expect(await readdir(target)).toEqual(['IMG_10.jpg']);

    // Forget the older snapshot (asked once more), then prune: preview first, nothing removed, then for real.
    await writeFile(path.join(ws.sourceDir, 'file-0.bin'), 'smaller now');
    const third = (await backUpNow(session.serve.client, 'home')).slice(0, 8);
    await page.reload();
    await byTestId(page, `snapshot-row-${third}`).waitFor({ timeout: 30_000 });
    const row = byTestId(page, `snapshot-row-${first}`);
    await row.getByRole('button', { name: `Forget snapshot ${first}` }).click();
    await row.getByRole('button', { name: 'Forget', exact: true }).click();
    await expect.poll(() => byTestId(page, `snapshot-row-${first}`).count(), { timeout: 60_000 }).toBe(0);
    await page.getByRole('button', { name: `Forget snapshot ${second}` }).click();
    await byTestId(page, `snapshot-row-${second}`).getByRole('button', { name: 'Forget', exact: true }).click();
    await expect.poll(() => byTestId(page, `snapshot-row-${second}`).count(), { timeout: 60_000 }).toBe(0);

    const packs = async () => (await readdir(path.join(ws!.repoPath, 'data'), { recursive: true })).sort();
    const before = await packs();
    await byTestId(page, 'nav-repos').click();
    const card = byTestId(page, 'repo-row-local');
    await card.getByRole('button', { name: 'Prune…' }).click();
    await card.getByRole('button', { name: 'Preview' }).click();
    const preview = byTestId(card, 'prune-preview');
    await preview.waitFor({ timeout: 60_000 });
    expect(await preview.getAttribute('data-status')).toBe('success');
    expect(await preview.textContent()).toMatch(/total prune.*blobs \//s);
    expect(await packs()).toEqual(before);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await card.getByRole('button', { name: 'Prune now' }).click();
    await card.getByRole('button', { name: 'Prune', exact: true }).click();
    await byTestId(card, 'prune-result').waitFor({ timeout: 60_000 });
    expect(await byTestId(card, 'prune-result').getAttribute('data-status')).toBe('success');
    expect(await packs()).not.toEqual(before);
    expect(session.problems).toEqual([]);
  });
});
