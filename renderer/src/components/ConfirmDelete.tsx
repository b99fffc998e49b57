// A Delete button that asks once more in place ("Delete plan home?" Delete / Discard) before it acts.
import { useState } from 'react';
import { useT } from './useT.js';

export function ConfirmDelete({ question, onConfirm }: { question: string; onConfirm: () => void }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        {t('common.delete')}
      </button>
    );
  }
  return (
    <span className="confirm" role="group">
      <span>{question}</span>
      <button type="button" className="danger" onClick={onConfirm}>
        {t('common.delete')}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        {t('common.discard')}
      </button>
    </span>
  );
}
