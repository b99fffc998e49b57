// How long applying one state takes for 100 plans and 50 running operations (issue 5: < 2 ms).
// Run: node --import tsx renderer/bench-apply.ts
import { busyState } from './test-support/fixtures.js';
import { createAppStore, selectPlan, selectPlanIds, selectRunningBackup, selectOverallStatus } from './src/store/index.js';

const ROUNDS = 2000;
const store = createAppStore();
store.subscribe(() => {});
const json = Array.from({ length: 50 }, (_, i) => JSON.stringify(busyState(100, 50, i + 1)));
// Distinct objects per round, as each SSE event parses to, so no per-state cache is reused.
const parsed = Array.from({ length: ROUNDS + 200 }, (_, i) => JSON.parse(json[i % json.length]!));

function time(label: string, fn: (i: number) => void): void {
  for (let i = 0; i < 200; i++) fn(i); // warm up
  const samples: number[] = [];
  for (let i = 200; i < ROUNDS + 200; i++) {
    const t0 = performance.now();
    fn(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const pick = (q: number) => samples[Math.floor(q * (samples.length - 1))]!.toFixed(4);
  console.log(`${label.padEnd(52)} median ${pick(0.5)} ms  p99 ${pick(0.99)} ms  max ${pick(1)} ms`);
}

console.log(`state: 100 plans, 50 running, ${(json[0]!.length / 1024).toFixed(1)} KiB of JSON`);
time('applyState (store only)', (i) => store.getState().applyState(parsed[i % parsed.length]));
time('applyState + what every dashboard row reads', (i) => {
  store.getState().applyState(parsed[i % parsed.length]);
  const s = store.getState();
  selectOverallStatus(s);
  for (const id of selectPlanIds(s)) {
    selectPlan(id)(s);
    selectRunningBackup(id)(s);
  }
});
time('JSON.parse of the SSE event (for scale, not ours)', (i) => JSON.parse(json[i % json.length]!));
