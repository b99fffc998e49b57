// Paths from another tool's config: Backstay needs them absolute (scheduled runs start in an arbitrary folder and
// nothing expands "~"), so "~" and $HOME are written out, relative ones are taken against the source file's folder,
// and what still is not a plain absolute path is reported instead of imported.
import path from 'node:path';

export interface PathContext {
  home: string;
  /** The folder relative paths are relative to (the source file's folder). */
  baseDir: string;
}

export type PathResult = { path: string } | { why: string };

export function absoluteSourcePath(raw: string, ctx: PathContext): PathResult {
  if (raw.includes('{{')) return { why: 'it uses a template, which Backstay does not expand' };
  let p = raw.trim();
  if (p === '~' || p.startsWith('~/')) p = ctx.home + p.slice(1);
  p = p.replace(/^\$(?:HOME|\{HOME\})(?=\/|$)/, ctx.home);
  if (/\$\{?[A-Za-z_]/.test(p)) return { why: 'it uses an environment variable, which Backstay does not expand' };
  if (p.startsWith('~')) return { why: 'another user\'s home folder ("~name") cannot be written out here' };
  if (p === '') return { why: 'it is empty' };
  return { path: path.isAbsolute(p) ? path.normalize(p) : path.resolve(ctx.baseDir, p) };
}
