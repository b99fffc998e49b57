import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The same page is served by `backstay serve` (under a strict CSP) and loaded from disk by the Electron window,
// hence relative asset URLs (`base: './'`) and no inline scripts or styles in the output.
const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Vite would inline small assets as data: URLs; CSS and fonts stay files so the CSP needs no exceptions.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
