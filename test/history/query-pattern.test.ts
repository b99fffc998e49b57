// The search query language of findAll / `backstay find`, table by table: fragments, globs on names, globs on whole
// paths, escapes and metacharacters that must stay literal; and the exact mtimes the index compares.
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../main/core/history/query-pattern.js';
import { formatExactTime, parseResticTime } from '../../main/core/history/restic-time.js';

const CASES: [query: string, path: string, matches: boolean][] = [
  // fragments: anywhere in the name, any case, never in the folder part
  ['report', '/home/me/Q3-Report.pdf', true],
  ['REPORT', '/home/me/q3-report.pdf', true],
  ['me', '/home/me/x.txt', false],
  ['100%_done', '/a/100%_done.txt', true],
  ['100%_done', '/a/100ab_done.txt', false],
  ['ä', '/a/Ä.txt', true],
  // globs on names
  ['*.txt', '/a/b.txt', true],
  ['*.txt', '/a/b.txt.bak', false],
  ['?.txt', '/a/b.txt', true],
  ['?.txt', '/a/bb.txt', false],
  ['[bc]*', '/a/cat', true],
  ['[!bc]*', '/a/cat', false],
  ['[a-c]at', '/x/bat', true],
  ['file[0-9]', '/x/file7', true],
  ['*.TXT', '/a/b.txt', true],
  // metacharacters taken literally: escaped, or an unclosed class
  ['a\\[1\\].txt', '/a/a[1].txt', true],
  ['a\\[1\\].txt', '/a/a1.txt', false],
  ['a[1].txt', '/a/a1.txt', true],
  ['[unclosed', '/a/[unclosed', true],
  ['a\\*b', '/x/a*b', true],
  ['a\\*b', '/x/aXb', false],
  ['(x)+', '/x/(x)+', true],
  ['(x)+', '/x/xx', false],
  ['a.b', '/x/aXb', false],
  // globs with "/": the whole path; "*" stays in one folder, "**" crosses them
  ['docs/*.txt', '/home/me/docs/a.txt', true],
  ['docs/*.txt', '/home/me/docs/sub/a.txt', false],
  ['docs/**/*.txt', '/home/me/docs/sub/deep/a.txt', true],
  ['docs/**/*.txt', '/home/me/docs/a.txt', true],
  ['/home/*/docs/*', '/home/me/docs/a', true],
  ['/home/*/docs/*', '/srv/home/me/docs/a', false],
  ['me/docs', '/home/me/docs', true],
  ['me/docs', '/home/me/docs2', true],
  ['me/docs', '/home/me/docs/a.txt', false],
  ['ME/Docs/', '/home/me/docs/a.txt', true],
];

describe('compileQuery', () => {
  it.each(CASES)('%s against %s: %s', (query, path, expected) => {
    const m = compileQuery(query);
    expect(m.matches(path.slice(path.lastIndexOf('/') + 1), path)).toBe(expected);
  });

  it('the LIKE prefilter never drops a match', () => {
    // SQLite LIKE folds ASCII case only and treats % and _ as wildcards: emulate it and check every matching case.
    const like = (pattern: string, text: string) => {
      let re = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i] === '\\' ? pattern[++i]! : pattern[i]!;
        if (pattern[i - 1] !== '\\' && c === '%') re += '.*';
        else if (pattern[i - 1] !== '\\' && c === '_') re += '.';
        else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      }
      return new RegExp(`^${re}$`, 'is').test(text);
    };
    for (const [query, path, expected] of CASES) {
      if (!expected) continue;
      const m = compileQuery(query);
      if (m.nameLike === null) continue;
      expect(like(m.nameLike, path.slice(path.lastIndexOf('/') + 1)), `${query} / ${m.nameLike}`).toBe(true);
    }
  });

  it('refuses an empty query with a clear error', () => {
    for (const q of ['', '   ', '\t']) expect(() => compileQuery(q)).toThrow(/empty/);
    expect(() => compileQuery('x'.repeat(300))).toThrow(/longer than/);
  });
});

describe('restic times', () => {
  it.each([
    ['2026-11-25T10:00:00.123456789+01:00', '2026-11-25T09:00:00.123456789Z'],
    ['2026-11-25T10:00:00Z', '2026-11-25T10:00:00.000Z'],
    ['2026-11-25T10:00:00.5-02:30', '2026-11-25T12:30:00.500Z'],
  ])('%s is kept exactly as %s', (text, utc) => {
    const t = parseResticTime(text)!;
    expect(formatExactTime(t.ms, t.ns)).toBe(utc);
  });
  it('two times one nanosecond apart differ', () => {
    expect(parseResticTime('2026-11-25T10:00:00.123456789Z')).not.toEqual(parseResticTime('2026-11-25T10:00:00.123456788Z'));
  });
});
