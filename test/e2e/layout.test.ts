// Issue 13, layout: from 720 px to 2560 px wide, no view scrolls sideways (neither the page nor the view's own
// scroll box), no cells of a table row overlap, and a long path is shortened in the middle with the whole path
// on hover and a button that copies it. Chromium against the real `backstay serve` and real restic.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { byTestId } from './helpers.js';
import { LONG_DIR, openWindow, useViewWorld, VIEW_STOPS } from './view-walk.js';

const { world, newPage } = useViewWorld();

interface LayoutProblems {
  pageScrollsSideways: string | null;
  boxesScrollingSideways: string[];
  overlappingCells: string[];
}

/** What is wrong with the layout as shown: sideways scrolling anywhere, and table cells on top of each other. */
function layoutProblems(page: Page): Promise<LayoutProblems> {
  return page.evaluate(() => {
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
    const root = document.scrollingElement!;
    const pageScrollsSideways = root.scrollWidth > window.innerWidth ? `scrollWidth ${root.scrollWidth} > innerWidth ${window.innerWidth}` : null;
    // A box that scrolls sideways: its content is wider than it and it lets you scroll (overflow auto/scroll).
    const boxesScrollingSideways: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const style = getComputedStyle(el);
      if (!/(auto|scroll)/.test(style.overflowX)) continue;
      if (el.scrollWidth > el.clientWidth + 1) boxesScrollingSideways.push(`${name(el)}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    const overlappingCells: string[] = [];
    const rows = Array.from(document.querySelectorAll('tr, [role="row"], .ops-row'));
    for (const row of rows) {
      // Visually hidden words (1 px, for screen readers) are not cells.
      const cells = Array.from(row.children).filter((c) => c.getClientRects().length > 0 && c.getBoundingClientRect().width > 1);
      for (let i = 1; i < cells.length; i++) {
        const a = cells[i - 1]!.getBoundingClientRect();
        const b = cells[i]!.getBoundingClientRect();
        const sameLine = a.top < b.bottom && b.top < a.bottom;
        if (sameLine && a.right > b.left + 0.5 && b.right > a.left + 0.5) overlappingCells.push(`${name(row)}: cell ${i - 1} [${a.left}-${a.right}] and ${i} [${b.left}-${b.right}]`);
      }
    }
    return { pageScrollsSideways, boxesScrollingSideways, overlappingCells };
  });
}

const WIDTHS = [720, 1024, 2560];

describe('layout from 720 to 2560 px (Chromium)', () => {
  it.each(WIDTHS)('at %i px wide no view scrolls sideways and no table cells overlap', async (width) => {
    const { session } = world();
    const page = await newPage();
    await page.setViewportSize({ width, height: 900 });
    await openWindow(page, session.url);
    const found: Record<string, LayoutProblems> = {};
    for (const stop of VIEW_STOPS) {
      await stop.open(page);
      found[stop.name] = await layoutProblems(page);
    }
    const none: LayoutProblems = { pageScrollsSideways: null, boxesScrollingSideways: [], overlappingCells: [] };
    expect(found).toEqual(Object.fromEntries(VIEW_STOPS.map((s) => [s.name, none])));
    expect(session.problems).toEqual([]);
  }, 180_000);

  it('a long path is shortened in the middle, whole on hover, and copied by its button', async () => {
    const { session } = world();
    await session.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await newPage();
    await page.setViewportSize({ width: 720, height: 900 });
    await openWindow(page, session.url);
    await byTestId(page, 'nav-plans').click();
    await page.getByRole('button', { name: /^home/ }).click();
    const long = page.locator('[data-testid="path-text"]', { hasText: 'and-one-more-to-be-sure' }).first();
    await long.waitFor({ timeout: 15_000 });
    const facts = await long.evaluate((el) => {
      const text = el.querySelector<HTMLElement>('.path-text')!;
      const head = el.querySelector<HTMLElement>('.path-head')!;
      const tail = el.querySelector<HTMLElement>('.path-tail')!;
      return {
        title: text.title,
        // The head is cut (its text is wider than its box); the tail, the last parts of the path, is whole.
        headCut: head.scrollWidth > head.clientWidth,
        tailWhole: tail.scrollWidth <= tail.clientWidth,
        tail: tail.textContent,
        fits: el.getBoundingClientRect().right <= document.documentElement.clientWidth,
      };
    });
    expect(facts.title.endsWith(LONG_DIR)).toBe(true);
    expect(facts).toMatchObject({ headCut: true, tailWhole: true, fits: true });
    expect(LONG_DIR.endsWith(facts.tail!)).toBe(true);
    await long.getByTestId('copy-path').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(facts.title);
  }, 60_000);
});
