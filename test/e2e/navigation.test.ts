// Addresses in Chromium against the real `backstay serve` and real restic (issue 13, "Navigation"): every view and
// every selected item has a hash route; Back and Forward go through them; a reload keeps the place (the operation
// still selected, the snapshot still open at its folder); leaving a form with unsaved changes asks first, for an
// in-app move, for Back, and for a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Dialog, Page } from 'playwright-core';
import { en } from '../../renderer/src/i18n/en.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { byTestId, startSession, waitForTerminalOp, type E2eSession } from './helpers.js';

let ws: Workspace;
let session: E2eSession;
let opId: number;

beforeAll(async () => {
  ws = await createWorkspace({ files: 2 });
  await ws.writeConfig();
  session = await startSession(ws.dataDir);
  opId = (await session.serve.client.rpc('plans.backup', { planId: 'home', trigger: 'manual' })).opId;
  await waitForTerminalOp(session.serve.client, opId, 60_000);
});

afterAll(async () => {
  await session?.close();
  await ws?.cleanup();
});

const hash = (page: Page) => page.evaluate(() => window.location.hash);

async function open(page: Page): Promise<void> {
  await page.goto(session.url);
  await byTestId(page, 'plan-row-home').waitFor({ timeout: 30_000 });
}

describe('navigation in Chromium', () => {
  it('views and selected items have addresses; Back, Forward and a reload keep the place', async () => {
    const page = await session.newPage();
    await open(page);
    // The sign-in token left the address; the dashboard's own address took its place.
    expect(await hash(page)).toBe('#/dashboard');

    await byTestId(page, 'nav-plans').click();
    await page.getByRole('button', { name: /^home/ }).click();
    expect(await hash(page)).toBe('#/plans/home');

    await byTestId(page, 'nav-operations').click();
    await byTestId(page, `op-row-${opId}`).click();
    await byTestId(page, `op-detail-${opId}`).waitFor({ timeout: 15_000 });
    expect(await hash(page)).toBe(`#/ops/${opId}`);

    await page.goBack();
    await expect.poll(() => hash(page)).toBe('#/ops');
    await page.goBack();
    await expect.poll(() => hash(page)).toBe('#/plans/home');
    await page.getByRole('heading', { name: 'home', level: 3 }).waitFor({ timeout: 15_000 });
    expect(await byTestId(page, 'nav-plans').getAttribute('aria-current')).toBe('page');
    await page.goForward();
    await page.goForward();
    await byTestId(page, `op-detail-${opId}`).waitFor({ timeout: 15_000 });
    expect(await hash(page)).toBe(`#/ops/${opId}`);

    await page.reload();
    await byTestId(page, `op-detail-${opId}`).waitFor({ timeout: 30_000 });
    expect(await byTestId(page, 'nav-operations').getAttribute('aria-current')).toBe('page');

    // A snapshot, opened at a folder: its address names the repository, the snapshot and the folder.
    await byTestId(page, 'nav-snapshots').click();
    const row = page.locator('[data-testid^="snapshot-row-"]').first();
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: /^Browse/ }).click();
    const first = path.relative('/', ws.sourceDir).split('/')[0]!;
    await page.getByRole('button', { name: `Open ${first}` }).click();
    await expect.poll(() => hash(page)).toMatch(new RegExp(`^#/snapshots/local/[0-9a-f]{64}/${first}$`));
    await page.reload();
    await page.locator('.breadcrumb .mono').filter({ hasText: `/${first}` }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: `Open ${path.relative('/', ws.sourceDir).split('/')[1]!}` }).waitFor({ timeout: 30_000 });
    expect(session.problems).toEqual([]);
    await page.close();
  });

  it('leaving a form with unsaved changes asks first: in the window, with Back, and on reload', async () => {
    const page = await session.newPage();
    const dialogs: string[] = [];
    let answer: (d: Dialog) => Promise<void> = (d) => d.dismiss();
    page.on('dialog', (d) => {
      dialogs.push(d.type());
      void answer(d);
    });
    await open(page);
    await byTestId(page, 'nav-repos').click();
    await page.getByRole('button', { name: en['repos.add'] }).first().click();
    expect(await hash(page)).toBe('#/repos/new');
    // Untouched: leaving asks nothing.
    await byTestId(page, 'nav-dashboard').click();
    expect(await hash(page)).toBe('#/dashboard');
    expect(dialogs).toEqual([]);
    await page.goBack();
    await expect.poll(() => hash(page)).toBe('#/repos/new');

    await page.getByLabel(en['repos.form.uri']).fill('/media/usb/restic');
    await byTestId(page, 'nav-dashboard').click();
    expect(dialogs).toEqual(['confirm']);
    expect(await hash(page)).toBe('#/repos/new');
    expect(await byTestId(page, 'nav-repos').getAttribute('aria-current')).toBe('page');
    expect(await page.getByLabel(en['repos.form.uri']).inputValue()).toBe('/media/usb/restic');

    await page.goBack();
    await expect.poll(() => dialogs).toEqual(['confirm', 'confirm']);
    await expect.poll(() => hash(page)).toBe('#/repos/new');
    expect(await page.getByLabel(en['repos.form.uri']).inputValue()).toBe('/media/usb/restic');

    // A reload asks too (the browser's own question); staying keeps what was typed.
    await page.reload({ timeout: 2_000 }).catch(() => undefined);
    await expect.poll(() => dialogs).toEqual(['confirm', 'confirm', 'beforeunload']);
    expect(await page.getByLabel(en['repos.form.uri']).inputValue()).toBe('/media/usb/restic');

    // Choosing to leave leaves.
    answer = (d) => d.accept();
    await byTestId(page, 'nav-dashboard').click();
    await expect.poll(() => hash(page)).toBe('#/dashboard');
    expect(session.problems).toEqual([]);
    await page.close();
  });
});
