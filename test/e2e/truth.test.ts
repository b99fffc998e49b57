// Issue 10, "Backstay never lies": a backup to an HTTP backend (rclone serve restic) that freezes (SIGSTOP), then is
// cancelled from the window. At every state event the page receives, what it shows for the plan (status word,
// progress text, buttons) is compared with that very state: no Cancel button while cancelling, never a rate or ETA
// while the engine says waiting, stalled or cancelling, never a rate or ETA the state does not carry. Separately,
// the story itself is checked against what the engine must say (waiting after 3 s, `cancelling` with its stage,
// no rate/ETA from numbers that stopped), so a failure says whose part is missing.
import { describe, expect, it } from 'vitest';
import type { AppState, RunningOp } from '../../main/common/index.js';
import { serveRepositoryOverHttp, type RcloneServer } from '../helpers/rclone.js';
import { createWorkspace, type Workspace } from '../helpers/workspace.js';
import { writeRandomFiles } from '../serve/serve-harness.js';
import {
  byTestId,
  installTruthRecorder,
  liveOpId,
  readTruthRecords,
  startSession,
  type E2eSession,
  type TruthRecord,
} from './helpers.js';
import { tearDownAfterEach } from './teardown.js';

const PLAN = 'photos';
const STALL_AFTER_SECONDS = 6;
const CANCEL_GRACE_SECONDS = 3;
/** The engine declares "waiting" after this long without forward progress (CONTRACT: 3 s). */
const WAITING_AFTER_MS = 3000;

const WORDS: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  stalled: 'Stalled',
  cancelling: 'Cancelling…',
  success: 'Success',
  warning: 'Warning',
  error: 'Error',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  never: 'Not run yet',
};
const LIVE = new Set(['queued', 'running', 'stalled', 'cancelling']);

function backupOf(state: AppState): RunningOp | undefined {
  return state.running.find((r) => r.planId === PLAN && r.kind === 'backup');
}

/**
 * What the page showed for the plan against the state it had just rendered. `clicked`: the Cancel click happened
 * before this event (the button must then be the disabled "Cancelling…" until the state says cancelling);
 * undefined while it is not known whether the click landed yet.
 */
export function rowMismatches(record: TruthRecord, clicked: boolean | undefined): string[] {
  const { state, dom } = record;
  const problems: string[] = [];
  const say = (what: string) => problems.push(`v${state.version}: ${what}`);
  const r = backupOf(state);
  if (r) {
    const waiting = r.status === 'running' && !!r.waitingSince;
    if (dom.badgeStatus !== r.status || dom.badgeText !== WORDS[r.status]) say(`badge "${dom.badgeText}" (${dom.badgeStatus}) while the engine says ${r.status}`);
    if (!dom.live || dom.live.opId !== r.opId || dom.live.status !== r.status) say(`live block ${JSON.stringify(dom.live && { ...dom.live, text: undefined })} for engine ${r.opId}:${r.status}`);
    const text = dom.live?.text ?? '';
    const eta = /ETA/.test(text);
    const rate = /\/s\b/.test(text);
    const names = dom.buttons.map((b) => b.name);
    if (r.status !== 'running' || waiting) {
      if (eta || rate) say(`rate/ETA shown ("${text}") while the engine says ${waiting ? 'waiting' : r.status}`);
    } else {
      if (eta && r.progress?.etaSeconds == null) say(`an ETA the state does not carry: "${text}"`);
      if (rate && !r.progress?.bytesPerSecond) say(`a rate the state does not carry: "${text}"`);
    }
    if (waiting && (dom.live?.phase !== 'waiting' || !/waiting for the backend \(\d+ s\)/.test(text))) say(`engine waiting since ${r.waitingSince}, page shows "${text}"`);
    if (r.status === 'stalled' && !/No progress since/.test(text)) say(`stalled without its evidence: "${text}"`);
    if (r.status === 'cancelling') {
      if (names.includes('Cancel') || names.includes('Keep waiting')) say(`buttons ${JSON.stringify(names)} while cancelling`);
      const stageWords = r.cancel?.stage === 'interrupt' ? 'asking restic to stop' : 'forcing it to stop';
      if (!text.includes(`Cancelling… ${stageWords}`)) say(`cancelling (${r.cancel?.stage}) shown as "${text}"`);
    } else if (r.status !== 'queued' && clicked !== undefined) {
      const cancel = dom.buttons.find((b) => b.name === 'Cancel');
      const pending = dom.buttons.find((b) => b.name === 'Cancelling…');
      if (clicked) {
        if (cancel || !pending?.disabled || names.includes('Keep waiting')) say(`after the Cancel click, buttons ${JSON.stringify(dom.buttons)}`);
      } else {
        if (!cancel || cancel.disabled) say(`no usable Cancel button: ${JSON.stringify(dom.buttons)}`);
        if (r.status === 'stalled' && !names.includes('Keep waiting')) say('stalled without Keep waiting');
      }
    }
  } else {
    if (dom.live) say(`live block for op ${dom.live.opId} while the engine lists no live backup`);
    const plan = state.plans.find((p) => p.id === PLAN);
    const last = plan?.lastOp?.status;
    const expected = !last ? 'never' : LIVE.has(last) ? 'interrupted' : last;
    if (dom.badgeStatus !== expected || dom.badgeText !== WORDS[expected]) say(`badge "${dom.badgeText}" (${dom.badgeStatus}), expected ${expected}`);
    if (dom.buttons.some((b) => b.name === 'Cancel' || b.name === 'Cancelling…')) say(`cancel buttons with nothing live: ${JSON.stringify(dom.buttons)}`);
  }
  return problems;
}

/** The header reads the engine's one overall status (another helper's part; reported on its own). */
function headerMismatches(record: TruthRecord): string[] {
  const { state, dom } = record;
  const out: string[] = [];
  if (state.status && dom.header?.status !== state.status.level) out.push(`v${state.version}: header ${dom.header?.status} while state.status is ${state.status.level}`);
  if (backupOf(state) && dom.header?.status === 'ok') out.push(`v${state.version}: header "${dom.header.text}" while a backup is live`);
  return out;
}

let ws: Workspace | null = null;
let rclone: RcloneServer | null = null;
let session: E2eSession | null = null;

tearDownAfterEach(
  () => ({ session, ws, rclone }),
  () => {
    session = null;
    rclone = null;
    ws = null;
  },
);

describe('the window tells the truth during a stall and a cancel', () => {
  it('at every state event the status text and buttons match the engine state', async () => {
    const started = Date.now();
    ws = await createWorkspace({ init: false, files: 0 });
    await writeRandomFiles(ws.sourceDir, 12, 16 * 1024 * 1024);
    rclone = await serveRepositoryOverHttp(ws);
    await ws.writeConfig({
      repos: [{ id: 'http', uri: rclone.uri, password: { file: ws.passwordFile } }],
      plans: [{ id: PLAN, repo: 'http', paths: [ws.sourceDir] }],
      settings: { stallAfterSeconds: STALL_AFTER_SECONDS, cancelGraceSeconds: CANCEL_GRACE_SECONDS, uiUpdateHz: 10 },
    });
    session = await startSession(ws.dataDir);
    const { page } = session;
    await installTruthRecorder(page, PLAN);
    await page.goto(session.url);
    const row = byTestId(page, `plan-row-${PLAN}`);
    await row.waitFor({ timeout: 30_000 });

    await row.getByRole('button', { name: 'Back up now', exact: true }).click();
    const opId = await liveOpId(row, 20_000);
    const progress = byTestId(row, `op-progress-${opId}`, 'running');
    await progress.waitFor({ timeout: 20_000 });
    await expect
      .poll(() => progress.locator('progress').evaluate((bar) => (bar as HTMLProgressElement).value), { timeout: 20_000 })
      .toBeGreaterThan(0);

    rclone.freeze();
    const frozenAt = Date.now();
    await byTestId(page, `plan-status-${PLAN}`, 'stalled').waitFor({ timeout: (STALL_AFTER_SECONDS + 8) * 1000 });

    const clickStart = await page.evaluate(() => Date.now());
    await row.getByRole('button', { name: 'Cancel', exact: true }).click();
    const clickedAt = await page.evaluate(() => Date.now());
    // At once: nothing left to click (a disabled "Cancelling…" until the state confirms, then no button).
    expect(await row.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Keep waiting', exact: true }).count()).toBe(0);

    // SIGINT, SIGTERM after the grace period, SIGKILL a few seconds later.
    await byTestId(page, `plan-status-${PLAN}`, 'cancelled').waitFor({ timeout: (CANCEL_GRACE_SECONDS + 12) * 1000 });
    rclone.thaw();
    const final = await session.serve.client.rpc('ops.get', { opId });
    // Let the last events land and render.
    await page.waitForTimeout(500);
    const records = await readTruthRecords(page);
    expect(records.length).toBeGreaterThan(10);

    // The window's part: the page matched each state it received.
    const windowProblems = records.flatMap((rec) =>
      rowMismatches(rec, rec.at >= clickedAt ? true : rec.at < clickStart ? false : undefined),
    );
    expect.soft(windowProblems, 'the page contradicted the state it had just received').toEqual([]);
    // The story went through every phase on screen (so the comparison above compared something).
    const shown = new Set(records.flatMap((rec) => [rec.dom.live?.phase, rec.dom.badgeStatus]).filter(Boolean));
    const timeline = records
      .map((rec) => `${rec.at - records[0]!.at}ms v${rec.state.version} ${backupOf(rec.state)?.status ?? '-'}${backupOf(rec.state)?.waitingSince ? '/waiting' : ''}${backupOf(rec.state)?.cancel ? `/${backupOf(rec.state)!.cancel!.stage}` : ''} | ${rec.dom.badgeText} ${JSON.stringify(rec.dom.buttons.map((b) => b.name + (b.disabled ? '(disabled)' : '')))}`)
      .filter((line, i, all) => i === 0 || line.split(' ').slice(2).join(' ') !== all[i - 1]!.split(' ').slice(2).join(' '));
    expect.soft([...shown].sort(), `phases shown; timeline:\n${timeline.join('\n')}`).toEqual(
      expect.arrayContaining(['cancelled', 'cancelling', 'running', 'stalled', 'waiting']),
    );
    if (process.env['BACKSTAY_E2E_TIMELINE']) console.log(timeline.join('\n'));
    expect.soft(records.flatMap(headerMismatches), 'the header contradicted the state (header helper)').toEqual([]);

    // The engine's part: what the states themselves must have said during this story.
    const mine = records.map((rec) => ({ at: rec.at, r: backupOf(rec.state), state: rec.state })).filter((x) => x.r?.opId === opId);
    const beforeStall = mine.filter((x) => x.at > frozenAt && x.r!.status === 'running');
    const engine: string[] = [];
    if (!beforeStall.some((x) => x.r!.waitingSince)) engine.push('no state carried waitingSince between the freeze and the stall');
    // A rate or ETA is invented when the numbers have not moved for longer than the waiting threshold (restic may
    // still move a little after the freeze, into the kernel's socket buffers: that is real progress).
    const invented = mine.filter((x) => {
      if (x.r!.progress?.etaSeconds == null && x.r!.progress?.bytesPerSecond == null) return false;
      const earlier = mine.filter((y) => y.at <= x.at - WAITING_AFTER_MS - 500).at(-1);
      return !!earlier && earlier.r!.progress?.bytesDone === x.r!.progress?.bytesDone && earlier.r!.progress?.filesDone === x.r!.progress?.filesDone;
    });
    if (invented.length > 0) engine.push(`${invented.length} states carried a rate/ETA although nothing had moved for over 3 s (e.g. ${JSON.stringify(invented[0]!.r!.progress)})`);
    const afterClick = mine.filter((x) => x.at > clickedAt + 1000);
    const notCancelling = afterClick.filter((x) => x.r!.status !== 'cancelling');
    if (notCancelling.length > 0) engine.push(`after the cancel, ${notCancelling.length} states said ${[...new Set(notCancelling.map((x) => x.r!.status))].join('/')} instead of cancelling`);
    // restic 0.14 dies at once on SIGTERM, so the "forcing" stage may end in the same snapshot as the operation:
    // what must be seen is the cancel with its stage, from the click on.
    const stages = [...new Set(mine.filter((x) => x.at >= clickStart).map((x) => x.r!.cancel?.stage).filter(Boolean))];
    if (stages.length === 0) engine.push('no state after the click carried the cancel and its stage');
    if (!records.some((rec) => rec.state.status)) engine.push('no state carried the overall status');
    if (final.status !== 'cancelled') engine.push(`the operation ended ${final.status}`);
    expect.soft(engine, 'the engine state did not tell this story (engine helper)').toEqual([]);

    expect(session.problems).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
