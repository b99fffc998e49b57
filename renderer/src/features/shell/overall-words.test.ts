// Every kind of reason the host can give for the overall status has its own sentence in both of the window's
// languages: no placeholder left unfilled, never the "Something needs a look" fallback. A kind added to the host
// (REASON_LEVELS) without words here fails this test instead of reaching a person as a shrug.
import { describe, expect, it } from 'vitest';
import type { StatusReason } from '../../../../main/common/index.js';
import { REASON_LEVELS, type StatusReasonKind } from '../../../../main/core/state/overall-status.js';
import { translate, type Language } from '../../i18n/index.js';
import { appState, plan } from '../../../test-support/fixtures.js';
import { describeReason } from './overall-text.js';

const KINDS = Object.keys(REASON_LEVELS) as StatusReasonKind[];
const now = new Date('2026-12-01T15:00:00Z');

describe.each<Language>(['en', 'zh-CN'])('overall status words in %s', (language) => {
  const t = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) => translate(language, key, vars);
  const fallback = t('overall.reason.unknown');
  it.each(KINDS)('%s', (kind) => {
    const reason = { kind, planId: 'home', repoId: 'nas', opId: 7, since: '2026-12-01T14:03:00Z', warningId: 'no-success:home', condition: 'on-battery' } as StatusReason;
    const state = appState({
      plans: [plan('home')],
      pausedUntil: kind === 'paused' ? 'forever' : null,
      warnings: [{ id: 'no-success:home', kind: 'no-success', planId: 'home', message: 'no success', since: '2026-11-20T00:00:00Z' } as never],
      status: { level: REASON_LEVELS[kind], reasons: [reason] },
    });
    const words = describeReason(reason, state.status!, state, t, language, now);
    expect(words).not.toBe('');
    expect(words).not.toBe(fallback);
    expect(words).not.toMatch(/\{\w+\}/);
  });
});
