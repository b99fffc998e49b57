// Turns zod's findings into lines a person can act on: "<file>: plans[0].repo: no repository "nsa" (known: nas)".
import type { z } from 'zod';
import { BackstayError } from '../../common/errors.js';
import { findReservedKeys } from './reserved-keys.js';
import { configSchema, findReferenceProblems, type BackstayConfig } from './schema.js';

/** More than this many problems are summarised as "... and N more": the first few are what one fixes first. */
const MAX_LISTED_PROBLEMS = 5;

/** `["plans", 0, "repo"]` -> `plans[0].repo`; the root is `(top level)`. */
export function formatJsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      out += /^[A-Za-z_$][\w$]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out || '(top level)';
}

// Names the kind of a wrong value, never the value: a password typed straight into config.json must not end
// up in an error message or a log.
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** One line per problem, without the file name. An unknown key is reported at its own path. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) lines.push(`${formatJsonPath([...issue.path, key])}: unknown key`);
        break;
      case 'invalid_type': {
        const where = formatJsonPath(issue.path);
        lines.push(
          issue.input === undefined
            ? `${where}: is required (${issue.expected})`
            : `${where}: expected ${issue.expected}, got ${typeName(issue.input)}`,
        );
        break;
      }
      default:
        lines.push(`${formatJsonPath(issue.path)}: ${issue.message}`);
    }
  }
  return lines;
}

/** Joins problem lines under the file name, keeping the first few. */
export function formatProblems(file: string, problems: readonly string[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `${file}: ${p}`);
  const rest = problems.length - listed.length;
  if (rest > 0) listed.push(`${file}: ... and ${rest} more problem${rest === 1 ? '' : 's'}`);
  return listed.join('\n');
}

/** Validates parsed JSON; throws BackstayError('CONFIG_INVALID') naming `file` and each JSON path. */
export function validateConfig(input: unknown, file: string): BackstayConfig {
  // reportInput lets an issue say what kind of value was there ("expected number, got a string").
  const result = configSchema.safeParse(input, { reportInput: true });
  // `__proto__` and co. are unknown keys wherever they are; a record (env) would otherwise drop them silently.
  const reserved = findReservedKeys(input).map((path) => `${formatJsonPath(path)}: unknown key`);
  if (result.success && reserved.length === 0) return result.data;
  const problems = result.success ? [] : describeIssues(result.error.issues);
  problems.unshift(...reserved.filter((line) => !problems.includes(line)));
  // zod skips whole-object checks once a field fails; the reference checks still help, so add them.
  for (const { path, message } of findReferenceProblems(input)) {
    const line = `${formatJsonPath(path)}: ${message}`;
    if (!problems.includes(line)) problems.push(line);
  }
  throw new BackstayError('CONFIG_INVALID', formatProblems(file, problems));
}
