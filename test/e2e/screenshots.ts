// Screenshots of the main views for docs/screenshots/, taken from the real `backstay serve` with real restic
// repositories: a plan that succeeded (a few times, for the chart), one that failed, one backing up (rate-limited)
// and one stalled (its rclone backend frozen); the snapshot care views (compare, restore, a file's history, a prune
// preview) on the "home" plan's backups; and the guided first run, in a session of its own on an empty data
// directory. Not part of `npm test`:
//   node --import tsx test/e2e/screenshots.ts
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { AppState } from '../../main/common/index.js';
import { en } from '../../renderer/src/i18n/en.js';
import { startRcloneRestic, waitUntil, type RcloneServer } from '../helpers/rclone.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { uploadLimitFlags, writeRandomFiles } from '../serve/serve-harness.js';
import { byTestId, ROOT, startSession, type E2eSession } from './helpers.js';
import type { Page } from 'playwright-core';

const OUT = path.join(ROOT, 'docs/screenshots');
const TERMINAL = new Set(['success', 'warning', 'error', 'cancelled', 'interrupted']);

/** A home folder that looks like one, so the snapshot browser shows something a person recognises. */
async function writeHomeFolder(dir: string): Promise<void> {
  const files: Record<string, number> = {
    'Documents/taxes-2025.pdf': 180_000,
    'Documents/lease.pdf': 96_000,
    'Documents/notes/ideas.md': 2_400,
    'Documents/notes/reading-list.md': 1_200,
    'Pictures/2025-trip/beach.jpg': 420_000,
    'Pictures/2025-trip/harbour.jpg': 380_000,
    'Music/playlist.m3u': 800,
    '.bashrc': 3_700,
    'todo.txt': 600,
  };
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), randomBytes(bytes));
  }
}

async function state(session: E2eSession): Promise<AppState> {
  return session.serve.client.rpc('state.get', {});
}

async function backupAndWait(session: E2eSession, planId: string): Promise<void> {
  const { opId } = await session.serve.client.rpc('plans.backup', { planId, trigger: 'manual' });
  await waitUntil(async () => TERMINAL.has((await session.serve.client.rpc('ops.get', { opId })).status), 60_000, `backup of ${planId}`);
}

async function shoot(page: Page, name: string): Promise<void> {
  // Let fonts and the last snapshot settle: the next animation frame after the network is idle.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`wrote docs/screenshots/${name}.png`);
}

/** Scrolls the element into view (`block` as in scrollIntoView), so a viewport-sized shot shows it. */
async function bringIntoView(page: Page, selector: string, block: 'start' | 'center' | 'end'): Promise<void> {
  await page.locator(selector).first().evaluate((el, b) => el.scrollIntoView({ block: b }), block);
}

/**
 * The guided first run, from an empty data directory (a workspace and a session of its own): the folder chosen,
 * then the repository step with an SFTP server filled in (nothing is connected: the shot is taken before Connect).
 */
async function shootFirstRun(): Promise<void> {
  const ws = await createWorkspace({ init: false, files: 0 });
  let session: E2eSession | null = null;
  try {
    const home = path.join(ws.sourceDir, 'home');
    await writeHomeFolder(home);
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);
    await page.getByRole('button', { name: en['dashboard.setup'] }).click({ timeout: 15_000 });
    await byTestId(page, 'setup-view').waitFor({ timeout: 15_000 });
    await page.getByLabel(en['setup.folders.typed'], { exact: true }).fill(home);
    await page.getByRole('button', { name: en['setup.folders.add'], exact: true }).click();
    await byTestId(page, 'chosen-folders').getByText(home).waitFor();
    await page.getByRole('button', { name: en['setup.next'], exact: true }).click();
    await page.getByRole('heading', { name: en['setup.repo.title'] }).waitFor({ timeout: 15_000 });
    await byTestId(page, 'setup-kind').selectOption('sftp');
    await byTestId(page, 'setup-field-user').fill('me');
    await byTestId(page, 'setup-field-host').fill('nas.local');
    await byTestId(page, 'setup-field-path').fill('/srv/backups/laptop');
    await byTestId(page, 'setup-password').fill('correct horse battery staple');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await bringIntoView(page, '[data-testid="setup-view"]', 'start');
    await shoot(page, 'first-run');
    if (session.problems.length > 0) throw new Error(`the first-run window logged errors:\n${session.problems.join('\n')}`);
  } finally {
    await session?.close();
    await ws.cleanup();
  }
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  await shootFirstRun();
  const ws: Workspace = await createWorkspace({ files: 0 });
  let rclone: RcloneServer | null = null;
  let session: E2eSession | null = null;
  const extra = await mkdtemp(path.join(os.tmpdir(), 'backstay-shots-'));
  try {
    const home = path.join(ws.sourceDir, 'home');
    await writeHomeFolder(home);
    const projects = path.join(ws.sourceDir, 'projects');
    await mkdir(projects);
    await writeRandomFiles(projects, 64, 4 * 1024 * 1024, 'build');
    const photos = path.join(ws.sourceDir, 'photos');
    await mkdir(photos);
    await writeRandomFiles(photos, 12, 16 * 1024 * 1024, 'IMG');
    const usbRepo = path.join(extra, 'usb');
    if ((await ws.restic(['init'], usbRepo)).exitCode !== 0) throw new Error('restic init of the usb repository failed');
    const backend = path.join(extra, 'cloud');
    await mkdir(backend);
    rclone = await startRcloneRestic(backend);
    if ((await ws.restic(['init'], rclone.uri)).exitCode !== 0) throw new Error('restic init on rclone failed');

    await ws.writeConfig({
      repos: [
        { id: 'nas', uri: ws.repoPath, password: { file: ws.passwordFile } },
        { id: 'usb', uri: usbRepo, password: { file: ws.passwordFile }, flags: uploadLimitFlags(2048) },
        { id: 'cloud', uri: rclone.uri, password: { file: ws.passwordFile } },
      ],
      plans: [
        { id: 'home', repo: 'nas', paths: [home], excludes: ['*.tmp', '.cache'], schedule: { cron: '0 */2 * * *' }, retention: { keepLast: 10, keepDaily: 7, keepWeekly: 4 } },
        { id: 'projects', repo: 'usb', paths: [projects], schedule: { everyMinutes: 240 } },
        { id: 'photos', repo: 'cloud', paths: [photos], schedule: { cron: '30 1 * * *' } },
        { id: 'mail', repo: 'nas', paths: [path.join(ws.sourceDir, 'mail-archive-unplugged')], schedule: { cron: '15 12 * * 1-5' } },
      ],
      // Four at once: the two live backups (one of them stalled for good) must leave room for the care views'
      // operations (history index, prune preview) on "nas".
      settings: { stallAfterSeconds: 6, cancelGraceSeconds: 2, uiUpdateHz: 4, maxParallelOperations: 4 },
    });
    session = await startSession(ws.dataDir);
    const s = session;

    // History: a few successful runs of "home" (each adding a little and editing ideas.md, so that file has a
    // version per backup and two backups differ), and a failed run of "mail". The first run also holds a large
    // download that is gone by the second; its snapshot is then forgotten, so a prune has something to remove.
    const download = path.join(home, 'Downloads/installer.iso');
    await mkdir(path.dirname(download), { recursive: true });
    await writeFile(download, randomBytes(3 * 1024 * 1024));
    const ideas = path.join(home, 'Documents/notes/ideas.md');
    for (let run = 0; run < 5; run += 1) {
      await writeFile(path.join(home, 'Documents/notes', `day-${run}.md`), randomBytes(40_000 * (run + 1)));
      await writeFile(ideas, randomBytes(2_400 + 700 * run));
      if (run === 1) await rm(path.join(home, 'Downloads'), { recursive: true });
      if (run === 4) await rm(path.join(home, 'todo.txt'));
      await backupAndWait(s, 'home');
      if (run === 1) {
        // The plan's retention (a forget after the backup) may still hold the repository's lock.
        await waitUntil(async () => !(await state(s)).running.some((r) => r.repoId === 'nas'), 60_000, 'nas to be idle');
        const [oldest] = (await s.serve.client.rpc('snapshots.list', { repoId: 'nas', planId: 'home' })).snapshots.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
        const { opId: forgetOp } = await s.serve.client.rpc('snapshots.forget', { repoId: 'nas', snapshotId: oldest!.id });
        await waitUntil(async () => TERMINAL.has((await s.serve.client.rpc('ops.get', { opId: forgetOp })).status), 60_000, 'forget of the first snapshot');
      }
      // A statistics run after each backup: the plan page charts the repository's size over time.
      const { opId: statsOp } = await s.serve.client.rpc('repos.stats', { repoId: 'nas' });
      await waitUntil(async () => TERMINAL.has((await s.serve.client.rpc('ops.get', { opId: statsOp })).status), 60_000, 'stats of nas');
    }
    await backupAndWait(s, 'mail');

    // Live: "projects" goes at 2 MiB/s (restic's upload limit), "photos" stalls when its backend freezes.
    await s.serve.client.rpc('plans.backup', { planId: 'projects', trigger: 'manual' });
    const { opId: photosOp } = await s.serve.client.rpc('plans.backup', { planId: 'photos', trigger: 'manual' });
    await waitUntil(async () => ((await state(s)).running.find((r) => r.opId === photosOp)?.progress?.bytesDone ?? 0) > 20 * 1024 * 1024, 60_000, 'photos to upload');
    rclone.freeze();
    await waitUntil(async () => (await state(s)).running.find((r) => r.opId === photosOp)?.status === 'stalled', 20_000, 'photos to stall');

    const { page } = s;
    await page.goto(s.url);
    await byTestId(page, 'plan-status-photos', 'stalled').waitFor({ timeout: 15_000 });
    await byTestId(page, 'plan-status-projects', 'running').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="plan-row-projects"] .current-file').waitFor({ timeout: 15_000 }).catch(() => undefined);
    await shoot(page, 'dashboard');

    const darkContext = await s.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark', locale: 'en-US' });
    const dark = await darkContext.newPage();
    await dark.goto(s.url);
    await byTestId(dark, 'plan-status-photos', 'stalled').waitFor({ timeout: 15_000 });
    await shoot(dark, 'dashboard-dark');
    await darkContext.close();

    await byTestId(page, 'nav-operations').click();
    const ops = await s.serve.client.rpc('ops.list', { planId: 'home', kind: 'backup', limit: 1 });
    const lastHome = ops.ops[0]!.id;
    await byTestId(page, `op-row-${lastHome}`).click();
    await byTestId(page, `op-detail-${lastHome}`).waitFor();
    await byTestId(page, 'op-log').waitFor();
    await shoot(page, 'operations');

    await byTestId(page, 'nav-repos').click();
    await byTestId(page, 'repo-row-cloud').waitFor();
    await shoot(page, 'repositories');

    await byTestId(page, 'nav-plans').click();
    await page.getByRole('button', { name: /^home/ }).click();
    await byTestId(page, 'chart-duration').locator('canvas').first().waitFor({ timeout: 10_000 });
    await byTestId(page, 'chart-repo-size').locator('canvas').first().waitFor({ timeout: 10_000 });
    await shoot(page, 'plan-detail');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByText(/Next runs/).waitFor({ timeout: 10_000 }).catch(() => undefined);
    await shoot(page, 'plan-editor');

    await byTestId(page, 'nav-snapshots').click();
    await page.locator('[data-testid^="snapshot-row-"]').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid^="snapshot-row-"]').first().getByRole('button', { name: /^Browse/ }).click();
    const tree = byTestId(page, 'snapshot-tree');
    // Walk down from / to the backed-up folder, one level at a time.
    for (const part of home.split(path.sep).filter(Boolean)) {
      await tree.waitFor();
      await page.getByRole('button', { name: new RegExp(`^Open ${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).click();
      await page.locator('.breadcrumb .mono', { hasText: new RegExp(`${part}$`) }).waitFor();
    }
    await tree.waitFor();
    // Each snapshot's size is measured once by the host (restic 0.14 records none): let the column fill in.
    await waitUntil(
      async () => !(await page.locator('[data-testid^="snapshot-size-"]').allTextContents()).some((t) => t.includes(en['care.size.measuring'])),
      60_000,
      'the snapshot sizes',
    ).catch(() => undefined);
    await shoot(page, 'snapshots');

    // Restore: one folder ticked, the form below the tree with its "where to" choice.
    await page.getByRole('checkbox', { name: 'Select Documents', exact: true }).check();
    const restoreForm = page.locator('form.restore-form');
    await restoreForm.getByLabel(en['snapshots.restore.target']).fill('/home/me/Restored');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await bringIntoView(page, 'form.restore-form', 'end');
    await shoot(page, 'restore');

    // A file's history: ideas.md, edited before every backup of "home".
    await page.getByRole('button', { name: 'Open Documents', exact: true }).click();
    await page.getByRole('button', { name: 'Open notes', exact: true }).click({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Show the history of ideas.md', exact: true }).click({ timeout: 15_000 });
    const versions = byTestId(page, 'history-versions').locator('[data-testid="history-version"]');
    await waitUntil(async () => (await versions.count()) >= 4, 30_000, 'the history of ideas.md');
    await waitUntil(async () => (await byTestId(page, 'history-indexing').count()) === 0, 30_000, 'the history index');
    await bringIntoView(page, '[data-testid="path-history"]', 'center');
    await shoot(page, 'history');

    // Repository care: a prune preview of "nas" (the forgotten first snapshot left its download behind).
    await byTestId(page, 'nav-repos').click();
    const nasCard = byTestId(page, 'repo-row-nas');
    await nasCard.getByRole('button', { name: en['care.prune.open'] }).click();
    await nasCard.getByRole('button', { name: en['care.prune.preview'], exact: true }).click();
    await byTestId(nasCard, 'prune-preview').waitFor({ timeout: 60_000 });
    await bringIntoView(page, '[data-testid="repo-row-nas"]', 'start');
    await shoot(page, 'repo-care');

    // The same repository's bandwidth: slower uploads in working hours, none at all overnight (not saved).
    await nasCard.getByRole('button', { name: en['common.edit'], exact: true }).click();
    const rules = byTestId(page, 'limit-rules');
    await rules.getByRole('button', { name: en['care.rules.add'] }).click();
    await byTestId(rules, 'limit-rule-0').getByLabel(en['care.rules.upload']).fill('512');
    await rules.getByRole('button', { name: en['care.rules.add'] }).click();
    const night = byTestId(rules, 'limit-rule-1');
    for (const day of ['Sat', 'Sun']) await night.getByRole('checkbox', { name: day, exact: true }).check();
    await night.getByLabel(en['care.rules.from'], { exact: true }).fill('22:00');
    await night.getByLabel(en['care.rules.to'], { exact: true }).fill('06:00');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()); // no focus ring in the picture
    await bringIntoView(page, '[data-testid="restic-options"]', 'start');
    await shoot(page, 'repo-limits');
    await page.getByRole('button', { name: en['common.discard'], exact: true }).click();

    // Compare the oldest "home" snapshot left with the newest: added, removed and changed files.
    await byTestId(page, 'nav-snapshots').click();
    const compare = byTestId(page, 'snapshot-compare');
    await compare.waitFor({ timeout: 15_000 });
    const homeSnapshots = (await s.serve.client.rpc('snapshots.list', { repoId: 'nas', planId: 'home' })).snapshots.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    const oldest = homeSnapshots[0]!;
    const newest = homeSnapshots[homeSnapshots.length - 1]!;
    await byTestId(compare, 'compare-first').selectOption(oldest.id);
    await byTestId(compare, 'compare-second').selectOption(newest.id);
    await compare.getByRole('button', { name: en['care.compare.button'], exact: true }).click();
    await compare.getByText(`From ${oldest.shortId} to ${newest.shortId}`).waitFor({ timeout: 30_000 });
    await byTestId(compare, 'snapshot-diff-changed').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(0, 799); // off the Compare button: no hover tint in the picture
    await bringIntoView(page, '[data-testid="snapshot-compare"]', 'end');
    await shoot(page, 'snapshots-compare');

    await byTestId(page, 'nav-settings').click();
    await byTestId(page, 'language-select').waitFor();
    await page.getByText(/restic 0\./).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    await shoot(page, 'settings');

    // The theme chosen in Settings (not the OS): dark, on the plan page with its charts, then back to System.
    await byTestId(page, 'theme-dark').check();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await byTestId(page, 'nav-plans').click();
    await page.getByRole('button', { name: /^home/ }).click();
    await byTestId(page, 'chart-duration').locator('canvas').first().waitFor({ timeout: 10_000 });
    await shoot(page, 'plan-detail-dark');
    await byTestId(page, 'nav-settings').click();
    await byTestId(page, 'theme-system').check();
    await page.waitForFunction(() => document.documentElement.dataset.theme === undefined);

    await byTestId(page, 'language-select').selectOption('zh-CN');
    await byTestId(page, 'nav-dashboard').click();
    await byTestId(page, 'plan-status-photos', 'stalled').waitFor();
    await shoot(page, 'dashboard-zh-CN');

    if (s.problems.length > 0) throw new Error(`the window logged errors:\n${s.problems.join('\n')}`);
  } catch (error) {
    // What the window showed when a step did not come: the quickest way to see why.
    const failed = path.join(os.tmpdir(), 'backstay-screenshots-failure.png');
    if (await session?.page.screenshot({ path: failed, fullPage: true }).then(() => true, () => false)) console.error(`the window at the failure: ${failed}`);
    const recent = await session?.serve.client.rpc('ops.list', { limit: 15 }).catch(() => null);
    console.error(JSON.stringify(recent?.ops.map((o) => [o.id, o.kind, o.repoId, o.status, o.error?.code, o.error?.message?.slice(0, 200)])));
    throw error;
  } finally {
    rclone?.thaw();
    await session?.close();
    await rclone?.stop();
    await ws.cleanup();
    await rm(extra, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
