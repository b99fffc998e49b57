// User hooks on operation events: a shell command (the operation as JSON on stdin, BACKSTAY_* variables in its
// environment) or a webhook (POST of JSON, e.g. healthchecks.io start/success/fail URLs). A hook is a guest:
// it gets a time limit, its whole process group is killed when that runs out, and nothing it does can throw
// into or hold up the job that triggered it. Callers may `void runHooks(...)`: the promise never rejects.
import { execa } from 'execa';
import type { Operation } from '../../common/operation.js';
import type { Logger } from '../engine-api.js';
import type { HookConfig, HookEvent } from '../config/schema.js';
import { setLongTimeout, type LongTimeout } from '../timers/long-timeout.js';

export type { HookConfig, HookEvent };

export interface HookResult {
  /** What ran, fit for a log: the command (shortened), or "POST <origin>/…" (URL paths often hold a token). */
  hook: string;
  event: HookEvent;
  ok: boolean;
  timedOut: boolean;
  durationMs: number;
  /** Command hooks: the exit code (null if killed by a signal). */
  exitCode?: number | null;
  /** Webhooks: the HTTP status, if a response came. */
  httpStatus?: number | null;
  /** Why it failed, in words. */
  error?: string | null;
  /** Command hooks: the end of stdout and stderr together. */
  output?: string;
}

export interface RunHooksOptions {
  /** Limit for hooks that set no timeoutMs of their own (settings.hookTimeoutSeconds * 1000). */
  timeoutMs: number;
  logger?: Logger;
}

const OUTPUT_TAIL_CHARS = 2_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;
/** After SIGTERM to the hook's process group, this long before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** A hook whose pipes are held open by an escaped grandchild is abandoned this long after SIGKILL. */
const ABANDON_AFTER_KILL_MS = 1_000;

/** Runs the hooks subscribed to `event`, all at once; resolves with one result per hook run. Never rejects. */
export async function runHooks(
  event: HookEvent,
  op: Operation,
  hooks: readonly HookConfig[],
  opts: RunHooksOptions,
): Promise<HookResult[]> {
  const selected = hooks.filter((hook) => hook.on.includes(event));
  return Promise.all(selected.map((hook) => runOneHook(event, op, hook, opts)));
}

async function runOneHook(event: HookEvent, op: Operation, hook: HookConfig, opts: RunHooksOptions): Promise<HookResult> {
  const timeoutMs = hook.timeoutMs ?? opts.timeoutMs;
  const started = Date.now();
  let result: HookResult;
  try {
    result = hook.command !== undefined
      ? await runCommandHook(event, op, hook.command, timeoutMs)
      : await runWebhook(event, op, hook.url ?? '', timeoutMs);
  } catch (err) {
    result = {
      hook: describeHook(hook),
      event,
      ok: false,
      timedOut: false,
      durationMs: Date.now() - started,
      error: `the hook could not run: ${(err as Error).message}`,
    };
  }
  const fields = { opId: op.id, event, hook: result.hook, durationMs: result.durationMs };
  if (result.ok) opts.logger?.info('hook ran', fields);
  else opts.logger?.warn('hook failed', { ...fields, error: result.error, timedOut: result.timedOut });
  return result;
}

// ---- command hooks ----------------------------------------------------------------------------------------

async function runCommandHook(event: HookEvent, op: Operation, command: string, timeoutMs: number): Promise<HookResult> {
  const started = Date.now();
  const onWindows = process.platform === 'win32';
  const subprocess = execa(onWindows ? command : '/bin/sh', onWindows ? [] : ['-c', command], {
    shell: onWindows,
    input: JSON.stringify(op),
    env: hookEnv(event, op),
    // Its own process group, so a timeout ends everything the hook started, not only the shell.
    detached: !onWindows,
    reject: false,
    all: true,
    maxBuffer: MAX_OUTPUT_BYTES,
    stripFinalNewline: true,
    windowsHide: true,
  });

  let timedOut = false;
  const timers: NodeJS.Timeout[] = [];
  // The time limit comes from a setting: a long timer (a plain setTimeout above 24.8 days fires at once).
  const killAll = (signal: NodeJS.Signals) => {
    try {
      if (!onWindows && subprocess.pid !== undefined) process.kill(-subprocess.pid, signal);
      else subprocess.kill(signal);
    } catch {
      // already gone
    }
  };
  let abandon: () => void = () => undefined;
  const abandoned = new Promise<'abandoned'>((resolve) => (abandon = () => resolve('abandoned')));
  const limit: LongTimeout = setLongTimeout(() => {
    timedOut = true;
    killAll('SIGTERM');
    timers.push(setTimeout(() => killAll('SIGKILL'), KILL_GRACE_MS));
    timers.push(setTimeout(abandon, KILL_GRACE_MS + ABANDON_AFTER_KILL_MS));
  }, timeoutMs);

  try {
    const outcome = await Promise.race([subprocess, abandoned]);
    const base = { hook: `command ${shorten(command)}`, event, timedOut, durationMs: Date.now() - started };
    if (outcome === 'abandoned') {
      subprocess.all?.destroy();
      return { ...base, ok: false, exitCode: null, error: `timed out after ${timeoutMs} ms and could not be stopped cleanly` };
    }
    const output = tail(typeof outcome.all === 'string' ? outcome.all : '');
    if (timedOut) return { ...base, ok: false, exitCode: null, error: `timed out after ${timeoutMs} ms`, output };
    if (outcome.exitCode === 0) return { ...base, ok: true, exitCode: 0, error: null, output };
    const why =
      outcome.exitCode !== undefined
        ? `exited with code ${outcome.exitCode}`
        : outcome.signal
          ? `was killed by ${outcome.signal}`
          : (outcome.shortMessage ?? 'failed');
    return { ...base, ok: false, exitCode: outcome.exitCode ?? null, error: why, output };
  } finally {
    limit.cancel();
    for (const timer of timers) clearTimeout(timer);
  }
}

function hookEnv(event: HookEvent, op: Operation): Record<string, string> {
  return {
    BACKSTAY_EVENT: event,
    BACKSTAY_OP_ID: String(op.id),
    BACKSTAY_PLAN: op.planId ?? '',
    BACKSTAY_REPO: op.repoId,
    BACKSTAY_KIND: op.kind,
    BACKSTAY_STATUS: op.status,
    BACKSTAY_SNAPSHOT_ID: op.snapshotId ?? '',
    BACKSTAY_ERROR: op.error?.message ?? '',
  };
}

// ---- webhooks ---------------------------------------------------------------------------------------------

async function runWebhook(event: HookEvent, op: Operation, url: string, timeoutMs: number): Promise<HookResult> {
  const started = Date.now();
  const base = { hook: `POST ${redactUrl(url)}`, event };
  // Not AbortSignal.timeout: its delay is a plain timer, which fires at once above 2^31-1 ms.
  const abort = new AbortController();
  const limit = setLongTimeout(() => abort.abort(new DOMException('The hook timed out', 'TimeoutError')), timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Backstay' },
      body: JSON.stringify({ event, operation: op }),
      signal: abort.signal,
    });
    // The body is of no interest; release the connection.
    await response.body?.cancel().catch(() => undefined);
    return {
      ...base,
      ok: response.ok,
      timedOut: false,
      durationMs: Date.now() - started,
      httpStatus: response.status,
      error: response.ok ? null : `HTTP ${response.status} ${response.statusText}`.trim(),
    };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return {
      ...base,
      ok: false,
      timedOut,
      durationMs: Date.now() - started,
      httpStatus: null,
      error: timedOut ? `timed out after ${timeoutMs} ms` : describeFetchError(err),
    };
  } finally {
    limit.cancel();
  }
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const message = err instanceof Error ? err.message : String(err);
  return cause ? `${message}: ${cause.code ?? cause.message ?? ''}`.trim() : message;
}

// ---- descriptions -----------------------------------------------------------------------------------------

export function describeHook(hook: HookConfig): string {
  return hook.command !== undefined ? `command ${shorten(hook.command)}` : `POST ${redactUrl(hook.url ?? '')}`;
}

/** One line for the operation's log. */
export function describeHookResult(result: HookResult): string {
  const took = `${result.durationMs} ms`;
  if (result.ok) return `hook ${result.hook} on ${result.event}: ok (${took})`;
  return `hook ${result.hook} on ${result.event}: failed, ${result.error ?? 'unknown error'} (${took})`;
}

/** Healthchecks, Slack and most webhook URLs carry their secret in the path or query: show only the origin. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const rest = parsed.pathname !== '/' || parsed.search ? '/…' : '/';
    return `${parsed.origin}${rest}`;
  } catch {
    return '(invalid URL)';
  }
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine);
}

function tail(text: string): string {
  return text.length > OUTPUT_TAIL_CHARS ? `…${text.slice(-OUTPUT_TAIL_CHARS)}` : text;
}
