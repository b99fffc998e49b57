import { useEffect } from 'react';
import { INDEXING_REFRESH_MS } from './HistorySearch.js';

/** While an answer says the index is not complete, ask again now and then: the rest arrives as indexing goes on. */
export function useRefreshWhileIndexing(answer: { complete: boolean } | null, reload: () => void): void {
  const incomplete = answer !== null && answer.complete === false;
  useEffect(() => {
    if (!incomplete) return;
    const timer = setTimeout(reload, INDEXING_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [answer, incomplete, reload]);
}
