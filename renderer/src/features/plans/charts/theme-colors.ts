// Canvas charts cannot read CSS variables: this resolves a token (tokens.css) to the colour the page shows now,
// and tells when the scheme changed (settings.theme on <html>, or the OS switching), so a chart redraws itself.
import { useEffect, useState } from 'react';

/** The colour `var(--name)` resolves to under `el`, as "rgb(...)" (light-dark() already applied). */
export function tokenColor(el: Element, name: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${name})`;
  probe.style.display = 'none';
  el.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || 'currentColor';
}

/** A key that changes whenever the page's colour scheme may have changed. */
export function useSchemeKey(): string {
  const read = () => `${document.documentElement.dataset.theme ?? 'system'}:${matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'}`;
  const [key, setKey] = useState(read);
  useEffect(() => {
    const update = () => setKey(read());
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = matchMedia?.('(prefers-color-scheme: dark)');
    media?.addEventListener('change', update);
    return () => {
      observer.disconnect();
      media?.removeEventListener('change', update);
    };
  }, []);
  return key;
}
