// Parsing a source file as YAML, TOML or JSON with the well-kept parsers, each error turned into one line that names
// the file, the line and the column.
import { parseDocument } from 'yaml';
import { parse as parseToml, TomlError } from 'smol-toml';
import { importError } from './source-error.js';

export type SourceFormat = 'yaml' | 'toml' | 'json';

/** By the file name where there is one (resticprofile's own rule), else by what the text looks like. */
export function detectFormat(text: string, file: string | null): SourceFormat {
  const ext = file ? /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase() : undefined;
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  if (ext === 'toml' || ext === 'conf') return 'toml';
  if (ext === 'json') return 'json';
  const body = text.trimStart();
  if (body.startsWith('{')) return 'json';
  // A TOML table header ("[profile]") alone on a line, or key = value lines, is not YAML.
  if (/^\s*\[[\w."'-]+\]\s*$/m.test(text) || /^\s*[\w"'-]+\s*=\s*\S/m.test(text)) return 'toml';
  return 'yaml';
}

export function parseSourceText(text: string, format: SourceFormat, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw importError(file, null, 'the file is empty');
  switch (format) {
    case 'json':
      try {
        return JSON.parse(body);
      } catch (err) {
        throw importError(file, null, `not valid JSON (${(err as Error).message})`);
      }
    case 'toml':
      try {
        return parseToml(body);
      } catch (err) {
        if (err instanceof TomlError) {
          throw importError(file, `line ${err.line}, column ${err.column}`, `not valid TOML (${firstLine(err.message)})`);
        }
        throw err;
      }
    case 'yaml': {
      const doc = parseDocument(body, { prettyErrors: true, uniqueKeys: true });
      const problem = doc.errors[0];
      if (problem) {
        const pos = problem.linePos?.[0];
        const where = pos ? `line ${pos.line}, column ${pos.col}` : null;
        throw importError(file, where, `not valid YAML (${firstLine(problem.message).replace(/ at line \d+, column \d+:?$/, '')})`);
      }
      return doc.toJS();
    }
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
