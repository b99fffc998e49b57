// Issue 13, accessibility, measured in Chromium against the real `backstay serve` and real restic: axe finds no
// serious or critical violation on any view, in light and in dark (the theme chosen in Settings, as a person
// would); the skip link is the first Tab stop and lands in the view; every control of a view is reached by Tab;
// plan status changes are announced politely.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { byTestId } from './helpers.js';
import { seriousAxeViolations } from './teardown.js';
import { openWindow, useViewWorld, VIEW_STOPS } from './view-walk.js';

const { world, newPage } = useViewWorld();

async function chooseTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await byTestId(page, 'nav-settings').click();
  await byTestId(page, `theme-${theme}`).check();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? 'system'), { timeout: 10_000 }).toBe(theme);
}

describe('accessibility (axe, keyboard, announcements) in Chromium', () => {
  it.each(['light', 'dark'] as const)('no serious or critical axe violation on any view, %s theme', async (theme) => {
    const { session } = world();
    const page = await newPage();
    await openWindow(page, session.url);
    await chooseTheme(page, theme);
    // The chosen scheme is the one painted: the page background is the token's value for it.
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe(theme === 'dark' ? 'rgb(22, 24, 28)' : 'rgb(246, 247, 249)');
    const found: Record<string, string[]> = {};
    for (const stop of VIEW_STOPS) {
      await stop.open(page);
      found[stop.name] = await seriousAxeViolations(page, { withSummary: true });
    }
    expect(found).toEqual(Object.fromEntries(VIEW_STOPS.map((s) => [s.name, []])));
    await chooseTheme(page, 'light');
    expect(session.problems).toEqual([]);
  }, 180_000);

  it('the skip link is the first Tab stop and moves focus into the view', async () => {
    const { session } = world();
    const page = await newPage();
    await openWindow(page, session.url);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('skip-link');
    expect(await byTestId(page, 'skip-link').isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // The next Tab goes to the view's first control, not back to the header.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('#main'))).toBe(true);
  }, 60_000);

  it.each(VIEW_STOPS.map((s) => [s.name, s] as const))('every control of %s is reached by Tab, header and sections first', async (_name, stop) => {
    const { session } = world();
    const page = await newPage();
    await openWindow(page, session.url);
    await stop.open(page);
    const controls = await page.evaluate(() => {
      const all = Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])'));
      return all
        .filter((el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
        .map((el, i) => {
          el.dataset.a11yIndex = String(i);
          return i;
        });
    });
    const reached: number[] = [];
    // Tab from the top of the page, as after opening the window (a click leaves the starting point at what it hit).
    await page.evaluate(() => {
      document.body.tabIndex = -1;
      document.body.focus();
      document.body.removeAttribute('tabindex');
    });
    for (let press = 0; press < 3 * controls.length + 10; press++) {
      await page.keyboard.press('Tab');
      const index = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.a11yIndex ?? null);
      if (index === null) continue;
      if (Number(index) === reached.at(-1)) continue; // a date field has a Tab stop per part
      if (reached.includes(Number(index))) break; // went round
      reached.push(Number(index));
    }
    // Radio groups are one Tab stop (arrow keys move inside): count a group once.
    const unreachedNames = await page.evaluate((got: number[]) => {
      const names: string[] = [];
      const groupsReached = new Set(got.map((i) => document.querySelector<HTMLInputElement>(`[data-a11y-index="${i}"]`)).filter((el) => el?.type === 'radio').map((el) => el!.name));
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-a11y-index]'))) {
        const i = Number(el.dataset.a11yIndex);
        if (got.includes(i)) continue;
        if (el instanceof HTMLInputElement && el.type === 'radio' && groupsReached.has(el.name)) continue;
        const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '';
        names.push(`${el.tagName.toLowerCase()}${el instanceof HTMLInputElement ? `[${el.type}]` : ''} "${label.trim().slice(0, 40)}"`);
      }
      return names;
    }, reached);
    expect(unreachedNames).toEqual([]);
    // A sensible order: the skip link, then the header's controls, then the sections, then the view.
    const order: string[] = await page.evaluate((got: number[]) => got.map((i) => {
      const el = document.querySelector(`[data-a11y-index="${i}"]`)!;
      return el.closest('#main') ? 'view' : el.closest('nav') ? 'nav' : el.closest('header') ? 'header' : el.getAttribute('data-testid') === 'skip-link' ? 'skip' : 'other';
    }), reached);
    const firstOf = (part: string) => order.indexOf(part);
    expect(firstOf('skip')).toBe(0);
    expect(firstOf('header')).toBeLessThan(firstOf('nav'));
    expect(firstOf('nav')).toBeLessThan(firstOf('view'));
    expect(order.lastIndexOf('nav')).toBeLessThan(firstOf('view'));
  }, 60_000);

  it('a plan status change is announced politely', async () => {
    const { session } = world();
    const page = await newPage();
    await openWindow(page, session.url);
    const announcer = byTestId(page, 'plan-announcer');
    expect(await announcer.getAttribute('aria-live')).toBe('polite');
    await byTestId(page, 'plan-row-home').getByRole('button', { name: 'Back up now', exact: true }).click();
    // Queued/Running while it goes, then Success: each a change, announced as "home: <status>".
    await expect.poll(() => announcer.textContent(), { timeout: 60_000 }).toMatch(/home: (Queued|Running|Success)/);
    await byTestId(page, 'plan-status-home', 'success').waitFor({ timeout: 60_000 });
    await expect.poll(() => announcer.textContent(), { timeout: 10_000 }).toContain('home: Success');
    // The overall status in the header is a polite status region too.
    expect(await byTestId(page, 'overall-status').getAttribute('role')).toBe('status');
  }, 90_000);
});
