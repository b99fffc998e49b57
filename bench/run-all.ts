// Runs every benchmark script under bench/ in sequence, each in its own Node process (`node --import tsx`), so one
// bench's heap and open files cannot colour the next. `npm run bench` runs this.
//
//   node --import tsx bench/run-all.ts [--quick] [--only NAME[,NAME]]
//
// --quick asks each bench for smaller sizes: the scripts written for this runner take `--quick`; the others get
// their own size flags from QUICK_ARGS below (their argument parsers may reject flags they do not know).
// Scripts are run in ORDER first, then any other bench/*.ts found, by name. Each script's JSON figure lines pass
// through; at the end one JSON line collects them, with the scripts that failed.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ORDER = ['oplog.ts', 'overhead.ts', 'ingest.ts', 'serve-sse.ts', 'snapshot-index.ts', 'desktop-frozen.ts'];
/** Node flags a script needs (serve-sse measures heap growth after forced collections). */
const NODE_FLAGS: Record<string, string[]> = { 'serve-sse.ts': ['--expose-gc'] };
/** Smaller sizes for scripts that do not take --quick. */
const QUICK_ARGS: Record<string, string[]> = {
  'oplog.ts': ['--ops', '100000'],
  'serve-sse.ts': ['--size-mb', '256', '--runs', '2', '--warmup', '0'],
  'snapshot-index.ts': ['--files', '100000'],
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});

function scripts(): string[] {
  const found = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.ts') && f !== 'run-all.ts' && !f.endsWith('.test.ts'));
  const ordered = [...ORDER.filter((f) => found.includes(f)), ...found.filter((f) => !ORDER.includes(f)).sort()];
  if (!values.only) return ordered;
  const wanted = values.only.split(',').map((n) => (n.endsWith('.ts') ? n : `${n}.ts`));
  return ordered.filter((f) => wanted.includes(f));
}

/** Runs one script with its output passed through; collects the JSON lines it prints on stdout. */
function run(script: string): Promise<{ exitCode: number | null; figures: unknown[]; seconds: number }> {
  const args = [...(NODE_FLAGS[script] ?? []), '--import', 'tsx', path.join(BENCH_DIR, script)];
  if (values.quick) args.push(...(QUICK_ARGS[script] ?? ['--quick']));
  console.log(`\n=== ${script}: node ${args.map((a) => (a.startsWith('/') ? path.relative(process.cwd(), a) : a)).join(' ')}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.dirname(BENCH_DIR) });
    const figures: unknown[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) collect(line, figures);
    });
    child.once('close', (code) => {
      collect(pending, figures);
      resolve({ exitCode: code, figures, seconds: (Date.now() - started) / 1000 });
    });
    child.once('error', (err) => {
      console.error(`${script}: ${err.message}`);
      resolve({ exitCode: null, figures, seconds: (Date.now() - started) / 1000 });
    });
  });
}

function collect(line: string, figures: unknown[]): void {
  const text = line.trim();
  if (!text.startsWith('{')) return;
  try {
    figures.push(JSON.parse(text));
  } catch {
    /* a line that only looks like JSON */
  }
}

const results: Record<string, { exitCode: number | null; seconds: number; figures: unknown[] }> = {};
for (const script of scripts()) results[script] = await run(script);
const failed = Object.entries(results)
  .filter(([, r]) => r.exitCode !== 0)
  .map(([name]) => name);
console.log(`\n=== done: ${Object.keys(results).length} scripts${failed.length ? `, failed: ${failed.join(', ')}` : ', all ran'}`);
console.log(JSON.stringify({ bench: 'all', quick: values.quick, failed, results }));
process.exitCode = failed.length ? 1 : 0;
