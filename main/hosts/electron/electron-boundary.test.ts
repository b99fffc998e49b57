// Invariant 7: only the Electron host imports `electron`, and inside it only the thin electron-*.ts adapters
// (plus preload/index.ts). Everything else runs under plain Node.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const IMPORTS_ELECTRON = /(?:from\s+['"]electron(?:\/[^'"]*)?['"]|require\(\s*['"]electron(?:\/[^'"]*)?['"]\s*\)|import\(\s*['"]electron(?:\/[^'"]*)?['"]\s*\)|from\s+['"]electron-log\/main['"])/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

function allowed(rel: string): boolean {
  const posix = rel.split(path.sep).join('/');
  if (posix === 'preload/index.ts') return true;
  // The desktop tests' stand-in for the electron module answers the preload's own require('electron').
  if (posix.startsWith('test/desktop/standin/')) return true;
  // electron-launch.mjs (npm start) only asks the electron package where its binary is.
  return /^main\/hosts\/electron\/electron-[^/]+\.(ts|mjs)$/.test(posix);
}

describe('electron import boundary', () => {
  it('only main/hosts/electron/electron-*.ts and preload/index.ts import electron', () => {
    const offenders = ['main', 'preload', 'renderer', 'bin', 'test']
      .flatMap((d) => {
        try {
          return sources(path.join(root, d));
        } catch {
          return [];
        }
      })
      .map((f) => path.relative(root, f))
      .filter((rel) => IMPORTS_ELECTRON.test(readFileSync(path.join(root, rel), 'utf8')) && !allowed(rel));
    expect(offenders).toEqual([]);
  });

  it('the detector itself catches the import forms it is meant to', () => {
    for (const line of ["import { app } from 'electron';", 'const { ipcRenderer } = require("electron")', "await import('electron')", "import log from 'electron-log/main';"]) {
      expect(IMPORTS_ELECTRON.test(line), line).toBe(true);
    }
    expect(IMPORTS_ELECTRON.test("import x from './electron-app.js';")).toBe(false);
  });

  it('the preload type-checks against Electron’s types', async () => {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = promisify(execFile);
    const result = await run(process.execPath, [tsc, '-p', path.join(root, 'preload', 'tsconfig.json')], { cwd: root }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(result).toBe('');
  });
});
