// Issue 13: the desktop window's background follows settings.theme (Electron's nativeTheme.themeSource and
// win.setBackgroundColor through the stand-in), from config.json at start and when the page changes the setting;
// and the page paints the same scheme (data-theme on <html>).
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesktopApp, type DesktopApp } from './harness.js';
import { makeUserHome } from './fixtures.js';

let user: Awaited<ReturnType<typeof makeUserHome>>;
let app: DesktopApp | null = null;
let dataDir: string;

beforeAll(async () => {
  user = await makeUserHome();
  dataDir = path.join(user.home, 'backstay-data');
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ version: 1, repos: [], plans: [], settings: { theme: 'dark' } }));
});

afterAll(async () => {
  await app?.kill();
  await user?.cleanup();
});

const DARK = '#16181C';
const LIGHT = '#F6F7F9';

describe('the desktop window follows settings.theme', () => {
  it('starts dark from config.json, turns light when the page saves theme light, and back with system (the stand-in OS is light)', async () => {
    app = await startDesktopApp({ userHome: user.home, dataDir });
    await app.waitFor('a dark window', (s) => s.windows.find((w) => w.loads > 0 && w.backgroundColor === DARK));
    await app.call('waitForSelector', { selector: 'html[data-theme="dark"]', timeoutMs: 15_000 });

    const save = (theme: string) => app!.call('evaluate', { fn: `() => window.backstay.invoke('config.saveSettings', { settings: { theme: '${theme}' } })` });
    await save('light');
    await app.waitFor('a light window', (s) => s.windows.find((w) => !w.destroyed && w.backgroundColor === LIGHT));
    await app.call('waitForSelector', { selector: 'html[data-theme="light"]', timeoutMs: 15_000 });
    await save('dark');
    await app.waitFor('a dark window again', (s) => s.windows.find((w) => !w.destroyed && w.backgroundColor === DARK));
    await save('system');
    await app.waitFor('the system (light) window', (s) => s.windows.find((w) => !w.destroyed && w.backgroundColor === LIGHT));
    const s = await app.snapshot();
    expect(s.pageProblems).toEqual([]);
    expect(s.standinErrors).toEqual([]);
  }, 90_000);
});
