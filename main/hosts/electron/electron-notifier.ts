// Shows NotificationModels with Electron's Notification, keeps each one referenced until it closes (otherwise it
// may be garbage-collected and its click lost), and withdraws by id.
import { Notification } from 'electron';
import type { Logger } from '../../core/engine-api.js';
import { notificationButtons, type NotificationModel } from './notify-model.js';
import type { TrayAction } from './tray-model.js';

export class ElectronNotifier {
  private readonly open = new Map<string, Notification>();

  constructor(
    private readonly onAction: (action: TrayAction) => void,
    private readonly icon: string,
    private readonly logger?: Logger,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  get supported(): boolean {
    return Notification.isSupported();
  }

  show(model: NotificationModel): void {
    if (!this.supported) return;
    this.withdraw(model.id); // one per id: a newer one replaces the old
    // Buttons where the OS shows them (macOS, Windows); elsewhere a click opens the operation and the tray has the actions.
    const buttons = notificationButtons(model, this.platform);
    const n = new Notification({
      title: model.title,
      body: model.body,
      icon: this.icon,
      silent: model.urgency === 'low',
      urgency: model.urgency,
      timeoutType: model.urgency === 'critical' ? 'never' : 'default',
      actions: buttons.map((a) => ({ type: 'button' as const, text: a.label })),
    });
    const forget = () => {
      if (this.open.get(model.id) === n) this.open.delete(model.id);
    };
    n.on('click', () => {
      forget();
      this.onAction(model.click);
    });
    n.on('action', (details) => {
      forget();
      const chosen = buttons[details.actionIndex];
      if (chosen) this.onAction(chosen.action);
    });
    n.on('close', forget);
    n.on('failed', (_event, error) => {
      forget();
      this.logger?.warn('notification failed', { id: model.id, error });
    });
    this.open.set(model.id, n);
    n.show();
  }

  withdraw(id: string): void {
    const n = this.open.get(id);
    if (!n) return;
    this.open.delete(id);
    n.close();
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.withdraw(id);
  }
}
