// What every e2e test leaves behind, ended in one order after each test: a frozen backend thawed first (so that the
// session's serve can stop its restic), the session closed, the backend stopped, the workspace removed.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterEach } from 'vitest';
import type { RcloneServer } from '../helpers/rclone.js';
import type { Workspace } from '../helpers/workspace.js';
import type { E2eSession } from './helpers.js';

export interface E2eLeftovers {
  session?: E2eSession | null;
  ws?: Workspace | null;
  rclone?: RcloneServer | null;
}

/** After each test: end what `current()` names, then `reset()` the test file's variables. */
export function tearDownAfterEach(current: () => E2eLeftovers, reset: () => void): void {
  afterEach(async () => {
    const { session, ws, rclone } = current();
    rclone?.thaw();
    await session?.close();
    await rclone?.stop();
    await ws?.cleanup();
    reset();
  });
}

/** axe (WCAG 2.0/2.1 A and AA, and best practice) on the page: the serious and critical findings, one line each. */
export async function seriousAxeViolations(page: Page, opts: { withSummary?: boolean } = {}): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((n) => {
        const where = `${v.id} (${v.impact}): ${n.target.join(' ')}`;
        return opts.withSummary ? `${where}: ${n.failureSummary?.split('\n').slice(0, 3).join(' ') ?? v.help}` : where;
      }),
    );
}
