// `npx backstay` runs the built, bundled CLI (dist/cli, made by `npm run build`, which `npm test` runs first).
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { jsonLines } from '../helpers/cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'main/hosts/cli/backstay.mjs');

let ws: Workspace | null = null;
afterEach(async () => {
  await ws?.cleanup();
  ws = null;
});

describe('the built CLI', () => {
  it('is the bundle, and runs a real backup to the end', async () => {
    expect(existsSync(path.join(root, 'dist/cli/main.js'))).toBe(true);
    ws = await createWorkspace();
    await ws.writeConfig();
    const result = await execa(process.execPath, [bin, 'backup', 'home', '--json', '--data-dir', ws.dataDir], { reject: false, stdin: 'ignore' });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const finished = jsonLines(String(result.stdout)).find((e) => e.type === 'finished');
    expect(finished).toMatchObject({ status: 'success' });
    const help = await execa(process.execPath, [bin, '--help'], { reject: false });
    expect(help.exitCode).toBe(0);
    expect(String(help.stdout)).toContain('backup');
  });
});
