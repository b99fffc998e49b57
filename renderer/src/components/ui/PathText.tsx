import { useEffect, useState } from 'react';
import { useT } from '../useT.js';
import { Check, Copy } from './icons.js';
import { copyText } from './copy-text.js';
import { splitPath } from './path-split.js';

/**
 * A path that fits any width: the start is shortened in the middle ("/home/me/Vi…/2025/trip.mov") by CSS, so it
 * adapts to the space there is; the whole path is in the tooltip, and (with `copyable`) a button copies it.
 */
export function PathText({ path, copyable = false, className }: { path: string; copyable?: boolean; className?: string }) {
  const t = useT();
  const { head, tail } = splitPath(path);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <span className={`path ${className ?? ''}`} data-testid="path-text">
      <span className="path-text" title={path}>
        {head && <span className="path-head">{head}</span>}
        <span className="path-tail">{tail}</span>
      </span>
      {copyable && (
        <button
          type="button"
          className="icon-button"
          aria-label={copied ? t('common.copied') : t('common.copyPath', { path })}
          title={copied ? t('common.copied') : t('common.copy')}
          onClick={() => void copyText(path).then(setCopied)}
          data-testid="copy-path"
        >
          {copied ? <Check size={14} aria-hidden="true" /> : <Copy size={14} aria-hidden="true" />}
        </button>
      )}
    </span>
  );
}
