#!/usr/bin/env node
// Entry point for `npx backstay`: runs the built CLI (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const built = path.join(root, 'dist', 'main', 'hosts', 'cli', 'main.js');
if (!existsSync(built)) {
  process.stderr.write('backstay: not built yet. Run `npm run build` in ' + root + '\n');
  process.exit(2);
}
await import(pathToFileURL(built).href);
