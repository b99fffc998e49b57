// Renders a TrayModel with Electron's Tray and Menu. No decisions here: tray-model.ts makes them.
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { trayIconFile } from './tray-icons.js';
import type { MenuItemModel, TrayAction, TrayIcon, TrayModel } from './tray-model.js';

/** Menu labels treat & as a mnemonic marker on Windows and Linux; plan names are shown literally. */
const literal = (label: string) => label.replace(/&/g, '&&');

export class ElectronTray {
  private readonly tray: Tray;
  private readonly images = new Map<TrayIcon, NativeImage>();
  private icon: TrayIcon | null = null;

  constructor(
    private readonly assetsDir: string,
    private readonly onAction: (action: TrayAction) => void,
    onActivate: () => void,
  ) {
    this.tray = new Tray(this.image('idle'));
    this.icon = 'idle';
    this.tray.on('click', onActivate); // Windows and macOS; Linux panels only open the menu
  }

  private image(icon: TrayIcon): NativeImage {
    let img = this.images.get(icon);
    if (!img) {
      img = nativeImage.createFromPath(trayIconFile(this.assetsDir, icon, process.platform));
      if (process.platform === 'darwin') img.setTemplateImage(true);
      this.images.set(icon, img);
    }
    return img;
  }

  private template(items: MenuItemModel[]): MenuItemConstructorOptions[] {
    return items.map((item) => {
      if (item.type === 'separator') return { type: 'separator' };
      const action = item.action;
      return {
        label: literal(item.label),
        enabled: item.enabled,
        ...(action ? { click: () => this.onAction(action) } : {}),
        ...(item.submenu ? { submenu: this.template(item.submenu) } : {}),
      };
    });
  }

  render(model: TrayModel): void {
    if (this.tray.isDestroyed()) return;
    if (model.icon !== this.icon) {
      this.tray.setImage(this.image(model.icon));
      this.icon = model.icon;
    }
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(this.template(model.items)));
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }
}
