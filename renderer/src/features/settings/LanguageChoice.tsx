import { useState } from 'react';
import { LANGUAGE_NAMES, LANGUAGE_SETTINGS, detectLanguage, isLanguageSetting, resolveLanguage, systemLanguage, type LanguageSetting } from '../../i18n/index.js';
import { selectSettings, useApp, useActions } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

/**
 * The language setting (settings.language in config.json): "Follow the system", English or Chinese. A choice is
 * saved at once and, once the host confirmed it, applied at once; the window and the tray then follow the
 * setting from the state (shell/LanguageFromSettings.tsx), so every window agrees with config.json.
 */
export function LanguageChoice() {
  const t = useT();
  const { settings } = useActions();
  const saved = useApp((s) => selectSettings(s)?.language);
  const setLanguage = useApp((s) => s.setLanguage);
  const save = useAction();
  const [choosing, setChoosing] = useState<LanguageSetting | null>(null);
  const current: LanguageSetting = choosing ?? (isLanguageSetting(saved) ? saved : 'auto');
  const system = detectLanguage(systemLanguage());

  const choose = async (next: LanguageSetting) => {
    setChoosing(next);
    const done = await save.run(() => settings.save({ language: next }));
    setChoosing(null);
    if (done) setLanguage(resolveLanguage(next, systemLanguage()));
  };

  return (
    <>
      <label>
        {t('settings.language')}
        <select
          value={current}
          disabled={save.busy}
          onChange={(e) => {
            if (isLanguageSetting(e.target.value)) void choose(e.target.value);
          }}
          data-testid="language-select"
        >
          {LANGUAGE_SETTINGS.map((l) => (
            <option key={l} value={l} lang={l === 'auto' ? undefined : l}>
              {l === 'auto' ? t('settings.language.auto', { language: LANGUAGE_NAMES[system] }) : LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <p className="hint">{t('settings.language.system')}</p>
      <Feedback state={save} />
    </>
  );
}
