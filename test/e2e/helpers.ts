// End-to-end harness: the real `backstay serve` (through tsx) serving the built renderer, and Debian's Chromium
// driven by playwright-core. Every console error and page error (CSP violations included: Chromium reports them
// as console errors) is collected, so a test can assert that the window stayed clean.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { AppState, Operation } from '../../main/common/index.js';
import { killIfRunning, startServeProcess, type ServeProcess } from '../serve/serve-harness.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = '/usr/bin/chromium';
const RENDERER_DIR = path.join(ROOT, 'dist/renderer');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** The built page is usable when index.html and every asset it names are on disk. */
function rendererIsBuilt(): boolean {
  const index = path.join(RENDERER_DIR, 'index.html');
  if (!existsSync(index)) return false;
  const html = readFileSync(index, 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
  return assets.length > 0 && assets.every((a) => existsSync(path.join(RENDERER_DIR, a)));
}

/**
 * `npm test` builds first; a lone `vitest run --project e2e` may not have. Builds the renderer once, under a lock
 * directory, so that two test files (or two vitest runs) never build into the same folder at once.
 */
export function ensureRendererBuilt(): void {
  if (rendererIsBuilt()) return;
  const lock = path.join(os.tmpdir(), 'backstay-e2e-renderer-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than two minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* it went away meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`Waited 2 min for ${lock}; remove it if no build is running.`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (rendererIsBuilt()) return;
    try {
      execFileSync('npm', ['run', 'build:renderer'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
    } catch (error) {
      const out = String((error as { stderr?: Buffer }).stderr ?? '').slice(-2000);
      throw new Error(`The renderer is not built (dist/renderer) and "npm run build:renderer" failed. Run "npm run build" first.\n${out}`);
    }
    if (!rendererIsBuilt()) throw new Error('"npm run build:renderer" ran but dist/renderer/index.html or its assets are missing.');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface E2eSession {
  serve: ServeProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The ready line's URL, with `#token=...`. */
  url: string;
  /** Console errors, page errors and crashes seen so far, in words. */
  problems: string[];
  /** Opens another page in the same context, watched like the first. */
  newPage(): Promise<Page>;
  /** Ends everything: browser first (so its event stream closes cleanly), then serve with SIGTERM. */
  close(): Promise<void>;
}

export interface SessionOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  locale?: string;
}

function watch(page: Page, problems: string[]): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('crash', () => problems.push('the page crashed'));
}

/** Starts serve on `dataDir` and a fresh Chromium context; the page is not yet navigated. */
export async function startSession(dataDir: string, options: SessionOptions = {}): Promise<E2eSession> {
  ensureRendererBuilt();
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM} (apt-get install chromium).`);
  const serve = await startServeProcess(dataDir, 60_000);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
      locale: options.locale ?? 'en-US',
      reducedMotion: 'reduce',
    });
    const problems: string[] = [];
    const page = await context.newPage();
    watch(page, problems);
    const readyUrl = JSON.parse(serve.lines.find((l) => l.includes('"ready"'))!) as { url: string };
    const b = browser;
    return {
      serve,
      browser: b,
      context,
      page,
      url: readyUrl.url,
      problems,
      async newPage() {
        const p = await context.newPage();
        watch(p, problems);
        return p;
      },
      async close() {
        await b.close().catch(() => undefined);
        await serve.stop('SIGTERM', 20_000).catch(() => killIfRunning(serve));
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await serve.stop('SIGTERM', 20_000).catch(() => killIfRunning(serve));
    throw error;
  }
}

/** Waits for an element with this test id and (optionally) this data-status. */
export function byTestId(page: Page | Locator, testId: string, status?: string): Locator {
  return page.locator(status === undefined ? `[data-testid="${testId}"]` : `[data-testid="${testId}"][data-status="${status}"]`);
}

/** The operation id in a `op-progress-<id>` test id inside `scope` (waits until one is there). */
export async function liveOpId(scope: Locator, timeoutMs: number): Promise<number> {
  const progress = scope.locator('[data-testid^="op-progress-"]').first();
  await progress.waitFor({ timeout: timeoutMs });
  const testId = await progress.getAttribute('data-testid');
  const id = Number(testId?.slice('op-progress-'.length));
  if (!Number.isInteger(id) || id <= 0) throw new Error(`unexpected progress test id ${testId}`);
  return id;
}

/** Polls ops.get until the operation is terminal (bounded); returns it. */
export async function waitForTerminalOp(
  client: ServeProcess['client'],
  opId: number,
  timeoutMs: number,
): Promise<Operation> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const op = await client.rpc('ops.get', { opId });
    if (!['queued', 'running', 'stalled', 'cancelling'].includes(op.status)) return op;
    if (Date.now() > deadline) throw new Error(`operation ${opId} still ${op.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Backs `planId` up through the RPC (not the window), waits for it and returns its snapshot's id; it must succeed. */
export async function backUpNow(client: ServeProcess['client'], planId: string, timeoutMs = 60_000): Promise<string> {
  const { opId } = await client.rpc('plans.backup', { planId });
  const op = await waitForTerminalOp(client, opId, timeoutMs);
  if (op.status !== 'success' || !op.snapshotId) throw new Error(`backup of ${planId} ended ${op.status} (snapshot ${op.snapshotId ?? 'none'})`);
  return op.snapshotId;
}

/** Facts about one plan's row as the page showed them right after it applied a state event. */
export interface PlanRowFacts {
  badgeText: string | null;
  badgeStatus: string | null;
  /** The live block (`op-progress-<id>`): its op id, data-status, data-phase and text; null when none is shown. */
  live: { opId: number; status: string | null; phase: string | null; text: string } | null;
  buttons: { name: string; disabled: boolean }[];
  header: { status: string | null; text: string } | null;
}

/** One state event as the page received it, and what the page showed once it had rendered it. */
export interface TruthRecord {
  at: number;
  state: AppState;
  dom: PlanRowFacts;
}

declare global {
  interface Window {
    __backstayTruth?: TruthRecord[];
  }
}

/**
 * Records, in the page, every `state` event the page's own EventSource receives, together with what the page shows
 * for `planId` once that event is rendered (a macrotask after the event: React flushes the store update in a
 * microtask before it). Install before `page.goto`. Read with `readTruthRecords`.
 */
export async function installTruthRecorder(page: Page, planId: string): Promise<void> {
  await page.addInitScript((plan: string) => {
    const records: unknown[] = [];
    (window as unknown as { __backstayTruth: unknown[] }).__backstayTruth = records;
    const probe = () => {
      const row = document.querySelector(`[data-testid="plan-row-${plan}"]`);
      const badge = row?.querySelector(`[data-testid="plan-status-${plan}"]`) ?? null;
      const live = row?.querySelector('[data-testid^="op-progress-"]') ?? null;
      const header = document.querySelector('[data-testid="overall-status"]');
      return {
        badgeText: badge?.textContent ?? null,
        badgeStatus: badge?.getAttribute('data-status') ?? null,
        live: live
          ? {
              opId: Number(live.getAttribute('data-testid')!.slice('op-progress-'.length)),
              status: live.getAttribute('data-status'),
              phase: live.getAttribute('data-phase'),
              text: live.textContent ?? '',
            }
          : null,
        buttons: row
          ? Array.from(row.querySelectorAll('button')).map((b) => ({ name: (b.textContent ?? '').trim(), disabled: (b as HTMLButtonElement).disabled }))
          : [],
        header: header ? { status: header.getAttribute('data-status'), text: header.textContent ?? '' } : null,
      };
    };
    const Original = window.EventSource;
    class RecordingEventSource extends Original {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener('state', (ev) => {
          let state: unknown;
          try {
            state = JSON.parse((ev as MessageEvent<string>).data);
          } catch {
            return;
          }
          setTimeout(() => records.push({ at: Date.now(), state, dom: probe() }), 0);
        });
      }
    }
    window.EventSource = RecordingEventSource as typeof EventSource;
  }, planId);
}

export async function readTruthRecords(page: Page): Promise<TruthRecord[]> {
  return page.evaluate(() => (window.__backstayTruth ?? []) as TruthRecord[]);
}
