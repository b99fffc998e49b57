// A data directory with something in every view (real restic: successful and failed backups, snapshots, a
// statistics run), and a walk through every view of the window, each shown as a person would open it. Shared by
// the accessibility and the layout tests.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { byTestId, startSession, waitForTerminalOp, type E2eSession, type SessionOptions } from './helpers.js';

export interface ViewWorld {
  ws: Workspace;
  session: E2eSession;
}

/** A folder name long enough to need shortening in the middle at any width. */
export const LONG_DIR = 'a-folder-with-a-rather-long-name-that-goes-on/and-another-level-below-it/and-one-more-to-be-sure';

export async function createViewWorld(options: SessionOptions = {}): Promise<ViewWorld> {
  const ws = await createWorkspace({ files: 3 });
  const deep = path.join(ws.sourceDir, LONG_DIR);
  await mkdir(deep, { recursive: true });
  await writeFile(path.join(deep, 'notes.txt'), randomBytes(2048));
  await ws.writeConfig({
    repos: [{ id: 'local', uri: ws.repoPath, password: { file: ws.passwordFile } }],
    plans: [
      { id: 'home', repo: 'local', paths: [ws.sourceDir, deep], schedule: { cron: '0 */2 * * *' }, retention: { keepLast: 5 } },
      { id: 'mail', repo: 'local', paths: [path.join(ws.root, 'mail-archive-unplugged')], schedule: { cron: '15 12 * * 1-5' } },
    ],
  });
  const session = await startSession(ws.dataDir, options);
  try {
    const rpc = session.serve.client.rpc.bind(session.serve.client);
    for (let run = 0; run < 2; run++) {
      await writeFile(path.join(ws.sourceDir, `day-${run}.bin`), randomBytes(20_000 * (run + 1)));
      await waitForTerminalOp(session.serve.client, (await rpc('plans.backup', { planId: 'home', trigger: 'manual' })).opId, 60_000);
    }
    await waitForTerminalOp(session.serve.client, (await rpc('plans.backup', { planId: 'mail', trigger: 'manual' })).opId, 60_000);
    await waitForTerminalOp(session.serve.client, (await rpc('repos.stats', { repoId: 'local' })).opId, 60_000);
  } catch (error) {
    await session.close();
    await ws.cleanup();
    throw error;
  }
  return { ws, session };
}

/**
 * The view world of one test file: made before its tests and removed after them. Its pages are closed after each
 * test, even one that fails: an open page keeps its event stream, and Chromium allows only six connections to one
 * host.
 */
export function useViewWorld(): { world(): ViewWorld; newPage(): Promise<Page> } {
  let current: ViewWorld | null = null;
  let pages: Page[] = [];
  beforeAll(async () => {
    current = await createViewWorld();
  }, 180_000);
  afterEach(async () => {
    await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
    pages = [];
  });
  afterAll(async () => {
    await current?.session.close();
    await current?.ws.cleanup();
  });
  const world = (): ViewWorld => {
    if (!current) throw new Error('the view world is not up (its beforeAll failed)');
    return current;
  };
  return {
    world,
    async newPage() {
      const page = await world().session.newPage();
      pages.push(page);
      return page;
    },
  };
}

export interface ViewStop {
  name: string;
  /** Opens the view and waits until its content (not a loading state) is on screen. */
  open(page: Page): Promise<void>;
}

/** Every view, with its interesting part open: a selected operation, a plan with charts, a browsed snapshot. */
export const VIEW_STOPS: ViewStop[] = [
  {
    name: 'dashboard',
    open: async (page) => {
      await byTestId(page, 'nav-dashboard').click();
      await byTestId(page, 'plan-status-home', 'success').waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'operations',
    open: async (page) => {
      await byTestId(page, 'nav-operations').click();
      const row = page.locator('[data-testid^="op-row-"]').first();
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      await page.locator('[data-testid^="op-detail-"]').first().waitFor({ timeout: 15_000 });
      await page.locator('[data-testid="op-log"]').first().waitFor({ timeout: 15_000 }).catch(() => undefined);
    },
  },
  {
    name: 'plans',
    open: async (page) => {
      await byTestId(page, 'nav-plans').click();
      await page.getByRole('button', { name: /^home/ }).click();
      await byTestId(page, 'chart-duration').locator('canvas').first().waitFor({ timeout: 15_000 });
      await byTestId(page, 'chart-repo-size').waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'plan-editor',
    open: async (page) => {
      await byTestId(page, 'nav-plans').click();
      await page.getByRole('button', { name: /^home/ }).click();
      await page.getByRole('button', { name: 'Edit', exact: true }).click();
      await page.locator('form').first().waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'repos',
    open: async (page) => {
      await byTestId(page, 'nav-repos').click();
      await byTestId(page, 'repo-size-local').waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'snapshots',
    open: async (page) => {
      await byTestId(page, 'nav-snapshots').click();
      const row = page.locator('[data-testid^="snapshot-row-"]').first();
      await row.waitFor({ timeout: 30_000 });
      await row.getByRole('button', { name: /^Browse/ }).click();
      await page.locator('.tree').first().waitFor({ timeout: 15_000 });
    },
  },
  {
    name: 'settings',
    open: async (page) => {
      await byTestId(page, 'nav-settings').click();
      await byTestId(page, 'theme-choice').waitFor({ timeout: 15_000 });
      await byTestId(page, 'restic-detected').waitFor({ timeout: 15_000 });
    },
  },
];

/** Opens the window and waits for the first state. */
export async function openWindow(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await byTestId(page, 'plan-row-home').waitFor({ timeout: 30_000 });
}
