// What a click in the tray menu or on a notification button does. Pure over small ports, so it is tested
// without Electron.
import type { RpcDispatcher } from '../../core/engine-api.js';
import type { TrayAction } from './tray-model.js';

export interface ActionPorts {
  rpc: Pick<RpcDispatcher, 'invoke'>;
  /** Show and focus the window; with a plan or operation, the window's renderer may open it. */
  openWindow(target?: { planId?: string; opId?: number }): void;
  requestQuit(): void;
  /** A failed action (e.g. ALREADY_RUNNING) is told to the user, never swallowed. */
  reportError(action: TrayAction, error: unknown): void;
}

export async function runTrayAction(action: TrayAction, ports: ActionPorts): Promise<void> {
  try {
    switch (action.action) {
      case 'backup':
        await ports.rpc.invoke('plans.backup', { planId: action.planId, trigger: 'tray' });
        return;
      case 'cancel':
        await ports.rpc.invoke('ops.cancel', { opId: action.opId });
        return;
      case 'keepWaiting':
        await ports.rpc.invoke('ops.keepWaiting', { opId: action.opId });
        return;
      case 'pause':
        await ports.rpc.invoke('schedule.pause', { until: action.until });
        return;
      case 'resume':
        await ports.rpc.invoke('schedule.resume', {});
        return;
      case 'slowDown':
        await ports.rpc.invoke('settings.slowDown', { minutes: action.minutes });
        return;
      case 'fullSpeed':
        await ports.rpc.invoke('settings.fullSpeed', {});
        return;
      case 'open': {
        const target: { planId?: string; opId?: number } = {};
        if (action.planId !== undefined) target.planId = action.planId;
        if (action.opId !== undefined) target.opId = action.opId;
        ports.openWindow(target);
        return;
      }
      case 'quit':
        ports.requestQuit();
        return;
    }
  } catch (error) {
    ports.reportError(action, error);
  }
}
