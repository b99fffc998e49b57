// `backstay serve`: the engine with schedules, plus the HTTP host. Prints the ready line; SIGINT/SIGTERM end running
// operations `cancelled`, close the oplog and exit 0.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEngine } from '../../core/engine.js';
import { startHeadlessHost } from '../headless/host.js';

/** The built renderer (dist/renderer), found from wherever this module runs: the CLI bundle (dist/cli), the compiled
 * tree (dist/main/hosts/cli) or the sources under tsx (main/hosts/cli). Never the unbuilt renderer/ folder, whose
 * index.html loads src/main.tsx. */
function rendererDir(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../renderer'), path.resolve(here, '../../../renderer'), path.resolve(here, '../../../dist/renderer')]) {
    if (path.basename(path.dirname(candidate)) === 'dist' && existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

export async function runServeCommand(opts: { dataDir: string; port: number }): Promise<number> {
  const engine = await startEngine({ dataDir: opts.dataDir, host: 'serve', runSchedules: true });
  let host;
  try {
    host = await startHeadlessHost({ engine, port: opts.port, staticDir: rendererDir(), logger: engine.logger });
  } catch (err) {
    await engine.shutdown();
    throw err;
  }
  process.stdout.write(`${host.readyLine}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  engine.logger.info('serve: stopping on signal');
  await host.close();
  await engine.shutdown();
  return 0;
}
