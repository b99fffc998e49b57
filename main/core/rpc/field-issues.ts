// Every problem of a request as data a form can put on its fields (FieldIssue, main/common/rpc.ts), plus one
// English line for logs and the CLI. zod reports all problems at once; this keeps all of them, each with a code
// the window translates, so a person sees "Folder 2 must be an absolute path" under the folders, in their language.
import type { z } from 'zod';
import { FieldIssuesError, type FieldIssue, type FieldIssueCode } from '../../common/rpc.js';
import { formatJsonPath } from '../config/validate.js';

/** How many problems the one-line message lists before "and N more" (the issues list has them all). */
const LISTED_IN_MESSAGE = 5;

type Path = (string | number)[];

const toPath = (segments: readonly PropertyKey[]): Path => segments.map((s) => (typeof s === 'number' ? s : String(s)));

/**
 * The schema's own refinements (main/core/config/schema.ts) say what is wrong only in words; these tell them apart.
 * main/core/rpc/field-issues.test.ts runs the real schema through this, so a reworded refinement fails a test
 * instead of turning into a vague "invalid" in the window.
 */
const CUSTOM_MESSAGES: [RegExp, FieldIssueCode][] = [
  [/"~" is not expanded/, 'home_not_expanded'],
  [/must be absolute/, 'not_absolute'],
  [/cron/i, 'invalid_cron'],
  [/whole number/, 'not_whole_number'],
  [/at least one keep rule/, 'retention_empty'],
  [/no repository "/, 'unknown_repo'],
  [/from and to must differ/, 'same_times'],
];

/** The value at `path` in `input` (own properties only), or undefined. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at = input;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function codeOf(issue: z.core.$ZodIssue, path: Path, missing: boolean): { code: FieldIssueCode; params?: FieldIssue['params'] } {
  const last = path[path.length - 1];
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return { code: 'not_whole_number' };
      return { code: missing ? 'required' : 'invalid_type' };
    case 'too_small':
      if (issue.origin === 'array' && /at least one day/.test(issue.message)) return { code: 'no_day' };
      if (issue.origin === 'string' || issue.origin === 'array') return { code: 'required' };
      return issue.inclusive === false
        ? { code: 'must_be_more', params: { minimum: Number(issue.minimum) } }
        : { code: 'too_small', params: { minimum: Number(issue.minimum) } };
    case 'too_big':
      return { code: 'too_big', params: { maximum: Number(issue.maximum) } };
    case 'invalid_format':
      if (last === 'id' || last === 'repo' || last === 'repoId' || last === 'planId') return { code: 'invalid_id' };
      if (last === 'keepWithin') return { code: 'invalid_duration' };
      if (/HH:MM/.test(issue.message)) return { code: 'invalid_time' };
      return { code: 'invalid' };
    case 'invalid_value':
    case 'invalid_union':
      return { code: 'invalid_choice' };
    case 'custom': {
      const match = CUSTOM_MESSAGES.find(([pattern]) => pattern.test(issue.message));
      return { code: match ? match[1] : 'invalid' };
    }
    default:
      return { code: 'invalid' };
  }
}

/**
 * zod's issues about `input` as FieldIssues; `prefix` puts them under a params key (e.g. ["settings"]). Values
 * never appear in them (a password typed into the wrong field must not travel back in an error).
 */
export function fieldIssuesFromZod(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: Path = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...toPath(issue.path)];
    const missing = valueAt(input, issue.path) === undefined;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: [...path, key], code: 'unknown_key', message: 'unknown key', params: { key } });
      continue;
    }
    const { code, params } = codeOf(issue, path, missing);
    // zod's own texts name the kind of a value, never the value, so they are safe to pass on.
    out.push({ path, code, message: code === 'required' && issue.code === 'invalid_type' ? 'is required' : issue.message, ...(params ? { params } : {}) });
  }
  return out;
}

/** "plan.paths[1]: a path must be absolute; plan.schedule.cron: ..." (the first few). */
export function describeFieldIssues(issues: readonly FieldIssue[]): string {
  const listed = issues.slice(0, LISTED_IN_MESSAGE).map((i) => `${formatJsonPath(i.path)}: ${i.message}`);
  const rest = issues.length - listed.length;
  if (rest > 0) listed.push(`and ${rest} more`);
  return listed.join('; ');
}

/** The BAD_PARAMS error of a method whose params have problems: every one in `issues`, the first few in words. */
export function invalidParams(method: string, issues: FieldIssue[]): FieldIssuesError {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new FieldIssuesError('BAD_PARAMS', `Invalid params for ${method} (${count}): ${describeFieldIssues(issues)}.`, issues);
}
