// Electron entry point (package.json "main": dist/main/hosts/electron/main.js).
import { runDesktopApp } from './electron-app.js';

runDesktopApp();
