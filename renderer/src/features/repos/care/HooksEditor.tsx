import { useId } from 'react';
import type { HookSpec } from '../../../../../main/common/rpc.js';
import type { MessageKey } from '../../../i18n/index.js';
import { useT } from '../../../components/useT.js';

export const HOOK_EVENTS: HookSpec['on'] = ['start', 'success', 'warning', 'error', 'stall', 'cancel'];

/** A hook as the form holds it: exactly one of a command or a URL, the other kept while switching. */
export interface HookRow {
  on: HookSpec['on'];
  kind: 'command' | 'url';
  text: string;
  /** Seconds, as typed; empty: the default of settings.hookTimeoutSeconds. */
  timeout: string;
}

export function rowsOf(hooks: readonly HookSpec[]): HookRow[] {
  return hooks.map((h) => ({
    on: [...h.on],
    kind: h.url !== undefined ? 'url' : 'command',
    text: h.url ?? h.command ?? '',
    timeout: h.timeoutMs !== undefined ? String(h.timeoutMs / 1000) : '',
  }));
}

/** What is saved (hooks[]): the host checks each again and names the field of any it refuses. */
export function hooksOf(rows: readonly HookRow[]): HookSpec[] {
  return rows.map((r) => ({
    on: r.on,
    ...(r.kind === 'url' ? { url: r.text.trim() } : { command: r.text.trim() }),
    ...(r.timeout.trim() !== '' ? { timeoutMs: Math.round(Number(r.timeout) * 1000) } : {}),
  }));
}

/** Hooks: on which events, run a shell command or POST to a URL, within how long. */
export function HooksEditor({ rows, onChange }: { rows: HookRow[]; onChange: (rows: HookRow[]) => void }) {
  const t = useT();
  const uid = useId();
  const patch = (i: number, p: Partial<HookRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...p } : r)));
  return (
    <div className="hooks-editor" data-testid="hooks-editor">
      {rows.length === 0 && <p className="muted">{t('care.hooks.none')}</p>}
      {rows.map((row, i) => (
        <fieldset key={i} className="hook-row" data-testid={`hook-${i}`}>
          <legend>{t('care.hooks.item', { n: i + 1 })}</legend>
          <div role="group" aria-label={t('care.hooks.on')}>
            <span>{t('care.hooks.on')}</span>{' '}
            {HOOK_EVENTS.map((event) => (
              <label key={event} className="inline">
                <input
                  type="checkbox"
                  checked={row.on.includes(event)}
                  onChange={(e) => patch(i, { on: e.target.checked ? HOOK_EVENTS.filter((x) => x === event || row.on.includes(x)) : row.on.filter((x) => x !== event) })}
                />
                {t(`care.hooks.event.${event}` as MessageKey)}
              </label>
            ))}
          </div>
          <div role="radiogroup" aria-label={t('care.hooks.kind')}>
            {(['command', 'url'] as const).map((kind) => (
              <label key={kind} className="inline">
                <input type="radio" name={`${uid}-kind-${i}`} checked={row.kind === kind} onChange={() => patch(i, { kind })} />
                {t(`care.hooks.kind.${kind}` as MessageKey)}
              </label>
            ))}
          </div>
          <label>
            {row.kind === 'url' ? t('care.hooks.url') : t('care.hooks.command')}
            <input className="mono" value={row.text} onChange={(e) => patch(i, { text: e.target.value })} />
          </label>
          <label>
            {t('care.hooks.timeout')}
            <input type="number" min={1} value={row.timeout} placeholder="30" onChange={(e) => patch(i, { timeout: e.target.value })} />
          </label>
          <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={t('care.hooks.remove', { n: i + 1 })}>
            {t('care.hooks.removeShort')}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange([...rows, { on: ['error', 'stall'], kind: 'command', text: '', timeout: '' }])}>
        {t('care.hooks.add')}
      </button>
    </div>
  );
}
