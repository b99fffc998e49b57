// The password field for a repository whose password lives in the OS keychain (desktop app only).
import { useEffect, useId, useState } from 'react';
import { useActions } from '../../store/index.js';
import { useT } from '../../components/useT.js';

/** Whether the keychain already holds a password for `repoId`: null while unknown (new repo, or not answered). */
export function useKeychainStored(repoId: string | null, enabled: boolean): boolean | null {
  const { repos } = useActions();
  const [stored, setStored] = useState<boolean | null>(null);
  useEffect(() => {
    if (!enabled || !repoId) return;
    let live = true;
    repos.keychainHas(repoId).then(
      (r) => live && setStored(r.stored),
      // Unknown is fine: the field stays optional and saving still works.
      () => live && setStored(null),
    );
    return () => {
      live = false;
    };
  }, [repos, repoId, enabled]);
  return stored;
}

export function KeychainPasswordField({
  value,
  onChange,
  existingRepoId,
}: {
  value: string;
  onChange: (password: string) => void;
  /** The repository being edited, or null for a new one. */
  existingRepoId: string | null;
}) {
  const t = useT();
  const stored = useKeychainStored(existingRepoId, true);
  // A new repository, or one with nothing stored yet, cannot back up without a password.
  const required = existingRepoId === null || stored === false;
  const hintId = `${useId()}-keychain-hint`;
  return (
    <>
      <label>
        {t('repos.form.password.keychainValue')}
        <input
          type="password"
          autoComplete="new-password"
          value={value}
          required={required}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={hintId}
        />
      </label>
      <p className="hint" id={hintId}>
        {stored === true
          ? t('repos.form.password.keychainStored')
          : stored === false
            ? t('repos.form.password.keychainMissing')
            : t('repos.form.password.keychainNote')}
      </p>
    </>
  );
}
