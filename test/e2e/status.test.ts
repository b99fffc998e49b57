// The one overall status, seen in Chromium against the real `backstay serve` and real restic: a fresh install is
// not "All backups OK" but asks to be set up; a repository with the wrong password turns the header into its
// error after a failed backup (and /metrics agrees); the repository card shows its measured size; and the language
// chosen in Settings lives in config.json, so it survives a reload with the page's storage cleared.
import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { byTestId, startSession, type E2eSession } from './helpers.js';
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

async function metricsLevel(s: E2eSession): Promise<string | undefined> {
  const res = await fetch(`http://127.0.0.1:${s.serve.port}/metrics`, { headers: { Authorization: `Bearer ${s.serve.token}` } });
  const text = await res.text();
  return /^backstay_status_level\{level="(\w+)"\} 1$/m.exec(text)?.[1];
}

async function configLanguage(dataDir: string): Promise<unknown> {
  try {
    const config = JSON.parse(await readFile(path.join(dataDir, 'config.json'), 'utf8')) as { settings?: { language?: unknown } };
    return config.settings?.language;
  } catch {
    return undefined; // not written yet
  }
}

describe('the overall status in Chromium', () => {
  it('a fresh data directory asks to be set up; the language choice lives in config.json and survives a reload', async () => {
    ws = await createWorkspace({ init: false, files: 0 });
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);

    const header = byTestId(page, 'overall-status');
    await byTestId(page, 'overall-status', 'setup').waitFor({ timeout: 30_000 });
    expect(await header.textContent()).toContain('Set up a repository and a plan to start');
    expect(await header.textContent()).not.toContain('OK');
    expect(await metricsLevel(session)).toBe('setup');

    await byTestId(page, 'nav-settings').click();
    const select = byTestId(page, 'language-select');
    expect(await select.inputValue()).toBe('auto');
    expect(await select.locator('option').allTextContents()).toEqual(['Follow the system (English)', 'English', '简体中文']);
    await select.selectOption('zh-CN');
    await expect.poll(() => byTestId(page, 'nav-settings').textContent(), { timeout: 10_000 }).toBe('设置');
    await expect.poll(() => configLanguage(ws!.dataDir), { timeout: 10_000 }).toBe('zh-CN');

    // The page's storage is only a cache: with it cleared, the setting alone brings Chinese back after a reload.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await byTestId(page, 'overall-status', 'setup').waitFor({ timeout: 30_000 });
    await expect.poll(() => header.textContent(), { timeout: 10_000 }).toContain('请先添加一个仓库和一个备份计划');
    expect(await byTestId(page, 'nav-settings').textContent()).toBe('设置');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    // "Follow the system" is a setting of its own (the browser here speaks English).
    await byTestId(page, 'nav-settings').click();
    expect(await byTestId(page, 'language-select').inputValue()).toBe('zh-CN');
    await byTestId(page, 'language-select').selectOption('auto');
    await expect.poll(() => configLanguage(ws!.dataDir), { timeout: 10_000 }).toBe('auto');
    await expect.poll(() => byTestId(page, 'nav-settings').textContent(), { timeout: 10_000 }).toBe('Settings');

    expect(session.problems).toEqual([]);
  });

  it('a repository with the wrong password: after the failed backup the header shows the error, as /metrics does', async () => {
    ws = await createWorkspace({ files: 2 });
    const wrongPasswordFile = path.join(ws.root, 'wrong-password');
    await writeFile(wrongPasswordFile, 'not-the-password', { mode: 0o600 });
    await ws.writeConfig({
      repos: [{ id: 'local', uri: ws.repoPath, password: { file: wrongPasswordFile } }],
      plans: [{ id: 'home', repo: 'local', paths: [ws.sourceDir] }],
    });
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);
    const home = byTestId(page, 'plan-row-home');
    await home.waitFor({ timeout: 30_000 });

    await home.getByRole('button', { name: 'Back up now', exact: true }).click();
    await byTestId(page, 'plan-status-home', 'error').waitFor({ timeout: 60_000 });
    await byTestId(page, 'overall-status', 'error').waitFor({ timeout: 10_000 });

    const state = await session.serve.client.rpc('state.get', {});
    const repo = state.repos.find((r) => r.id === 'local')!;
    expect(repo.health).toBe('error');
    expect(state.status?.level).toBe('error');
    expect(state.status?.reasons[0]).toEqual({ kind: 'repo-error', repoId: 'local' });
    // The main reason, in words: the repository and what restic said about it.
    const words = (await byTestId(page, 'overall-reason').textContent()) ?? '';
    expect(words).toBe(`Repository local: ${repo.lastError}`);
    expect(repo.lastError?.toLowerCase()).toContain('password');
    expect(await byTestId(page, 'overall-status').textContent()).not.toContain('All backups OK');
    expect(await metricsLevel(session)).toBe('error');
  });

  it('the repository card shows the size and snapshot count that Statistics measured, formatted', async () => {
    ws = await createWorkspace({ files: 3, fileBytes: 64 * 1024 });
    await ws.writeConfig();
    session = await startSession(ws.dataDir);
    const { page } = session;
    await page.goto(session.url);
    const home = byTestId(page, 'plan-row-home');
    await home.waitFor({ timeout: 30_000 });
    await home.getByRole('button', { name: 'Back up now', exact: true }).click();
    await byTestId(page, 'plan-status-home', 'success').waitFor({ timeout: 60_000 });
    await byTestId(page, 'overall-status', 'ok').waitFor({ timeout: 10_000 });

    await byTestId(page, 'nav-repos').click();
    const card = byTestId(page, 'repo-row-local');
    await card.getByRole('button', { name: 'More', exact: true }).click();
    await card.getByRole('button', { name: 'Statistics', exact: true }).click();
    await byTestId(page, 'repo-snapshots-local').waitFor({ timeout: 60_000 });
    expect(await byTestId(page, 'repo-snapshots-local').textContent()).toBe('1');
    expect(await byTestId(page, 'repo-size-local').textContent()).toMatch(/^\d+(\.\d)? (B|KiB|MiB)$/);
    expect(await card.textContent()).not.toMatch(/totalSize|snapshotsCount/);
    expect(session.problems).toEqual([]);
  });
});
