import { useId, useState, type FormEvent } from 'react';
import type { PasswordSource } from '../../../../main/common/index.js';
import type { FieldIssue, RepoInput, RepoMaintenance } from '../../../../main/common/rpc.js';
import type { MessageKey } from '../../i18n/index.js';
import { KeychainSaveError, toRpcError, useActions } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { ShownError, useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { FieldError, UnplacedErrors, useFieldErrors, type FieldPlace } from '../../components/FieldErrors.js';
import { ID_PATTERN, IdField } from '../../components/IdField.js';
import { KeychainPasswordField } from './KeychainPassword.js';
import { useLeaveGuard } from '../../router/index.js';
import { MaintenanceFields, maintenanceToSave } from './care/MaintenanceFields.js';
import { flagsOf, limitsOf, ResticOptionsFields } from './care/ResticOptionsFields.js';
import { ruleField, ruleRowsOf, type LimitRuleRow } from './care/LimitRulesFields.js';

const URI_EXAMPLES: { kind: MessageKey; example: string }[] = [
  { kind: 'repos.form.kind.local', example: '/srv/backups/home' },
  { kind: 'repos.form.kind.sftp', example: 'sftp:me@nas.local:/backups' },
  { kind: 'repos.form.kind.rest', example: 'rest:http://127.0.0.1:8000/' },
  { kind: 'repos.form.kind.s3', example: 's3:s3.amazonaws.com/bucket/path' },
  { kind: 'repos.form.kind.b2', example: 'b2:bucket:path' },
  { kind: 'repos.form.kind.rclone', example: 'rclone:remote:path' },
];

/** `typed`: the user types the password here and the host keeps it (repos.setPassword: a 0600 file in `serve`). */
type PasswordKind = 'file' | 'env' | 'command' | 'keychain' | 'typed';
interface EnvRow {
  key: string;
  value: string;
}

function passwordKindOf(p: PasswordSource | undefined): PasswordKind {
  if (!p) return 'file';
  if ('file' in p) return 'file';
  if ('env' in p) return 'env';
  if ('command' in p) return 'command';
  return 'keychain';
}
function passwordValueOf(p: PasswordSource | undefined): string {
  if (!p) return '';
  if ('file' in p) return p.file;
  if ('env' in p) return p.env;
  if ('command' in p) return p.command;
  return '';
}

/**
 * Where the repository form shows a problem the host found. `envKeys` are the variable rows in order, so a
 * problem with ["repo", "env", "B2 KEY"] lands on that row ("Variable 2").
 */
export function locateRepoIssue(path: FieldIssue['path'], envKeys: readonly string[]): FieldPlace | null {
  if (path[0] !== 'repo') return null;
  const [, key, sub] = path;
  switch (key) {
    case 'id':
      return { field: 'id', label: 'id' };
    case 'uri':
      return { field: 'uri', label: 'uri' };
    case 'password':
      return {
        field: 'password',
        label: sub === 'file' ? 'passwordFile' : sub === 'env' ? 'passwordEnv' : sub === 'command' ? 'passwordCommand' : 'value',
      };
    case 'env': {
      const row = typeof sub === 'string' ? envKeys.findIndex((k) => k.trim() === sub) : -1;
      return row === -1 ? { field: 'env', label: 'value' } : { field: `env-${row}`, label: 'envKey', n: row + 1 };
    }
    case 'limits':
      return locateLimitsIssue(path.slice(2));
    default:
      return null;
  }
}

/** ["uploadKiBs"], ["rules", 1, "from"] or ["rules", 1] (a rule as a whole, e.g. from equal to to). */
function locateLimitsIssue(path: FieldIssue['path']): FieldPlace | null {
  const [key, index, part] = path;
  if (key === 'uploadKiBs') return { field: 'upload', label: 'uploadLimit' };
  if (key === 'downloadKiBs') return { field: 'download', label: 'downloadLimit' };
  if (key !== 'rules' || typeof index !== 'number') return null;
  const n = index + 1;
  switch (part) {
    case 'days':
      return { field: ruleField(index, 'days'), label: 'ruleDays', n };
    case 'from':
      return { field: ruleField(index, 'from'), label: 'ruleFrom', n };
    case 'to':
      return { field: ruleField(index, 'to'), label: 'ruleTo', n };
    case 'uploadKiBs':
      return { field: ruleField(index, 'upload'), label: 'ruleUpload', n };
    case 'downloadKiBs':
      return { field: ruleField(index, 'download'), label: 'ruleDownload', n };
    default:
      return { field: ruleField(index), label: 'rule', n };
  }
}

export function buildRepoInput(
  id: string,
  uri: string,
  kind: PasswordKind,
  value: string,
  env: EnvRow[],
  flags: string[] | undefined,
): RepoInput {
  const password: PasswordSource =
    kind === 'file' ? { file: value } : kind === 'env' ? { env: value } : kind === 'command' ? { command: value } : { keychain: true };
  const envObject: Record<string, string> = {};
  for (const row of env) if (row.key.trim()) envObject[row.key.trim()] = row.value;
  return { id, uri: uri.trim(), password, env: envObject, ...(flags ? { flags } : {}) };
}

/** Add or edit a repository: where it is, where its password comes from, and the backend's environment. */
export function RepoForm({
  initial,
  canUseKeychain,
  onDone,
}: {
  initial: RepoInput | null;
  canUseKeychain: boolean;
  onDone: () => void;
}) {
  const t = useT();
  const { repos } = useActions();
  const action = useAction();
  const uid = useId();
  const [id, setId] = useState(initial?.id ?? '');
  const [uri, setUri] = useState(initial?.uri ?? '');
  const [kind, setKind] = useState<PasswordKind>(passwordKindOf(initial?.password));
  const [value, setValue] = useState(passwordValueOf(initial?.password));
  // The keychain password lives only here, in the form, until it is handed to the host.
  const [keychainPassword, setKeychainPassword] = useState('');
  const [env, setEnv] = useState<EnvRow[]>(Object.entries(initial?.env ?? {}).map(([key, v]) => ({ key, value: v })));
  const [maintenance, setMaintenance] = useState<RepoMaintenance>(initial?.maintenance ?? {});
  const [flagsText, setFlagsText] = useState((initial?.flags ?? []).join('\n'));
  const [upload, setUpload] = useState(initial?.limits?.uploadKiBs !== undefined ? String(initial.limits.uploadKiBs) : '');
  const [download, setDownload] = useState(initial?.limits?.downloadKiBs !== undefined ? String(initial.limits.downloadKiBs) : '');
  const [rules, setRules] = useState<LimitRuleRow[]>(ruleRowsOf(initial?.limits?.rules));
  const errors = useFieldErrors(action.issues, (path) => locateRepoIssue(path, env.map((r) => r.key)), uid);
  const idValid = ID_PATTERN.test(id);
  const kinds: PasswordKind[] = canUseKeychain || kind === 'keychain' ? ['file', 'env', 'command', 'keychain'] : ['file', 'env', 'command', 'typed'];
  // A typed password, like the keychain's, lives only here until it is handed to the host.
  const [typedPassword, setTypedPassword] = useState('');
  // Leaving with changes not saved asks first; a save or a discard is a choice already made.
  const guard = useLeaveGuard();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Typed: the repository names the keychain until repos.setPassword points it at where the password went; left
    // empty while editing, the password stored now stays.
    const flags = flagsOf(flagsText);
    const typedBuilt = buildRepoInput(id, uri, kind === 'typed' ? 'keychain' : kind, value, env, flags.length > 0 || initial?.flags ? flags : undefined);
    const built = kind === 'typed' && typedPassword === '' && initial ? { ...typedBuilt, password: initial.password } : typedBuilt;
    const toSave = maintenanceToSave(maintenance, initial?.maintenance !== undefined);
    const limits = limitsOf(upload, download, rules, initial?.limits !== undefined);
    const repo = { ...built, ...(toSave ? { maintenance: toSave } : {}), ...(limits ? { limits } : {}) };
    const password = kind === 'keychain' && canUseKeychain ? keychainPassword : '';
    const ok = await action.run(
      () =>
        repos
          .save(repo, password, !initial)
          .catch((err: unknown) => {
            // Say that the repository itself was saved, so the user knows only the password needs another try.
            if (err instanceof KeychainSaveError) {
              throw new ShownError(t('repos.form.password.keychainSaveFailed', { message: err.message }));
            }
            throw err;
          })
          .then(async (saved) => {
            if (kind !== 'typed' || typedPassword === '') return saved;
            await repos.setPassword(repo.id, typedPassword).catch((err: unknown) => {
              throw new ShownError(t('repos.form.password.typedSaveFailed', { message: toRpcError(err).message }));
            });
            return saved;
          }),
      () => t('common.saved'),
    );
    if (ok) {
      setKeychainPassword('');
      setTypedPassword('');
      guard.markClean();
      // A new repository, or one moved elsewhere: find out now whether one is there, not at the first backup.
      if (!initial || initial.uri !== repo.uri) void repos.look(repo.id);
      onDone();
    }
  };

  const valueLabel: Record<Exclude<PasswordKind, 'keychain' | 'typed'>, MessageKey> = {
    file: 'repos.form.password.fileValue',
    env: 'repos.form.password.envValue',
    command: 'repos.form.password.commandValue',
  };

  return (
    <form className="panel form" onSubmit={(e) => void submit(e)} onChange={guard.markDirty} aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`}>{initial ? t('repos.form.titleEdit', { id: initial.id }) : t('repos.form.titleNew')}</h3>
      <IdField
        label={t('repos.form.id')}
        value={id}
        readOnly={!!initial}
        onChange={(next) => {
          errors.clear('id');
          setId(next);
        }}
        hint={t('repos.form.idHint')}
        hintId={`${uid}-id-hint`}
        inputProps={errors.inputProps('id')}
      >
        <FieldError errors={errors} field="id" />
      </IdField>
      <label>
        {t('repos.form.uri')}
        <input
          value={uri}
          onChange={(e) => {
            errors.clear('uri');
            setUri(e.target.value);
          }}
          required
          className="mono"
          {...errors.inputProps('uri', `${uid}-uri-hint`)}
        />
      </label>
      <FieldError errors={errors} field="uri" />
      <div className="hint" id={`${uid}-uri-hint`}>
        {t('repos.form.uriHint')}
        <ul className="examples">
          {URI_EXAMPLES.map((x) => (
            <li key={x.kind}>
              {t(x.kind)}: <code>{x.example}</code>
            </li>
          ))}
        </ul>
      </div>
      <fieldset>
        <legend>{t('repos.form.password')}</legend>
        {kinds.map((k) => (
          <label key={k} className="inline">
            <input
              type="radio"
              name={`${uid}-pw`}
              value={k}
              checked={kind === k}
              onChange={() => {
                errors.clear('password');
                setKind(k);
              }}
            />
            {t(`repos.form.password.${k}` as MessageKey)}
          </label>
        ))}
        {kind === 'typed' ? (
          <>
            <label>
              {t('repos.form.password.typedValue')}
              <input
                type="password"
                autoComplete="new-password"
                value={typedPassword}
                required={!initial}
                onChange={(e) => {
                  errors.clear('password');
                  setTypedPassword(e.target.value);
                }}
                {...errors.inputProps('password', `${uid}-typed-hint`)}
              />
            </label>
            <p className="hint" id={`${uid}-typed-hint`}>
              {t('repos.form.password.typedHint')} {initial ? t('repos.form.password.typedKeep') : null}
            </p>
          </>
        ) : kind === 'keychain' && canUseKeychain ? (
          <KeychainPasswordField value={keychainPassword} onChange={setKeychainPassword} existingRepoId={initial?.id ?? null} />
        ) : kind === 'keychain' ? (
          <p className="hint">{t('repos.form.password.keychainNote')}</p>
        ) : (
          <label>
            {t(valueLabel[kind])}
            <input
              value={value}
              onChange={(e) => {
                errors.clear('password');
                setValue(e.target.value);
              }}
              required
              className="mono"
              {...errors.inputProps('password')}
            />
          </label>
        )}
        <FieldError errors={errors} field="password" />
      </fieldset>
      <fieldset>
        <legend>{t('repos.form.env')}</legend>
        {env.map((row, i) => (
          <div className="env-row" key={i}>
            <label>
              {t('repos.form.envKey')}
              <input
                value={row.key}
                className="mono"
                {...errors.inputProps(`env-${i}`)}
                onChange={(e) => {
                  errors.clear(`env-${i}`);
                  setEnv(env.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)));
                }}
              />
            </label>
            <label>
              {t('repos.form.envValue')}
              <input
                value={row.value}
                type="password"
                autoComplete="off"
                onChange={(e) => setEnv(env.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))}
              />
            </label>
            <button
              type="button"
              aria-label={t('repos.form.envRemove', { key: row.key || String(i + 1) })}
              onClick={() => {
                // Refusals are by a row's place: those of the rows after it would land on the wrong ones.
                for (let j = i; j < env.length; j++) errors.clear(`env-${j}`);
                setEnv(env.filter((_, j) => j !== i));
              }}
            >
              ×
            </button>
            <FieldError errors={errors} field={`env-${i}`} />
          </div>
        ))}
        <FieldError errors={errors} field="env" />
        <button type="button" onClick={() => setEnv([...env, { key: '', value: '' }])}>
          {t('repos.form.envAdd')}
        </button>
      </fieldset>
      <MaintenanceFields value={maintenance} onChange={setMaintenance} />
      <ResticOptionsFields
        flags={flagsText}
        onFlags={setFlagsText}
        upload={upload}
        onUpload={setUpload}
        download={download}
        onDownload={setDownload}
        rules={rules}
        onRules={(next) => {
          guard.markDirty();
          setRules(next);
        }}
        errors={errors}
      />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={action.busy || !idValid || !uri.trim()}>
          {t('common.save')}
        </button>
        <button
          type="button"
          onClick={() => {
            guard.markClean();
            onDone();
          }}
        >
          {t('common.discard')}
        </button>
      </div>
      <Feedback state={action} />
      <UnplacedErrors errors={errors} />
    </form>
  );
}
