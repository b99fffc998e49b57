#!/usr/bin/env node
// `npm start`: run the desktop app from source (already built by the npm script). Where Electron cannot run (its
// binary is not installed, or there is no display), say so in one line and start `backstay serve` instead, so the
// README's run command works everywhere.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);

// Electron 42+ fetches its binary on the first `require('electron')`; read where it would be instead, so that a
// machine that cannot download it falls back at once rather than trying.
function electronBinary() {
  try {
    const pkgDir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const binary = electronBinary();
const reason = !binary ? 'the Electron binary is not installed' : !hasDisplay() ? 'there is no display' : null;
if (reason) {
  console.log(`Backstay: ${reason}, so the desktop app cannot start; starting \`backstay serve\` instead (open the URL below).`);
  run(process.execPath, [path.join(root, 'main/hosts/cli/backstay.mjs'), 'serve', ...process.argv.slice(2)]);
} else {
  // better-sqlite3 13 is a Node-API addon: the same prebuilt file loads in Node and in Electron, nothing to rebuild.
  run(binary, [root, ...process.argv.slice(2)]);
}
