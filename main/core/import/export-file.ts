// `backstay export`: the config without its secrets, so a new machine can be set up from it; with --with-secrets the
// secrets travel too, encrypted with a passphrase (scrypt -> AES-256-GCM, node:crypto). `import --from backstay` reads
// it back: hidden values are put back from the decrypted part, passwords go to the secret store like any import's.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { BackstayError } from '../../common/errors.js';
import type { BackstayConfig } from '../config/schema.js';
import { isSecretEnvName, maskRepoSecrets, restoreMaskedSecrets, SECRET_MASK } from '../config/secret-mask.js';
import { SourceReader } from './reader.js';
import { emptyDraft, type ImportDraft, type RepoDraft } from './types.js';

export const EXPORT_FORMAT = 1;
const AAD = Buffer.from('backstay-export-v1');
// scrypt cost: about 0.16 s and 32 MiB per try here (measured), and the same for anyone guessing the passphrase.
const KDF = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

interface Envelope {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

/** What is kept out of the readable part, per repository id. */
interface RepoSecrets {
  uri?: string;
  env?: Record<string, string>;
  passwordCommand?: string;
  /** The password itself (read from its file or variable), when Backstay could read it. */
  password?: string;
}

export interface ExportOptions {
  /** Absent: the export has no secrets. */
  passphrase?: string;
  /** The password text of a repository, or null when it cannot be read here (keychain, command, unset variable). */
  readPassword(repo: BackstayConfig['repos'][number]): Promise<string | null>;
}

function scrypt(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) => {
    scryptCallback(passphrase, salt, KDF.keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

async function encrypt(plain: string, passphrase: string): Promise<Envelope> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await scrypt(passphrase, salt, KDF);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const b64 = (b: Buffer) => b.toString('base64');
  return { kdf: 'scrypt', N: KDF.N, r: KDF.r, p: KDF.p, salt: b64(salt), iv: b64(iv), tag: b64(cipher.getAuthTag()), data: b64(data) };
}

async function decrypt(envelope: Envelope, passphrase: string, file: string): Promise<string> {
  const key = await scrypt(passphrase, Buffer.from(envelope.salt, 'base64'), envelope);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAAD(AAD);
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new BackstayError('WRONG_PASSWORD', `${file}: the passphrase does not open the secrets in this export (or the file was changed).`);
  }
}

export async function buildExport(config: BackstayConfig, options: ExportOptions): Promise<string> {
  const hidden: Record<string, RepoSecrets> = {};
  if (options.passphrase !== undefined) {
    for (const repo of config.repos) {
      const secrets: RepoSecrets = {};
      const masked = maskRepoSecrets(repo);
      if (masked.uri !== repo.uri) secrets.uri = repo.uri;
      const env = Object.fromEntries(Object.entries(repo.env).filter(([k]) => masked.env[k] !== repo.env[k]));
      if (Object.keys(env).length) secrets.env = env;
      if ('command' in repo.password) secrets.passwordCommand = repo.password.command;
      else {
        const password = await options.readPassword(repo);
        if (password !== null) secrets.password = password;
      }
      hidden[repo.id] = secrets;
    }
  }
  const body = {
    backstayExport: EXPORT_FORMAT,
    exportedAt: new Date().toISOString(),
    config: { repos: config.repos.map((r) => maskRepoSecrets(r)), plans: config.plans, settings: config.settings },
    secrets: options.passphrase !== undefined ? await encrypt(JSON.stringify({ repos: hidden }), options.passphrase) : null,
  };
  return JSON.stringify(body, null, 2) + '\n';
}

export interface BackstayImportOptions {
  file: string;
  /** Asked only when the export carries secrets. */
  passphrase(): Promise<string>;
}

export async function importBackstayExport(text: string, options: BackstayImportOptions): Promise<ImportDraft> {
  const r: SourceReader = new SourceReader(options.file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    r.fail([], `not valid JSON (${(err as Error).message})`);
  }
  const root = r.object(json, []);
  if (root.backstayExport !== EXPORT_FORMAT) {
    r.fail(['backstayExport'], `not a Backstay export of format ${EXPORT_FORMAT} (written by \`backstay export\`)`);
  }
  const config = r.object(root.config, ['config']);
  let hidden: Record<string, RepoSecrets> = {};
  const envelope = r.optionalObject(root.secrets, ['secrets']);
  if (envelope) {
    if (envelope.kdf !== 'scrypt' || typeof envelope.data !== 'string') r.fail(['secrets'], 'not an encrypted part this Backstay can read');
    const plain = await decrypt(envelope as unknown as Envelope, await options.passphrase(), options.file);
    hidden = (JSON.parse(plain) as { repos: Record<string, RepoSecrets> }).repos;
  }
  const draft = emptyDraft();
  r.list(config.repos, ['config', 'repos']).forEach((item, i) => {
    const exported = r.object(item, ['config', 'repos', i]) as unknown as RepoDraft;
    const secrets = hidden[exported.id] ?? {};
    const stored = {
      uri: secrets.uri ?? exported.uri,
      env: { ...exported.env, ...secrets.env },
      password: secrets.passwordCommand !== undefined ? { command: secrets.passwordCommand } : exported.password,
    };
    const repo = restoreMaskedSecrets(exported as RepoDraft & { env: Record<string, string> }, stored);
    draft.repos.push(withoutMasks(repo, draft));
    if (secrets.password !== undefined) draft.secrets.push({ repo: repo.id, from: `repository "${repo.id}" in the export`, value: secrets.password });
    else if ('keychain' in repo.password) draft.skipped.push({ what: `repository "${repo.id}" password`, why: 'it was in the other machine\'s keychain; enter it again' });
  });
  draft.plans = r.list(config.plans, ['config', 'plans']) as ImportDraft['plans'];
  const settings = r.optionalObject(config.settings, ['config', 'settings']);
  if (settings) draft.settings = settings;
  return draft;
}

/** Values an export without secrets left masked cannot be imported as they are: said, and left out. */
function withoutMasks(repo: RepoDraft, draft: ImportDraft): RepoDraft {
  const label = `repository "${repo.id}"`;
  const env = { ...repo.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === SECRET_MASK && isSecretEnvName(name)) {
      delete env[name];
      draft.skipped.push({ what: `${label} env ${name}`, why: 'the export has no secrets; set it again' });
    }
  }
  let { uri, password } = repo;
  if (uri.includes(`:${SECRET_MASK}@`)) {
    uri = uri.replace(`:${SECRET_MASK}@`, '@');
    draft.skipped.push({ what: `${label} password in the address`, why: 'the export has no secrets; add it again' });
  }
  if ('command' in password && password.command === SECRET_MASK) {
    password = { env: 'RESTIC_PASSWORD' };
    draft.skipped.push({ what: `${label} password command`, why: 'the export has no secrets; set it again' });
  }
  return { ...repo, uri, env, password };
}
