// The few questions the main process asks by itself.
import path from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import type { Lang } from './i18n.js';

const text = {
  en: {
    quitTitle: 'Quit Backstay?',
    quitMessage: (n: number) => (n === 1 ? '1 operation is running.' : `${n} operations are running.`),
    quitDetail: 'Quitting cancels them. restic is stopped cleanly and the next run continues from what was saved.',
    quitOk: 'Cancel and quit',
    keepRunning: 'Keep running',
    bgTitle: 'Keep Backstay running?',
    bgMessage: 'Keep Backstay running in the background?',
    bgDetail: 'Scheduled backups run only while Backstay runs. This desktop shows no tray icon, so open Backstay again from the applications menu.',
    bgKeep: 'Keep running',
    bgQuit: 'Quit',
    remember: 'Remember my choice',
  },
  'zh-CN': {
    quitTitle: '退出 Backstay？',
    quitMessage: (n: number) => `有 ${n} 个操作正在运行。`,
    quitDetail: '退出会取消它们。restic 会被干净地停止，下次运行会从已保存的数据继续。',
    quitOk: '取消并退出',
    keepRunning: '继续运行',
    bgTitle: '保持 Backstay 运行？',
    bgMessage: '在后台保持 Backstay 运行？',
    bgDetail: '只有 Backstay 运行时才会执行计划备份。此桌面没有托盘图标，请从应用菜单再次打开 Backstay。',
    bgKeep: '继续运行',
    bgQuit: '退出',
    remember: '记住我的选择',
  },
} as const;

export async function confirmCancelAndQuit(count: number, lang: Lang, parent: BrowserWindow | null): Promise<boolean> {
  const t = text[lang];
  const options = {
    type: 'warning' as const,
    title: t.quitTitle,
    message: t.quitMessage(count),
    detail: t.quitDetail,
    buttons: [t.keepRunning, t.quitOk],
    defaultId: 0,
    cancelId: 0,
  };
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return response === 1;
}

export async function askRunInBackground(lang: Lang, parent: BrowserWindow | null): Promise<{ choice: 'background' | 'quit'; remember: boolean }> {
  const t = text[lang];
  const options = {
    type: 'question' as const,
    title: t.bgTitle,
    message: t.bgMessage,
    detail: t.bgDetail,
    buttons: [t.bgKeep, t.bgQuit],
    defaultId: 0,
    cancelId: 0,
    checkboxLabel: t.remember,
  };
  const { response, checkboxChecked } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return { choice: response === 1 ? 'quit' : 'background', remember: checkboxChecked };
}

const saveTitle = { en: 'Save download', 'zh-CN': '保存下载' } as const;

/** The native save dialog for a download, starting in Downloads with the file's own name; null when closed. */
export async function askSavePath(defaultName: string, lang: Lang, parent: BrowserWindow | null, downloadsDir: string): Promise<string | null> {
  const options = { title: saveTitle[lang], defaultPath: path.join(downloadsDir, defaultName), properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
  const { canceled, filePath } = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  return canceled || !filePath ? null : filePath;
}

const foldersTitle = { en: 'Choose folders to back up', 'zh-CN': '选择要备份的文件夹' } as const;

/** The native folder dialog of the guided first run: several folders at once; [] when closed. */
export async function askFolders(lang: Lang, parent: BrowserWindow | null, homeDir: string): Promise<string[]> {
  const options = { title: foldersTitle[lang], defaultPath: homeDir, properties: ['openDirectory' as const, 'multiSelections' as const, 'createDirectory' as const] };
  const { canceled, filePaths } = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return canceled ? [] : filePaths;
}

export function showError(title: string, message: string): void {
  dialog.showErrorBox(title, message);
}
