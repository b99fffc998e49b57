import { useLayoutEffect, type RefObject } from 'react';

/**
 * Sets sizes and offsets through the CSSOM. The page runs under `style-src 'self'`, which forbids style
 * attributes in markup; assigning element.style from script is allowed.
 */
export function useBox(ref: RefObject<HTMLElement | null>, box: { height?: number; translateY?: number }) {
  const { height, translateY } = box;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (height !== undefined) el.style.height = `${height}px`;
    if (translateY !== undefined) el.style.transform = `translateY(${translateY}px)`;
  }, [ref, height, translateY]);
}
