// Every error code and every field problem the host can send has words in English and in Chinese, with the same
// placeholders, and the Chinese words are Chinese: nothing English is left for the Chinese window to show.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, FIELD_ISSUE_CODES } from '../../../main/common/index.js';
import { LANGUAGES } from './index.js';
import { ERROR_MESSAGES, ERROR_WORDS, errorText, FIELD_LABELS, ISSUE_MESSAGES, issueText } from './error-messages.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Words that stay as they are in Chinese text: names, commands, examples. */
const KEPT_IN_CHINESE = /restic|Backstay|backstay|serve|config\.json|PATH|chmod|Cron|home|me|Photos|\{\w+\}/g;
const englishWords = (s: string) => s.replace(KEPT_IN_CHINESE, '').match(/[A-Za-z]{3,}/g) ?? [];

function checkDictionary(name: string, byLanguage: Record<string, Record<string, string>>, keys: readonly string[]) {
  for (const key of keys) {
    for (const language of LANGUAGES) {
      const text = byLanguage[language]?.[key];
      expect(text, `${name} ${language} ${key}`).toBeTruthy();
      expect(placeholders(text!), `${name} ${language} ${key}`).toEqual(placeholders(byLanguage.en![key]!));
    }
    expect(englishWords(byLanguage['zh-CN']![key]!), `${name} zh-CN ${key}`).toEqual([]);
  }
}

describe('error words', () => {
  it('every ErrorCode has a message in every language', () => {
    checkDictionary('ERROR_MESSAGES', ERROR_MESSAGES, ERROR_CODES);
    // Nothing more than the codes either: a removed code leaves no stale words.
    expect(Object.keys(ERROR_MESSAGES.en).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('every field problem code has a message in every language', () => {
    checkDictionary('ISSUE_MESSAGES', ISSUE_MESSAGES, FIELD_ISSUE_CODES);
    expect(Object.keys(ISSUE_MESSAGES.en).sort()).toEqual([...FIELD_ISSUE_CODES].sort());
  });

  it('field names and the words around errors exist in every language', () => {
    checkDictionary('FIELD_LABELS', FIELD_LABELS, Object.keys(FIELD_LABELS.en));
    checkDictionary('ERROR_WORDS', ERROR_WORDS, Object.keys(ERROR_WORDS.en));
  });

  it('an unknown code still gets words, never the code itself', () => {
    expect(errorText('en', 'KEYCHAIN_UNAVAILABLE')).toBe('Backstay could not do that.');
    expect(errorText('zh-CN', 'SOMETHING_NEW')).toBe('Backstay 无法完成此操作。');
  });

  it('a field problem names the field as people count it', () => {
    expect(issueText('en', { code: 'not_absolute' }, 'Folder 2')).toBe('Folder 2 must be an absolute path, such as /home/me/Photos.');
    expect(issueText('zh-CN', { code: 'not_absolute' }, '第 2 个文件夹')).toBe('第 2 个文件夹必须是绝对路径，例如 /home/me/Photos。');
    expect(issueText('en', { code: 'restic_too_old', params: { version: '0.9.0', minimum: '0.14.0' } }, 'x')).toBe(
      'This is restic 0.9.0; Backstay needs restic 0.14.0 or newer.',
    );
  });
});
