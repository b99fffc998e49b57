// /metrics tells a headless server's monitoring which plans wait for their conditions.
import { describe, expect, it } from 'vitest';
import { metricsText } from '../../main/hosts/headless/metrics.js';
import { appState, plan } from '../../main/core/state/testing/app-state.js';

describe('metrics of postponed plans', () => {
  it('one sample per waiting plan, with its reason; none for a plan that waits for nothing', () => {
    const since = '2026-12-01T10:02:00.000Z';
    const text = metricsText(appState({ plans: [plan('home', null, { postponed: { reason: 'metered', since } }), plan('work', null)] }));
    const samples = text.split('\n').filter((l) => l.startsWith('backstay_plan_postponed_since_timestamp_seconds{'));
    expect(samples).toEqual([`backstay_plan_postponed_since_timestamp_seconds{plan="home",repo="nas",reason="metered"} ${Date.parse(since) / 1000}`]);
  });
});
