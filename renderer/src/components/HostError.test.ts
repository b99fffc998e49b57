// The host's stored errors and warnings in the window's language: the English window keeps the host's specific
// words, any other language gets its own words for the code (no English sentence on a Chinese screen).
import { describe, expect, it } from 'vitest';
import type { AppWarning, PlanState } from '../../../main/common/index.js';
import { translate, type Language } from '../i18n/index.js';
import { warningWords } from '../features/shell/overall-text.js';
import { hostErrorWords } from './HostError.js';

const LATIN_SENTENCE = /[A-Za-z]{3,}\s+[A-Za-z]{3,}/;

describe('hostErrorWords', () => {
  const message = 'Nothing to back up for plan "mail": "/srv/mail" does not exist (is the drive connected?).';
  it('English keeps the host text, which names the path', () => {
    expect(hostErrorWords('en', 'SOURCE_MISSING', message)).toBe(message);
  });
  it('Chinese says it in Chinese, for every code the host stores', () => {
    for (const code of ['SOURCE_MISSING', 'NO_SNAPSHOT', 'WRONG_PASSWORD', 'NETWORK', 'REPOSITORY_LOCKED', 'OPLOG_CORRUPT']) {
      const words = hostErrorWords('zh-CN', code, message);
      expect(words, code).not.toMatch(LATIN_SENTENCE);
      expect(words.length, code).toBeGreaterThan(0);
    }
  });
  it('an unknown code falls back to the host text rather than to nothing', () => {
    expect(hostErrorWords('zh-CN', 'SOMETHING_NEW', 'restic said x')).toBe('restic said x');
  });
});

describe('warningWords', () => {
  const plan = (lastSuccessAt: string | null) => ({ id: 'mail', lastSuccessAt }) as PlanState;
  const warning = (kind: AppWarning['kind'], message = 'mail has never been backed up successfully.'): AppWarning => ({
    id: `${kind}:mail`,
    kind,
    level: 'warning',
    message,
    planId: 'mail',
  });
  const t = (language: Language) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate(language, key, vars);
  it.each(['en', 'zh-CN'] as const)('a no-success warning in %s names the plan, in the language', (language) => {
    const never = warningWords(warning('no-success'), { plans: [plan(null)] }, t(language), language);
    const since = warningWords(warning('no-success'), { plans: [plan('2026-11-01T10:00:00.000Z')] }, t(language), language);
    expect(never).toContain('mail');
    expect(since).toContain('mail');
    if (language === 'zh-CN') {
      expect(never).not.toMatch(LATIN_SENTENCE);
      expect(since).not.toMatch(LATIN_SENTENCE);
    }
  });
  it('a damaged oplog warning is in Chinese in the Chinese window', () => {
    const words = warningWords(warning('oplog-corrupt', 'The operation log was damaged (file is not a database)'), { plans: [] }, t('zh-CN'), 'zh-CN');
    expect(words).not.toMatch(LATIN_SENTENCE);
  });
});
