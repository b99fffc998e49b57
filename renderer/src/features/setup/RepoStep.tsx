// Step 2 of the first run: where the backups go. A kind of storage with its own fields and the variables restic
// needs for it, a name, and the password (typed, from a file or from a command). Connect saves the repository,
// stores a typed password (repos.setPassword), opens it, and creates it when its location is empty.
import { useId, useRef, useState, type FormEvent } from 'react';
import type { PasswordSource } from '../../../../main/common/index.js';
import type { MessageKey } from '../../i18n/index.js';
import { useActions } from '../../store/index.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { Feedback } from '../../components/Feedback.js';
import { FieldError, UnplacedErrors, useFieldErrors } from '../../components/FieldErrors.js';
import { ID_PATTERN, IdField } from '../../components/IdField.js';
import { locateRepoIssue } from '../repos/RepoForm.js';
import { BACKEND_KINDS, BACKENDS, envFor, missingFor, suggestRepoId, type BackendFieldKey, type BackendKind } from './backends.js';

type PasswordWay = 'typed' | 'file' | 'command';
const PASSWORD_WAYS: PasswordWay[] = ['typed', 'file', 'command'];
const PASSWORD_LABEL: Record<PasswordWay, MessageKey> = {
  typed: 'setup.repo.passwordTyped',
  file: 'setup.repo.passwordFile',
  command: 'setup.repo.passwordCommand',
};

/**
 * A typed password is stored by repos.setPassword after the save, which points the repository at where it went
 * (the keychain in the desktop app, a 0600 file in `serve`); until then the repository names the keychain.
 */
function passwordSource(way: PasswordWay, value: string): PasswordSource {
  if (way === 'file') return { file: value.trim() };
  if (way === 'command') return { command: value.trim() };
  return { keychain: true };
}

export function RepoStep({
  takenIds,
  existing,
  onConnected,
  onSaved,
  onBack,
  onEdit,
}: {
  takenIds: readonly string[];
  /** Repositories already set up, any of which the plan may use instead. */
  existing: readonly string[];
  onConnected: (repoId: string) => void;
  /** The repository was saved (before it was tested): it is this run's own from now on. */
  onSaved: (repoId: string) => void;
  onBack: () => void;
  onEdit: () => void;
}) {
  const t = useT();
  const uid = useId();
  const { setup } = useActions();
  const action = useAction();
  const [kind, setKind] = useState<BackendKind>('local');
  const [values, setValues] = useState<Partial<Record<BackendFieldKey, string>>>({});
  const [env, setEnv] = useState<Record<string, string>>({});
  const [name, setName] = useState<string | null>(null);
  const [way, setWay] = useState<PasswordWay>('typed');
  const [password, setPassword] = useState('');
  // Saved once already (a connect that failed after the save): later tries replace it instead of creating it.
  const savedId = useRef<string | null>(null);
  const backend = BACKENDS[kind];
  const id = name ?? suggestRepoId(kind, takenIds);
  const errors = useFieldErrors(action.issues, (path) => locateRepoIssue(path, []), uid);
  const ready = missingFor(backend, values, env).length === 0 && password.trim() !== '' && ID_PATTERN.test(id);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    const repo = { id, uri: backend.uri(values), password: passwordSource(way, password), env: envFor(backend, env) };
    const create = savedId.current !== id;
    const outcome = await action.run(
      () =>
        setup.connect(repo, way === 'typed' ? password : '', create, () => {
          savedId.current = id;
          onSaved(id);
        }),
      (o) => t(o === 'created' ? 'setup.repo.created' : 'setup.repo.opened'),
    );
    if (outcome) {
      setPassword('');
      onConnected(id);
    }
  };
  const edit = onEdit;

  return (
    <form className="form setup-step" onSubmit={(e) => void submit(e)} aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`} tabIndex={-1} data-step-title>
        {t('setup.repo.title')}
      </h3>
      {existing.length > 0 && (
        <div className="setup-existing">
          <p id={`${uid}-existing`}>{t('setup.repo.existing')}</p>
          <ul aria-labelledby={`${uid}-existing`}>
            {existing.map((r) => (
              <li key={r}>
                <button type="button" onClick={() => onConnected(r)}>
                  {r}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <label>
        {t('setup.repo.kind')}
        <select
          value={kind}
          data-testid="setup-kind"
          onChange={(e) => {
            edit();
            setKind(e.target.value as BackendKind);
          }}
        >
          {BACKEND_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(BACKENDS[k].label)}
            </option>
          ))}
        </select>
      </label>
      {backend.fields.map((f) => (
        <label key={`${kind}-${f.key}`}>
          {f.optional ? t('setup.field.optional', { label: t(f.label) }) : t(f.label)}
          <input
            className="mono"
            value={values[f.key] ?? ''}
            placeholder={f.placeholder}
            required={!f.optional}
            data-testid={`setup-field-${f.key}`}
            {...errors.inputProps('uri')}
            onChange={(e) => {
              edit();
              errors.clear('uri');
              setValues({ ...values, [f.key]: e.target.value });
            }}
          />
        </label>
      ))}
      <FieldError errors={errors} field="uri" />
      {backend.env.length > 0 && (
        <fieldset>
          <legend>{t('setup.repo.env')}</legend>
          <p className="hint">{t('setup.repo.envHint')}</p>
          {backend.env.map((x) => (
            <label key={x.name}>
              <span className="mono">{x.optional ? t('setup.field.optional', { label: x.name }) : x.name}</span>
              <input
                className="mono"
                type={x.secret ? 'password' : 'text'}
                autoComplete="off"
                required={!x.optional}
                value={env[x.name] ?? ''}
                onChange={(e) => {
                  edit();
                  setEnv({ ...env, [x.name]: e.target.value });
                }}
              />
            </label>
          ))}
          <FieldError errors={errors} field="env" />
        </fieldset>
      )}
      <IdField
        label={t('setup.repo.name')}
        value={id}
        readOnly={false}
        hintId={`${uid}-name`}
        inputProps={errors.inputProps('id')}
        onChange={(next) => {
          edit();
          errors.clear('id');
          setName(next);
        }}
      >
        <FieldError errors={errors} field="id" />
      </IdField>
      <fieldset>
        <legend>{t('setup.repo.password')}</legend>
        <p className="hint">{t('setup.repo.passwordHint')}</p>
        {PASSWORD_WAYS.map((w) => (
          <label key={w} className="inline">
            <input
              type="radio"
              name={`${uid}-pw`}
              checked={way === w}
              onChange={() => {
                edit();
                setWay(w);
                setPassword('');
              }}
            />
            {t(`setup.repo.password.${w}` as MessageKey)}
          </label>
        ))}
        <label>
          {t(PASSWORD_LABEL[way])}
          <input
            value={password}
            type={way === 'typed' ? 'password' : 'text'}
            autoComplete={way === 'typed' ? 'new-password' : 'off'}
            className={way === 'typed' ? undefined : 'mono'}
            required
            data-testid="setup-password"
            {...errors.inputProps('password')}
            onChange={(e) => {
              edit();
              errors.clear('password');
              setPassword(e.target.value);
            }}
          />
        </label>
        <FieldError errors={errors} field="password" />
      </fieldset>
      <div className="form-actions">
        <button type="button" onClick={onBack}>
          {t('setup.back')}
        </button>
        <button type="submit" className="primary" disabled={!ready || action.busy}>
          {action.busy ? t('setup.repo.connecting') : t('setup.repo.connect')}
        </button>
      </div>
      <Feedback state={action} />
      {action.errorCode === 'LOCATION_NOT_EMPTY' && kind === 'local' && values.path && (
        <button
          type="button"
          data-testid="setup-use-inside"
          onClick={() => {
            edit();
            setValues({ ...values, path: folderInside(values.path!) });
            action.clear();
          }}
        >
          {t('setup.repo.useInside', { path: folderInside(values.path) })}
        </button>
      )}
      <UnplacedErrors errors={errors} />
    </form>
  );
}

/** A new folder for the repository inside the one chosen, which holds other files ("/media/usb" -> "/media/usb/backstay"). */
function folderInside(folder: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return `${folder.replace(/[\\/]+$/, '')}${separator}backstay`;
}
