// Packaging, checked without downloading Electron: electron-builder lays out the Linux app (`--dir`) around a stand-in
// for Electron's distribution, and this test reads what it packed. What only a machine with the real Electron can
// check (the module loading inside Electron, the tray and notifications per OS) is listed in the README.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractAll, listPackage } from '@electron/asar';
import { startDesktopApp } from '../desktop/harness.js';
import { makeElectronDistStandin } from './electron-dist-standin.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const work = mkdtempSync(path.join(os.tmpdir(), 'backstay-pack-'));
const appDir = path.join(work, 'release', 'linux-unpacked');
const asarPath = path.join(appDir, 'resources', 'app.asar');
const unpacked = path.join(appDir, 'resources', 'app.asar.unpacked');
let entries: Set<string>;

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Dynamic symbols a shared object defines (nm from binutils, which the machine's C toolchain brings). */
function definedDynamicSymbols(file: string): string[] {
  const out = execFileSync('nm', ['-D', '--defined-only', file], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/).pop() ?? '')
    .filter(Boolean);
}

/** The better-sqlite3 binary this test process has loaded, from the kernel's map of the process. */
function loadedSqliteAddon(): string {
  const Database = require('better-sqlite3') as new (file: string) => { close(): void };
  new Database(':memory:').close();
  const maps = readFileSync('/proc/self/maps', 'utf8');
  const file = maps
    .split('\n')
    .map((line) => line.slice(line.indexOf('/')))
    .find((p) => p.includes('better-sqlite3') && p.endsWith('.node'));
  if (!file) throw new Error('better-sqlite3 is not mapped into this process');
  return file;
}

/** Every file under dist/main reachable from the desktop entry by relative imports, and the packages it names. */
function runtimeClosure(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  const importRe = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    files.push(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec) continue;
      if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec));
      else if (!spec.startsWith('node:')) {
        const parts = spec.split('/');
        packages.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
  }
  return { files, packages };
}

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist', 'main', 'hosts', 'electron', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  }
  const standin = makeElectronDistStandin(path.join(work, 'electron-standin'));
  execFileSync(
    process.execPath,
    [
      require.resolve('electron-builder/cli.js'),
      '--dir',
      '--linux',
      `-c.electronDist=${standin.dir}`,
      `-c.directories.output=${path.join(work, 'release')}`,
    ],
    { cwd: root, stdio: 'pipe', env: { ...process.env, CI: '1' } },
  );
  entries = new Set(listPackage(asarPath, { isPack: false }).map((e) => e.replace(/^[\\/]/, '').split(path.sep).join('/')));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packaged Linux app (electron-builder --dir)', () => {
  it('holds the main entry, the preload, the renderer and everything the main entry imports at run time', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    for (const file of [pkg.main, 'package.json', 'dist/preload/index.cjs', 'dist/renderer/index.html']) {
      expect(entries.has(file), file).toBe(true);
    }
    const { files, packages } = runtimeClosure(path.join(root, pkg.main));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expect(entries.has(path.relative(root, file)), path.relative(root, file)).toBe(true);
    packages.delete('electron'); // the runtime provides it
    expect([...packages]).toContain('better-sqlite3');
    for (const name of packages) expect(entries.has(`node_modules/${name}/package.json`), name).toBe(true);
    // The renderer's assets that index.html names are there too.
    const html = readFileSync(path.join(root, 'dist', 'renderer', 'index.html'), 'utf8');
    for (const m of html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)) {
      expect(entries.has(`dist/renderer/${m[1]}`), m[1]).toBe(true);
    }
  });

  it('ships no tests, benchmarks, TypeScript sources or source maps, and no SQLite sources', () => {
    const offending = [...entries].filter(
      (e) =>
        /(^|\/)(test|bench)\//.test(e) && !e.startsWith('node_modules/') ||
        /\.test\.[cm]?js$/.test(e) ||
        (e.startsWith('dist/') && e.endsWith('.map')) ||
        (!e.startsWith('node_modules/') && /\.tsx?$/.test(e) && !e.endsWith('.d.ts')) ||
        e.startsWith('node_modules/better-sqlite3/deps/') ||
        e.startsWith('node_modules/better-sqlite3/src/'),
    );
    expect(offending).toEqual([]);
    // Renderer-only libraries are bundled by Vite and do not ship as packages.
    for (const name of ['react', 'react-dom', 'zustand', 'vite', 'vitest', 'playwright-core']) {
      expect(entries.has(`node_modules/${name}/package.json`), name).toBe(false);
    }
  });

  it("unpacks better-sqlite3's native module: a Node-API binary, the very file the tests load", () => {
    const packed = path.join(unpacked, 'node_modules', 'better-sqlite3', 'prebuilds', `${process.platform}-${process.arch}.node`);
    expect(existsSync(packed)).toBe(true);
    const symbols = definedDynamicSymbols(packed);
    expect(symbols).toContain('napi_register_module_v1');
    expect(symbols.filter((s) => s.startsWith('node_register_module_v'))).toEqual([]);
    // Only this OS's binaries ship in the Linux package.
    const prebuilds = [...entries].filter((e) => e.startsWith('node_modules/better-sqlite3/prebuilds/'));
    expect(prebuilds.every((e) => /prebuilds\/(linux|linuxmusl)-/.test(e)), prebuilds.join(', ')).toBe(true);
    const loaded = loadedSqliteAddon();
    expect(sha256(packed)).toBe(sha256(loaded));
    expect(definedDynamicSymbols(loaded)).toContain('napi_register_module_v1');
  });

  it('boots from the extracted app.asar under the Electron stand-in: the packed renderer loads in the window, the tray is set', async () => {
    const extracted = path.join(work, 'extracted');
    extractAll(asarPath, extracted);
    const home = mkdtempSync(path.join(os.tmpdir(), 'backstay-pack-user-'));
    const app = await startDesktopApp({
      userHome: home,
      dataDir: path.join(home, 'data'),
      entry: path.join(extracted, 'dist', 'main', 'hosts', 'electron', 'main.js'),
      appPath: extracted,
    });
    try {
      const win = await app.windowLoaded();
      // The renderer's router settles the empty address on its first route.
      expect(win.url).toMatch(/^app:\/\/backstay\/(#\/dashboard)?$/);
      await app.call('waitForSelector', { selector: 'text=Add a repository', timeoutMs: 20_000 });
      const tray = await app.waitFor('the tray in the setup state', (s) => s.trays.find((t) => t.tooltip.includes('Set up your first backup')));
      expect(tray.icon?.startsWith(path.join(extracted, 'assets', 'tray') + path.sep)).toBe(true);
      // The main process runs the packed copy of the native module (what `asarUnpack` put beside the archive).
      const maps = readFileSync(`/proc/${app.pid}/maps`, 'utf8');
      expect(maps).toContain(path.join(extracted, 'node_modules', 'better-sqlite3'));
      const s = await app.snapshot();
      expect(s.pageProblems).toEqual([]);
      expect(s.standinErrors).toEqual([]);
    } finally {
      await app.kill();
      rmSync(home, { recursive: true, force: true });
    }
  }, 90_000);
});
