// Adding a repository in the window as a person would (Chromium, real `serve`, real restic 0.14): the card finds
// out at once that nothing is at the new location and offers to create it; creating it makes the card say so. A
// location full of someone's files is refused in words, and nothing of restic's is put among them.
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { byTestId, startSession, type E2eSession } from './helpers.js';
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

async function addRepository(page: Page, id: string, location: string, passwordFile: string): Promise<void> {
  await page.getByRole('button', { name: 'Add a repository', exact: true }).first().click();
  const form = page.getByRole('form', { name: 'Add a repository' });
  await form.getByLabel('Name', { exact: true }).fill(id);
  await form.getByLabel('Location', { exact: true }).fill(location);
  await form.getByLabel('Password file', { exact: true }).fill(passwordFile);
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await form.waitFor({ state: 'detached', timeout: 15_000 });
}

describe('a new repository in the window (Chromium)', () => {
  it('a new location: the card offers to create it, and after Create says OK', async () => {
    ws = await createWorkspace({ files: 1 });
    await ws.writeConfig();
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);
    await byTestId(page, 'nav-repos').click();
    const location = path.join(ws.root, 'usb-backups');
    await addRepository(page, 'usb', location, ws.passwordFile);

    const card = byTestId(page, 'repo-row-usb');
    const create = card.getByRole('button', { name: 'Create the repository here', exact: true });
    await create.waitFor({ timeout: 30_000 });
    expect(await card.textContent()).toContain('There is no restic repository at the location of "usb" yet.');
    expect(await card.locator('[data-status]').first().textContent()).toBe('Not created yet');
    expect(await card.getByRole('button', { name: 'Check', exact: true }).count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await create.click();
    await card.locator('[data-status="ok"]').waitFor({ timeout: 30_000 });
    expect(await card.getByRole('button', { name: 'Create the repository here' }).count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Check', exact: true }).count()).toBe(1);
    expect(await readdir(location)).toContain('config');
    expect(session.problems).toEqual([]);
  });

  it('a folder of documents: Create is refused in words, and the folder is left as it was', async () => {
    ws = await createWorkspace({ files: 1 });
    await ws.writeConfig();
    const documents = path.join(ws.root, 'Documents');
    await mkdir(documents);
    await writeFile(path.join(documents, 'taxes-2025.pdf'), 'mine');
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);
    await byTestId(page, 'nav-repos').click();
    await addRepository(page, 'docs', documents, ws.passwordFile);

    const card = byTestId(page, 'repo-row-docs');
    await card.getByRole('button', { name: 'Create the repository here', exact: true }).click({ timeout: 30_000 });
    await card.getByText('This folder already holds other files. A repository needs a folder of its own: choose an empty or new folder.').waitFor({ timeout: 30_000 });
    expect(await readdir(documents)).toEqual(['taxes-2025.pdf']);
    // Chromium notes the refused request (HTTP 422) on the console by itself; nothing else may be there.
    expect(session.problems.filter((p) => !/Failed to load resource: the server responded with a status of 422/.test(p))).toEqual([]);
  });
});
