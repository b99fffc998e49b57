#!/usr/bin/env node
// `npm start`: run the desktop app from source (already built by the npm script). Where Electron cannot run (its
// binary is not installed, or there is no display), say so in one line and start `backstay serve` instead, so the
// README's run command works everywhere.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const binary = require('electron'); // the package exports the binary's path
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
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
  // better-sqlite3 must match Electron's ABI for the app; `npm test` rebuilds it for Node again (test/ensure-node-native.mjs).
  const rebuilt = spawnSync('npx', ['electron-builder', 'install-app-deps'], { cwd: root, stdio: 'inherit' });
  if (rebuilt.status !== 0) {
    console.log('Backstay: could not build better-sqlite3 for Electron; starting `backstay serve` instead.');
    run(process.execPath, [path.join(root, 'main/hosts/cli/backstay.mjs'), 'serve', ...process.argv.slice(2)]);
  } else {
    run(binary, [root, ...process.argv.slice(2)]);
  }
}
