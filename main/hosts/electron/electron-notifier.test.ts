// The notifier's per-platform decision, through the adapter: Electron shows notification buttons on macOS and
// Windows, none on Linux. Where there are buttons, pressing one does its action; everywhere a click on the
// notification opens the operation (on Linux that is all a notification can do: the tray has Cancel and Keep waiting).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationModel } from './notify-model.js';
import type { TrayAction } from './tray-model.js';

const shown = vi.hoisted(() => [] as { options: { actions?: { type: string; text?: string }[] }; emit(event: string, ...args: unknown[]): boolean }[]);

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  class Notification extends EventEmitter {
    static isSupported = () => true;
    constructor(readonly options: { actions?: { type: string; text?: string }[] }) {
      super();
    }
    show() {
      shown.push(this);
    }
    close() {}
  }
  return { Notification, default: { Notification } };
});

const { ElectronNotifier } = await import('./electron-notifier.js');

const stall: NotificationModel = {
  id: 'stall:7',
  kind: 'stall',
  title: 'Backup stalled',
  body: 'photos: no progress since 10:02.',
  urgency: 'critical',
  actions: [
    { label: 'Cancel', action: { action: 'cancel', opId: 7 } },
    { label: 'Keep waiting', action: { action: 'keepWaiting', opId: 7 } },
  ],
  click: { action: 'open', opId: 7, planId: 'photos' },
};

/** Electron 45's 'action' event: the details first (actionIndex), then the deprecated positional index. */
const press = (index: number) => shown.at(-1)!.emit('action', { actionIndex: index, selectionIndex: -1, preventDefault() {} }, index, -1);

beforeEach(() => {
  shown.length = 0;
});

describe('ElectronNotifier on each platform', () => {
  it.each([
    { platform: 'darwin', buttons: ['Cancel', 'Keep waiting'] },
    { platform: 'win32', buttons: ['Cancel', 'Keep waiting'] },
    { platform: 'linux', buttons: [] },
  ] as const)('$platform: buttons $buttons', ({ platform, buttons }) => {
    const actions: TrayAction[] = [];
    const notifier = new ElectronNotifier((a) => actions.push(a), '/icon.png', undefined, platform);
    notifier.show(stall);
    expect(shown.at(-1)!.options.actions).toEqual(buttons.map((text) => ({ type: 'button', text })));

    // Each button does its own action; an index Electron reports beyond the buttons given does nothing.
    for (const [index] of buttons.entries()) {
      notifier.show(stall);
      press(index);
    }
    notifier.show(stall);
    press(buttons.length);
    expect(actions).toEqual(stall.actions.slice(0, buttons.length).map((a) => a.action));

    // A click opens the operation, on every platform.
    notifier.show(stall);
    shown.at(-1)!.emit('click', { preventDefault() {} });
    expect(actions.at(-1)).toEqual(stall.click);
  });
});
