// Makes a stand-in for Electron's unpacked distribution (what electron-builder copies as the app's runtime), so that
// `electron-builder --dir` can lay out and pack the app on a machine that cannot download Electron. The stand-in's
// `electron` executable only says what it is: packaging is checked here, not the real runtime (see README).
// Usage: node test/packaging/electron-dist-standin.mjs DIR
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function makeElectronDistStandin(dir) {
  const require = createRequire(import.meta.url);
  const { version } = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8'));
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const exe = path.join(dir, 'electron');
  writeFileSync(exe, '#!/bin/sh\necho "stand-in for Electron ' + version + ': the real binary is not installed" >&2\nexit 1\n');
  chmodSync(exe, 0o755);
  writeFileSync(path.join(dir, 'version'), version);
  return { dir, version };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: electron-dist-standin.mjs DIR');
    process.exit(2);
  }
  const { version } = makeElectronDistStandin(path.resolve(dir));
  console.log(`Electron ${version} stand-in distribution in ${dir}`);
}
