// The kinds of repository a first run can set up: for each, the fields a person fills in, how they make restic's
// repository URI, and the environment variables restic needs for that backend (which secret ones are typed into
// password fields and shown masked afterwards). Pure and tested: the words live in i18n.
import type { MessageKey } from '../../i18n/index.js';

export const BACKEND_KINDS = ['local', 'sftp', 'rest', 's3', 'b2', 'azure', 'gcs', 'rclone'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

export type BackendFieldKey = 'path' | 'user' | 'host' | 'url' | 'endpoint' | 'bucket' | 'container' | 'remote';

export interface BackendField {
  key: BackendFieldKey;
  label: MessageKey;
  placeholder: string;
  optional?: boolean;
}

export interface BackendEnvVar {
  name: string;
  /** A secret (a key, a password): typed into a password field, masked by config.get. */
  secret: boolean;
  optional?: boolean;
}

export interface Backend {
  kind: BackendKind;
  label: MessageKey;
  fields: readonly BackendField[];
  env: readonly BackendEnvVar[];
  /** restic's repository URI for these values (fields trimmed; an optional one left empty is left out). */
  uri(values: Partial<Record<BackendFieldKey, string>>): string;
}

const f = (key: BackendFieldKey, placeholder: string, optional = false): BackendField => ({
  key,
  label: `setup.field.${key}` as MessageKey,
  placeholder,
  ...(optional ? { optional } : {}),
});

/** A path inside a bucket or remote, without the slashes a person may type around it. */
const inner = (p: string | undefined) => (p ?? '').trim().replace(/^\/+|\/+$/g, '');
const v = (values: Partial<Record<BackendFieldKey, string>>, key: BackendFieldKey) => (values[key] ?? '').trim();

export const BACKENDS: Record<BackendKind, Backend> = {
  local: {
    kind: 'local',
    label: 'setup.kind.local',
    fields: [f('path', '/media/usb/backups')],
    env: [],
    uri: (x) => v(x, 'path'),
  },
  sftp: {
    kind: 'sftp',
    label: 'setup.kind.sftp',
    fields: [f('user', 'me', true), f('host', 'nas.local'), f('path', '/backups')],
    env: [],
    uri: (x) => `sftp:${v(x, 'user') ? `${v(x, 'user')}@` : ''}${v(x, 'host')}:${v(x, 'path')}`,
  },
  rest: {
    kind: 'rest',
    label: 'setup.kind.rest',
    fields: [f('url', 'https://user:pass@host:8000/')],
    env: [],
    uri: (x) => `rest:${v(x, 'url')}`,
  },
  s3: {
    kind: 's3',
    label: 'setup.kind.s3',
    fields: [f('endpoint', 's3.amazonaws.com'), f('bucket', 'my-bucket'), f('path', 'backups', true)],
    env: [
      { name: 'AWS_ACCESS_KEY_ID', secret: false },
      { name: 'AWS_SECRET_ACCESS_KEY', secret: true },
      { name: 'AWS_DEFAULT_REGION', secret: false, optional: true },
    ],
    uri: (x) => `s3:${v(x, 'endpoint').replace(/\/+$/, '')}/${inner(x.bucket)}${inner(x.path) ? `/${inner(x.path)}` : ''}`,
  },
  b2: {
    kind: 'b2',
    label: 'setup.kind.b2',
    fields: [f('bucket', 'my-bucket'), f('path', 'backups', true)],
    env: [
      { name: 'B2_ACCOUNT_ID', secret: false },
      { name: 'B2_ACCOUNT_KEY', secret: true },
    ],
    uri: (x) => `b2:${inner(x.bucket)}:${inner(x.path)}`,
  },
  azure: {
    kind: 'azure',
    label: 'setup.kind.azure',
    fields: [f('container', 'backups'), f('path', 'home', true)],
    env: [
      { name: 'AZURE_ACCOUNT_NAME', secret: false },
      { name: 'AZURE_ACCOUNT_KEY', secret: true },
    ],
    uri: (x) => `azure:${inner(x.container)}:/${inner(x.path)}`,
  },
  gcs: {
    kind: 'gcs',
    label: 'setup.kind.gcs',
    fields: [f('bucket', 'my-bucket'), f('path', 'backups', true)],
    env: [
      { name: 'GOOGLE_PROJECT_ID', secret: false },
      // A path to the service account's JSON key file, not the key itself.
      { name: 'GOOGLE_APPLICATION_CREDENTIALS', secret: false },
    ],
    uri: (x) => `gs:${inner(x.bucket)}:/${inner(x.path)}`,
  },
  rclone: {
    kind: 'rclone',
    label: 'setup.kind.rclone',
    fields: [f('remote', 'mydrive'), f('path', 'backups', true)],
    env: [],
    uri: (x) => `rclone:${v(x, 'remote').replace(/:$/, '')}:${inner(x.path)}`,
  },
};

/** What is still missing before the repository can be tried: the required fields and variables left empty. */
export function missingFor(backend: Backend, values: Partial<Record<BackendFieldKey, string>>, env: Record<string, string>): string[] {
  const fields = backend.fields.filter((x) => !x.optional && !v(values, x.key)).map((x) => x.key);
  const vars = backend.env.filter((x) => !x.optional && !(env[x.name] ?? '').trim()).map((x) => x.name);
  return [...fields, ...vars];
}

/** The variables to save with the repository: only the ones filled in. */
export function envFor(backend: Backend, env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const x of backend.env) if ((env[x.name] ?? '').trim()) out[x.name] = env[x.name]!.trim();
  return out;
}

/** A repository id for a new repository of this kind that no repository has yet: "local", then "local-2", ... */
export function suggestRepoId(kind: BackendKind, taken: readonly string[]): string {
  if (!taken.includes(kind)) return kind;
  for (let n = 2; ; n += 1) if (!taken.includes(`${kind}-${n}`)) return `${kind}-${n}`;
}
