// Before the tests: better-sqlite3 must be the build for this Node (not one rebuilt for Electron's ABI by
// `npm start` / `npm run dist`). If loading it fails with an ABI mismatch, rebuild it for Node.
import { createRequire } from 'node:module';
import { execSync } from 'node:child_process';

const require = createRequire(import.meta.url);
try {
  const Database = require('better-sqlite3');
  new Database(':memory:').close();
} catch (err) {
  if (!/NODE_MODULE_VERSION|was compiled against a different Node.js version|invalid ELF|Could not locate the bindings/.test(String(err))) throw err;
  console.error('better-sqlite3 was built for another runtime (Electron?); rebuilding it for Node...');
  execSync('npm rebuild better-sqlite3', { stdio: 'inherit' });
}
