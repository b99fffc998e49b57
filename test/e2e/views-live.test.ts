// Issue 10, the window items, as a person would meet them in Chromium against the real `backstay serve` and real
// restic: the Snapshots view is bound to the selected repository (13), the Operations list is live from the first
// operation on a fresh data directory (14), the restore form reports how its restore ended (15), and the detail of
// a live operation shows its progress, a running duration and Cancel (19).
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { paramsOf } from '../../main/common/index.js';
import { freePort, serveRepositoryOverHttp, type RcloneServer } from '../helpers/rclone.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { uploadLimitFlags, writeRandomFiles } from '../serve/serve-harness.js';
import { backUpNow, byTestId, liveOpId, startSession, waitForTerminalOp, type E2eSession } from './helpers.js';
import { tearDownAfterEach } from './teardown.js';

let ws: Workspace | null = null;
let rclone: RcloneServer | null = null;
let session: E2eSession | null = null;

tearDownAfterEach(
  () => ({ session, ws, rclone }),
  () => {
    session = null;
    rclone = null;
    ws = null;
  },
);

/** A loopback port with nothing listening: an unreachable REST server. */
const closedPort = freePort;

/** Waits until the operations list row of `opId` shows this status (its badge's word). */
async function opRowSays(page: E2eSession['page'], opId: number, status: string, timeoutMs: number): Promise<void> {
  await expect.poll(() => byTestId(page, `op-row-status-${opId}`).textContent({ timeout: 1000 }).then((l) => l ?? '', () => '(no row)'), { timeout: timeoutMs }).toBe(status);
}

/** The short ids of the snapshot rows on screen, in order. */
async function rowIds(s: E2eSession): Promise<string[]> {
  return s.page.evaluate(() =>
    Array.from(document.querySelectorAll('[data-testid^="snapshot-row-"]')).map((r) => r.getAttribute('data-testid')!.slice('snapshot-row-'.length)),
  );
}

describe('the window views follow what happens (Chromium)', () => {
  it('Snapshots: switching the repository shows only its snapshots, drops a late answer, and words an unreachable one', async () => {
    const started = Date.now();
    ws = await createWorkspace({ files: 2 });
    const mediaDir = path.join(ws.root, 'media');
    await mkdir(mediaDir);
    await writeRandomFiles(mediaDir, 2, 4096, 'media');
    rclone = await serveRepositoryOverHttp(ws);
    const unreachable = `rest:http://127.0.0.1:${await closedPort()}/`;
    await ws.writeConfig({
      repos: [
        { id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile } },
        { id: 'http', uri: rclone.uri, password: { file: ws.passwordFile } },
        { id: 'gone', uri: unreachable, password: { file: ws.passwordFile } },
      ],
      plans: [
        { id: 'home', repo: 'local', paths: [ws.sourceDir] },
        { id: 'media', repo: 'http', paths: [mediaDir] },
      ],
    });
    session = await startSession(ws.dataDir);
    const local = [await backUpNow(session.serve.client, 'home', 30_000), await backUpNow(session.serve.client, 'home', 30_000)].map((id) => id.slice(0, 8));
    const http = [await backUpNow(session.serve.client, 'media', 30_000)].map((id) => id.slice(0, 8));
    const { page } = session;
    await page.goto(session.url);
    await byTestId(page, 'nav-snapshots').click();
    const picker = page.getByLabel(/^Repository/);
    await expect.poll(() => rowIds(session!), { timeout: 20_000 }).toHaveLength(2);
    expect((await rowIds(session)).sort()).toEqual([...local].sort());
    // Open one, so that there is a restore form that must not survive the switch.
    await page.getByRole('button', { name: `Browse snapshot ${local[0]}` }).click();
    await byTestId(page, 'snapshot-tree').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Restore', exact: true }).waitFor();

    // The HTTP backend freezes: its list is asked for and hangs. The old list is gone at once, loading is said.
    rclone.freeze();
    await picker.selectOption('http');
    expect(await rowIds(session)).toEqual([]);
    expect(await page.getByRole('button', { name: 'Restore', exact: true }).count()).toBe(0);
    expect(await byTestId(page, 'snapshot-tree').count()).toBe(0);
    expect(await byTestId(page, 'snapshots-loading').textContent()).toBe('Loading the snapshots of http…');

    // Back to local while http's answer is still on its way; then the backend thaws and the answer arrives late.
    await picker.selectOption('local');
    await expect.poll(() => rowIds(session!), { timeout: 10_000 }).toHaveLength(2);
    rclone.thaw();
    const answered = await session.serve.client.rpc('snapshots.list', { repoId: 'http' });
    expect(answered.snapshots.map((s) => s.shortId)).toEqual(http);
    await page.waitForTimeout(300); // the page's own request is answered at the same moment
    expect((await rowIds(session)).sort()).toEqual([...local].sort());
    expect(await byTestId(page, 'snapshots-view').getAttribute('data-repo')).toBe('local');

    await picker.selectOption('http');
    await expect.poll(() => rowIds(session!), { timeout: 10_000 }).toEqual(http);

    // An unreachable REST server: said in words that do not suggest creating a repository, nothing to open.
    await picker.selectOption('gone');
    const error = byTestId(page, 'snapshots-error');
    await error.waitFor({ timeout: 30_000 });
    const words = (await error.textContent()) ?? '';
    expect(await rowIds(session)).toEqual([]);
    expect(await page.getByRole('button', { name: /^Browse snapshot/ }).count()).toBe(0);
    expect(words).not.toMatch(/init|no (restic )?repository/i);
    // The engine classifies an unreachable backend as NETWORK (engine helper's part), and then the words say so.
    expect(await error.getAttribute('data-code')).toBe('NETWORK');
    expect(words).toContain('The repository gone could not be reached');

    expect(session.problems.filter((p) => !p.includes('/api/rpc'))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('Operations: live from the first operation on a fresh data directory, without a reload', async () => {
    const started = Date.now();
    ws = await createWorkspace({ files: 3 });
    await ws.writeConfig();
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await byTestId(page, 'nav-operations').click();
    await page.getByText('No operations match.').waitFor({ timeout: 20_000 });

    // The first backup, from the dashboard as a person would; then back to Operations.
    await byTestId(page, 'nav-dashboard').click();
    await byTestId(page, 'plan-row-home').getByRole('button', { name: 'Back up now', exact: true }).click();
    await byTestId(page, 'plan-status-home', 'success').waitFor({ timeout: 30_000 });
    await byTestId(page, 'nav-operations').click();
    const ids = (await session.serve.client.rpc('ops.list', {})).ops.map((o) => o.id);
    expect(ids).toHaveLength(1);
    await opRowSays(page, ids[0]!, 'Success', 5000);

    // Three more while the list is open: each appears and ends on its own (an unlock takes well under a second).
    for (const start of [
      () => session!.serve.client.rpc('repos.unlock', { repoId: 'local' }),
      () => session!.serve.client.rpc('repos.check', { repoId: 'local' }),
      () => session!.serve.client.rpc('plans.backup', { planId: 'home' }),
    ]) {
      const { opId } = await start();
      const op = await waitForTerminalOp(session.serve.client, opId, 30_000);
      expect(op.status).toBe('success');
      await opRowSays(page, opId, 'Success', 5000);
    }
    await expect.poll(() => page.locator('[data-testid^="op-row-"][role="option"]').count()).toBe(4);
    expect(await page.getByText('No operations match.').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(session.problems).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('Restore: the form follows its restore and says what was restored where', async () => {
    const started = Date.now();
    ws = await createWorkspace({ files: 4, fileBytes: 64 * 1024 });
    await ws.writeConfig();
    session = await startSession(ws.dataDir);
    await backUpNow(session.serve.client, 'home', 30_000);
    const { page } = session;
    await page.goto(session.url);
    await byTestId(page, 'nav-snapshots').click();
    await page.getByRole('button', { name: /^Browse snapshot/ }).first().click();
    await byTestId(page, 'snapshot-tree').waitFor({ timeout: 20_000 });
    const target = path.join(ws.root, 'restored');
    await page.getByLabel('Restore into folder').fill(target);
    await page.getByRole('button', { name: 'Restore', exact: true }).click();

    // The form says how it ended, in place, without going to Operations.
    const done = page.getByRole('status').filter({ hasText: /^Restored / });
    await done.waitFor({ timeout: 30_000 });
    const words = ((await done.textContent()) ?? '').trim();
    const outcome = byTestId(page, 'restore-outcome');
    expect(await outcome.getAttribute('data-status')).toBe('success');
    // restic 0.16+ reports counts ("Restored 4 files (256 KiB) to ..."); 0.14 prints none, and then it says where.
    expect(words).toMatch(new RegExp(`^Restored (\\d+ files \\([\\d.]+ [KMG]?i?B\\) )?to ${target.replace(/[/.]/g, '\\$&')}`));
    expect(await page.getByText('Restoring…').count()).toBe(0);
    // What the form says is what happened on disk.
    const opId = Number(await outcome.getAttribute('data-op'));
    const op = await session.serve.client.rpc('ops.get', { opId });
    expect(op.status).toBe('success');
    const restoredInto = String(paramsOf(op, 'restore')?.target);
    expect(words).toContain(restoredInto);
    const files = await readdir(path.join(restoredInto, ws.sourceDir));
    expect(files.sort()).toEqual(['file-0.bin', 'file-1.bin', 'file-2.bin', 'file-3.bin']);
    expect((await readFile(path.join(restoredInto, ws.sourceDir, 'file-0.bin'))).length).toBe(64 * 1024);
    expect(session.problems).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('Operations detail of a live backup: progress, a running duration, and Cancel', async () => {
    const started = Date.now();
    ws = await createWorkspace({ files: 0 });
    // 24 MiB at 1 MiB/s: it is still running while the detail is read and cancelled.
    await writeRandomFiles(ws.sourceDir, 6, 4 * 1024 * 1024);
    await ws.writeConfig({
      repos: [{ id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile }, flags: uploadLimitFlags(1024) }],
      settings: { cancelGraceSeconds: 3, uiUpdateHz: 10 },
    });
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);
    const row = byTestId(page, 'plan-row-home');
    await row.getByRole('button', { name: 'Back up now', exact: true }).click();
    const opId = await liveOpId(row, 20_000);
    await byTestId(row, `op-progress-${opId}`, 'running').waitFor({ timeout: 20_000 });

    await byTestId(page, 'nav-operations').click();
    await byTestId(page, `op-row-${opId}`).click();
    const detail = byTestId(page, `op-detail-${opId}`);
    await detail.waitFor({ timeout: 10_000 });
    expect(await byTestId(detail, `op-detail-status-${opId}`).textContent()).toBe('Running');
    const live = byTestId(detail, `op-progress-${opId}`);
    // Percent and bytes of the total, once restic's scan has counted all of it.
    await expect.poll(() => live.textContent(), { timeout: 20_000 }).toMatch(/^\d+% [\d.]+ (B|KiB|MiB) of 24 MiB/);
    // The duration runs (not "–") and moves between two looks.
    const duration = byTestId(detail, `op-detail-duration-${opId}`);
    const first = await duration.textContent();
    expect(first).toMatch(/^\d+ s$/);
    await expect.poll(() => duration.textContent(), { timeout: 5000 }).not.toBe(first);

    await detail.getByRole('button', { name: 'Cancel', exact: true }).click();
    expect(await detail.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
    await byTestId(detail, `op-detail-status-${opId}`).filter({ hasText: 'Cancelled' }).waitFor({ timeout: 15_000 });
    expect(await byTestId(detail, `op-progress-${opId}`).count()).toBe(0);
    expect(await byTestId(page, `op-row-status-${opId}`).textContent()).toBe('Cancelled');
    expect((await session.serve.client.rpc('ops.get', { opId })).status).toBe('cancelled');
    expect(session.problems).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
