// Finds where a JSON text stops being JSON. V8's JSON.parse messages either lack a position or quote the text
// around the mistake, and config.json may hold secrets (a password typed where a path belongs), so Backstay
// reports only a line, a column and what was expected there.

export interface JsonSyntaxProblem {
  line: number; // 1-based
  column: number; // 1-based
  message: string;
}

class SyntaxStop extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(expected);
  }
}

/** Returns the first syntax problem of `text`, or null if it is valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (expected: string): never => {
    throw new SyntaxStop(i, expected);
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('a value');
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        const esc = text[i + 1];
        if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i += 2;
        else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else {
          i++;
          fail('a valid escape in a string');
        }
      } else if (ch < ' ') fail('a closing quote (strings cannot span lines)');
      else i++;
    }
    fail('a closing quote');
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail('a value');
    i += m![0].length;
  };
  const value = (): void => {
    skipSpace();
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    fail('a value');
  };
  const object = () => {
    i++;
    skipSpace();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail('a key in double quotes');
      string();
      skipSpace();
      if (text[i] !== ':') fail('":"');
      i++;
      value();
      skipSpace();
      if (text[i] === ',') {
        i++;
        skipSpace();
        if (text[i] === '}') fail('another key (no comma before "}")');
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail('"," or "}"');
    }
  };
  const array = () => {
    i++;
    skipSpace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      if (text[i] === ',') {
        i++;
        skipSpace();
        if (text[i] === ']') fail('another value (no comma before "]")');
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail('"," or "]"');
    }
  };

  try {
    value();
    skipSpace();
    if (i < text.length) fail('the end of the file');
    return null;
  } catch (err) {
    if (!(err instanceof SyntaxStop)) throw err;
    const before = text.slice(0, err.offset);
    const line = before.split('\n').length;
    const column = err.offset - (before.lastIndexOf('\n') + 1) + 1;
    const found = describeFound(text[err.offset]);
    return { line, column, message: `expected ${err.expected}, found ${found}` };
  }
}

// Punctuation is shown (it is what people get wrong: a trailing comma, a single quote); letters and digits are
// not, since they may be the start of a secret.
function describeFound(ch: string | undefined): string {
  if (ch === undefined) return 'the end of the file';
  if (/[A-Za-z0-9]/.test(ch)) return 'a bare word or number';
  if (ch === '\n' || ch === '\r') return 'the end of the line';
  return JSON.stringify(ch);
}
