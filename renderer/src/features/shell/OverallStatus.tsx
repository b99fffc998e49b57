import { selectLanguage, selectAppState, useApp } from '../../store/index.js';
import { useNow } from '../../components/useNow.js';
import { useT } from '../../components/useT.js';
import { describeOverall } from './overall-text.js';

/**
 * The header's one status: the level the host derived and its main reason ("Repository nas: wrong password").
 * The level's word is visible where the sentence does not already say it (error, warning, ok); every reason is
 * in the tooltip, and "+N more" says there are others.
 */
export function OverallStatus() {
  const t = useT();
  const language = useApp(selectLanguage);
  const appState = useApp(selectAppState);
  const now = useNow(); // "Paused until 14:00" turns into a date after midnight
  const text = describeOverall(appState, t, language, new Date(now));
  const more = text.all.length - 1;
  const wordVisible = text.main === null || text.level === 'error' || text.level === 'warning';
  return (
    <span
      className={`overall overall-${text.level}`}
      role="status"
      data-testid="overall-status"
      data-status={text.level}
      title={text.all.length > 1 ? text.all.join('\n') : undefined}
    >
      <span className={wordVisible ? 'overall-level' : 'sr-only'}>
        {text.levelWords}
        {text.main !== null && t('overall.levelSeparator')}
      </span>
      {text.main !== null && (
        <span className="overall-reason" data-testid="overall-reason">
          {text.main}
        </span>
      )}
      {more > 0 && <span className="overall-more muted"> ({t('overall.more', { n: more })})</span>}
    </span>
  );
}
