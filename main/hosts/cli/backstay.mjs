#!/usr/bin/env node
// Entry point for `npx backstay`. Runs the bundled CLI (dist/cli, one file per command: Node loads a few chunks
// instead of a few hundred modules, which is most of a command's start-up time), else the compiled tree.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const candidates = [path.join(root, 'dist', 'cli', 'main.js'), path.join(root, 'dist', 'main', 'hosts', 'cli', 'main.js')];
const built = candidates.find((file) => existsSync(file));
if (!built) {
  process.stderr.write('backstay: not built yet. Run `npm run build` in ' + root + '\n');
  process.exit(2);
}
await import(pathToFileURL(built).href);
