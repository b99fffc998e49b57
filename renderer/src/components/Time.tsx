import { formatClock, formatExact, formatRelative } from '../format/format.js';
import { selectLanguage, useApp } from '../store/index.js';
import { useNow } from './useNow.js';
import { useT } from './useT.js';

/** "2 h ago", with the exact local time on hover. */
export function RelativeTime({ iso }: { iso: string | null | undefined }) {
  const t = useT();
  const language = useApp(selectLanguage);
  const now = useNow();
  if (!iso) return <span>–</span>;
  return (
    <time dateTime={iso} title={formatExact(iso, language)}>
      {formatRelative(iso, t, Math.max(now, Date.now()))}
    </time>
  );
}

/** "14:03" (or with the date when not today), with the exact time on hover. */
export function ClockTime({ iso }: { iso: string | null | undefined }) {
  const language = useApp(selectLanguage);
  if (!iso) return <span>–</span>;
  return (
    <time dateTime={iso} title={formatExact(iso, language)}>
      {formatClock(iso, language)}
    </time>
  );
}
