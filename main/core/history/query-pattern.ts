// What `snapshots.findAll` and `backstay find` search for: a name fragment ("report" matches "Q3-Report.pdf"), a
// path fragment ("me/docs" matches "/home/me/docs" and "/home/me/docs2", not what is inside them), or a
// glob when the query has `*`, `?` or `[...]`. A glob without `/` matches names; with `/` it matches the whole path
// (`*` stays inside one folder, `**` crosses folders; without a leading `/` it may start at any depth). Matching
// ignores case, as a search box does. `\` makes the next character literal ("a\[1\].txt").
//
// Translated by hand (no glob library is a dependency): each glob becomes an anchored RegExp, plus a LIKE pattern
// for the name column so that SQLite skips most rows before any JavaScript runs.
import { BackstayError } from '../../common/errors.js';
import { escapeLike } from '../snapshots/index-db.js';

export interface PathMatcher {
  /** A LIKE pattern (ESCAPE '\') every matching name satisfies, or null when the name alone tells nothing. */
  readonly nameLike: string | null;
  /** True when the whole path is needed to decide (a glob with `/`). */
  readonly wholePath: boolean;
  matches(name: string, path: string): boolean;
}

const MAX_QUERY_LENGTH = 256;

export function compileQuery(query: string): PathMatcher {
  const text = query.trim();
  if (text === '') throw new BackstayError('BAD_PARAMS', 'The search is empty: type part of a name, or a glob such as *.jpg.');
  if (text.length > MAX_QUERY_LENGTH) throw new BackstayError('BAD_PARAMS', `The search is longer than ${MAX_QUERY_LENGTH} characters.`);
  if (!/(^|[^\\])[*?[]/.test(text)) return fragmentMatcher(unescape(text));
  return globMatcher(text);
}

function fragmentMatcher(fragment: string): PathMatcher {
  const lower = fragment.toLowerCase();
  if (fragment.includes('/')) return pathFragmentMatcher(fragment);
  return {
    nameLike: `%${likeLiteral(fragment)}%`,
    wholePath: false,
    matches: (name) => name.toLowerCase().includes(lower),
  };
}

/** "me/docs": paths containing it, where the match reaches into the path's own name (not only its folders). */
function pathFragmentMatcher(fragment: string): PathMatcher {
  const lower = fragment.toLowerCase();
  const lastSegment = fragment.slice(fragment.lastIndexOf('/') + 1);
  return {
    nameLike: lastSegment === '' ? null : `${likeLiteral(lastSegment)}%`,
    wholePath: true,
    matches: (name, path) => {
      const at = path.toLowerCase().lastIndexOf(lower);
      return at !== -1 && at + lower.length >= path.length - name.length;
    },
  };
}

function globMatcher(glob: string): PathMatcher {
  const wholePath = hasUnescapedSlash(glob);
  const body = globToRegExpSource(glob, wholePath);
  const source = wholePath ? (glob.startsWith('/') ? `^${body}$` : `^(?:.*/)?${body}$`) : `^${body}$`;
  const re = new RegExp(source, 'iu');
  const lastSegment = wholePath ? glob.slice(lastUnescapedSlash(glob) + 1) : glob;
  return {
    nameLike: lastSegment.includes('**') || lastSegment === '' ? null : globToLike(lastSegment),
    wholePath,
    matches: (name, path) => re.test(wholePath ? path : name),
  };
}

/** One step of a glob: a literal character, a wildcard or a character class. */
type GlobToken = { t: 'lit'; c: string } | { t: 'star' } | { t: 'globstar' } | { t: 'one' } | { t: 'class'; negate: boolean; body: string };

function tokenize(glob: string): GlobToken[] {
  const out: GlobToken[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) {
      out.push({ t: 'lit', c: glob[++i]! });
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        out.push({ t: 'globstar' });
        while (glob[i + 1] === '*') i++;
      } else out.push({ t: 'star' });
    } else if (c === '?') {
      out.push({ t: 'one' });
    } else if (c === '[') {
      const end = classEnd(glob, i);
      if (end === -1) out.push({ t: 'lit', c }); // an unclosed "[" is just a character
      else {
        let body = glob.slice(i + 1, end);
        const negate = body.startsWith('!') || body.startsWith('^');
        if (negate) body = body.slice(1);
        out.push({ t: 'class', negate, body });
        i = end;
      }
    } else out.push({ t: 'lit', c });
  }
  return out;
}

/** Index of the "]" closing the class opened at `start`; a "]" right after "[" or "[!" belongs to the class. */
function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === '!' || glob[i] === '^') i++;
  if (glob[i] === ']') i++;
  for (; i < glob.length; i++) {
    if (glob[i] === '\\') i++;
    else if (glob[i] === ']') return i;
  }
  return -1;
}

function globToRegExpSource(glob: string, wholePath: boolean): string {
  const tokens = tokenize(glob);
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    switch (tok.t) {
      case 'lit':
        out += escapeRegExp(tok.c);
        break;
      case 'star':
        out += '[^/]*';
        break;
      case 'globstar': {
        const next = tokens[i + 1];
        // "**/" matches zero or more whole folders; a "**" elsewhere anything at all.
        if (wholePath && next?.t === 'lit' && next.c === '/') {
          out += '(?:.*/)?';
          i++;
        } else out += wholePath ? '.*' : '[^/]*';
        break;
      }
      case 'one':
        out += '[^/]';
        break;
      case 'class':
        out += `[${tok.negate ? '^' : ''}${classBody(tok.body)}]`;
        break;
    }
  }
  return out;
}

/** A glob class body as a RegExp class body: ranges stay, every other special character is escaped. */
function classBody(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) out += escapeClassChar(body[++i]!);
    else if (c === '-' && i > 0 && i < body.length - 1) out += '-';
    else out += escapeClassChar(c);
  }
  return out;
}

function globToLike(segment: string): string {
  let out = '';
  for (const tok of tokenize(segment)) {
    if (tok.t === 'lit') out += likeLiteral(tok.c);
    else if (tok.t === 'one' || tok.t === 'class') out += '_';
    else out += '%';
  }
  return out;
}

/** LIKE folds case for ASCII only: a non-ASCII letter becomes "_" so the prefilter never drops a match. */
function likeLiteral(text: string): string {
  let out = '';
  for (const ch of text) out += ch.charCodeAt(0) > 0x7f ? '_' : escapeLike(ch);
  return out;
}

function hasUnescapedSlash(glob: string): boolean {
  return lastUnescapedSlash(glob) !== -1;
}

function lastUnescapedSlash(glob: string): number {
  let last = -1;
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '\\') i++;
    else if (glob[i] === '/') last = i;
  }
  return last;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function escapeRegExp(c: string): string {
  // Not "-": outside a class the u flag refuses an escaped "-".
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

function escapeClassChar(c: string): string {
  return /[\]\\^-]/.test(c) ? `\\${c}` : c;
}
