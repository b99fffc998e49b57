// A backup to an HTTP backend (rclone serve restic) that freezes (SIGSTOP), seen and handled from the window:
// the plan's row turns Stalled and explains itself, and "Cancel" ends the operation Cancelled within the
// escalation bound (SIGINT, SIGTERM after cancelGraceSeconds, SIGKILL a few seconds later).
import { describe, expect, it } from 'vitest';
import { serveRepositoryOverHttp, type RcloneServer } from '../helpers/rclone.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { resticProcessesMentioning, writeRandomFiles } from '../serve/serve-harness.js';
import { byTestId, liveOpId, startSession, type E2eSession } from './helpers.js';
import { tearDownAfterEach } from './teardown.js';

const STALL_AFTER_SECONDS = 2;
const CANCEL_GRACE_SECONDS = 2;

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

describe('a stalled backup in Chromium', () => {
  it('shows Stalled with its evidence and is cancelled from the window', async () => {
    ws = await createWorkspace({ init: false, files: 0 });
    // Random (restic cannot deduplicate it) and large enough that the upload is still going when rclone freezes.
    await writeRandomFiles(ws.sourceDir, 12, 16 * 1024 * 1024);
    rclone = await serveRepositoryOverHttp(ws);
    await ws.writeConfig({
      repos: [{ id: 'http', uri: rclone.uri, password: { file: ws.passwordFile } }],
      plans: [{ id: 'photos', repo: 'http', paths: [ws.sourceDir] }],
      settings: { stallAfterSeconds: STALL_AFTER_SECONDS, cancelGraceSeconds: CANCEL_GRACE_SECONDS, uiUpdateHz: 10 },
    });
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);
    const row = byTestId(page, 'plan-row-photos');
    await row.waitFor({ timeout: 30_000 });

    await row.getByRole('button', { name: 'Back up now', exact: true }).click();
    const opId = await liveOpId(row, 30_000);
    // Wait for real progress (bytes uploaded), so that the freeze interrupts an upload rather than the start.
    const progress = byTestId(row, `op-progress-${opId}`, 'running');
    await progress.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => progress.locator('progress').evaluate((bar) => (bar as HTMLProgressElement).value), { timeout: 30_000 })
      .toBeGreaterThan(0);

    rclone.freeze();
    await byTestId(page, 'plan-status-photos', 'stalled').waitFor({ timeout: (STALL_AFTER_SECONDS + 8) * 1000 });
    expect(await byTestId(page, 'plan-status-photos').textContent()).toBe('Stalled');
    const evidence = byTestId(row, `op-stall-${opId}`);
    await evidence.waitFor({ timeout: 5000 });
    // Plain words with numbers: how far it got and since when it stopped (e.g. "No progress since 14:03 ... of ...").
    const words = (await evidence.textContent()) ?? '';
    expect(words.length).toBeGreaterThan(20);
    expect(words).toMatch(/\d/);
    expect(await byTestId(page, 'overall-status').getAttribute('data-status')).toBe('stalled');
    await row.getByRole('button', { name: 'Keep waiting', exact: true }).waitFor();

    const cancelledAt = Date.now();
    await row.getByRole('button', { name: 'Cancel', exact: true }).click();
    // SIGINT, SIGTERM after the grace period, SIGKILL a few seconds later: bounded (plus snapshot delivery).
    const bound = (CANCEL_GRACE_SECONDS + 3 + 2) * 1000;
    await byTestId(page, 'plan-status-photos', 'cancelled').waitFor({ timeout: bound + 5000 });
    expect(Date.now() - cancelledAt).toBeLessThan(bound + 2000);
    expect(await byTestId(page, 'plan-status-photos').textContent()).toBe('Cancelled');
    expect((await session.serve.client.rpc('ops.get', { opId })).status).toBe('cancelled');
    expect(resticProcessesMentioning(ws.root)).toEqual([]);
    // The row offers the next step again.
    await row.getByRole('button', { name: 'Back up now', exact: true }).waitFor({ timeout: 5000 });

    rclone.thaw();
    expect(session.problems).toEqual([]);
  });
});
