import { useEffect, useState } from 'react';
import { selectSettings, useApp, useActions } from '../../store/index.js';
import { Feedback } from '../../components/Feedback.js';
import { useAction } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';
import { applyTheme, isThemeSetting, THEME_SETTINGS, type ThemeSetting } from '../shell/theme.js';

/**
 * The theme setting (settings.theme in config.json): System, Light or Dark, as three radio buttons. A choice is
 * saved at once and applied as soon as the host confirmed it; every window then follows the state
 * (shell/ThemeFromSettings.tsx), and the desktop window's own background follows it too.
 */
export function ThemeChoice() {
  const t = useT();
  const { settings } = useActions();
  const saved = useApp((s) => selectSettings(s)?.theme);
  const save = useAction();
  const [choosing, setChoosing] = useState<ThemeSetting | null>(null);
  const current: ThemeSetting = choosing ?? (isThemeSetting(saved) ? saved : 'system');

  // A confirmed choice stays shown until the host's next state carries it (it may arrive after the answer).
  useEffect(() => setChoosing(null), [saved]);

  const choose = async (next: ThemeSetting) => {
    setChoosing(next);
    const done = await save.run(() => settings.save({ theme: next }));
    if (done) applyTheme(next);
    else setChoosing(null); // not saved: show what config.json still says
  };

  return (
    <fieldset className="theme-choice" data-testid="theme-choice">
      <legend>{t('settings.theme')}</legend>
      {THEME_SETTINGS.map((theme) => (
        <label key={theme} className="inline">
          <input
            type="radio"
            name="theme"
            value={theme}
            checked={current === theme}
            disabled={save.busy}
            onChange={() => void choose(theme)}
            data-testid={`theme-${theme}`}
          />
          {t(`settings.theme.${theme}`)}
        </label>
      ))}
      <Feedback state={save} />
    </fieldset>
  );
}
