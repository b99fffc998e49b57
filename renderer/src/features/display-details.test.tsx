// Small display rules found while looking at the screenshots: a stalled row does not repeat a stale rate or ETA,
// and restic's version reads as a number.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { App } from '../App.js';
import { connectStore, createAppStore } from '../store/index.js';
import { fakeClient } from '../../test-support/fake-client.js';
import { appState, plan, runningOp } from '../../test-support/fixtures.js';
import { versionNumber } from './settings/SettingsView.js';

afterEach(cleanup);

const MiB = 1024 ** 2;

describe('display details', () => {
  it('a stalled operation shows how far it got but not its last rate and ETA; a running one shows both', () => {
    const client = fakeClient();
    const store = createAppStore({ systemLanguage: 'en-US' });
    connectStore(client, store);
    render(<App store={store} client={client} />);
    const progress = { percent: 0.5, bytesDone: 100 * MiB, totalBytes: 200 * MiB, bytesPerSecond: 8 * MiB, etaSeconds: 12 };
    const since = new Date().toISOString();
    act(() =>
      client.push(
        appState({
          plans: [plan('home'), plan('photos')],
          running: [
            runningOp(1, { planId: 'home', progress }),
            runningOp(2, { planId: 'photos', status: 'stalled', progress, stalledSince: since, stall: { since, bytesDone: 100 * MiB, filesDone: 1, cpuSeconds: 1, cpuSecondsSinceProgress: 0 } }),
          ],
        }),
      ),
    );
    const running = screen.getByTestId('op-progress-1').textContent!;
    const stalled = screen.getByTestId('op-progress-2').textContent!;
    expect(running).toContain('8 MiB/s');
    expect(running).toContain('ETA 12 s');
    expect(stalled).toContain('100 MiB of 200 MiB');
    expect(stalled).not.toContain('MiB/s');
    expect(stalled).not.toContain('ETA');
  });

  it("reads restic's version line as its number", () => {
    expect(versionNumber('restic 0.14.0 compiled with go1.19.8 on linux/amd64')).toBe('0.14.0');
    expect(versionNumber('restic 0.16.4-dev (compiled manually) compiled with go1.21')).toBe('0.16.4-dev');
    expect(versionNumber('0.17.3')).toBe('0.17.3');
    expect(versionNumber('unknown')).toBe('unknown');
  });
});
