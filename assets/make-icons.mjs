#!/usr/bin/env node
// Draws Backstay's tray icons (one per state, 16/22/32 px and @2x, plus macOS template images) and the app
// icon, and writes them as PNG with a tiny encoder over node:zlib. Run: node assets/make-icons.mjs
// The glyph is a shield with an upward arrow; each state adds a badge whose *shape* differs, so the
// monochrome template images still tell the states apart.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---- PNG encoding (RGBA, 8 bit, no interlace) ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- shapes in a unit square (0..1, y down) ----
function inPolygon(points, x, y) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r0, r1) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d <= r1 * r1 && d >= r0 * r0;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const polygon = (points) => (x, y) => inPolygon(points, x, y);
const union = (...shapes) => (x, y) => shapes.some((s) => s(x, y));

// The shield: flat-ish top, sides that curve into a point at the bottom (sampled quadratic curves).
function shieldPoints() {
  const pts = [[0.5, 0.05], [0.87, 0.17]];
  const curve = (p0, p1, p2) => {
    for (let t = 0.1; t <= 1.0001; t += 0.1) {
      const a = (1 - t) ** 2, b = 2 * (1 - t) * t, c = t * t;
      pts.push([a * p0[0] + b * p1[0] + c * p2[0], a * p0[1] + b * p1[1] + c * p2[1]]);
    }
  };
  curve([0.87, 0.17], [0.9, 0.72], [0.5, 0.96]);
  curve([0.5, 0.96], [0.1, 0.72], [0.13, 0.17]);
  return pts;
}
const shield = polygon(shieldPoints());
const arrow = union(rect(0.43, 0.42, 0.57, 0.78), polygon([[0.5, 0.2], [0.27, 0.47], [0.73, 0.47]]));

const B = { cx: 0.74, cy: 0.74 }; // badge centre
const badgeGap = circle(B.cx, B.cy, 0.3);
const exclamation = (cx, cy, s = 1) => union(rect(cx - 0.035 * s, cy - 0.14 * s, cx + 0.035 * s, cy + 0.03 * s), circle(cx, cy + 0.1 * s, 0.04 * s));
const pauseBars = union(rect(B.cx - 0.1, B.cy - 0.12, B.cx - 0.03, B.cy + 0.12), rect(B.cx + 0.03, B.cy - 0.12, B.cx + 0.1, B.cy + 0.12));
// A clock face's two hands, at ten past twelve-ish (up and to the right), from the badge centre.
const clockHands = union(rect(B.cx - 0.035, B.cy - 0.16, B.cx + 0.035, B.cy + 0.035), rect(B.cx - 0.035, B.cy - 0.035, B.cx + 0.13, B.cy + 0.035));

const COLORS = {
  green: [46, 158, 91],
  blue: [47, 125, 225],
  amber: [217, 142, 4],
  lightAmber: [240, 192, 74],
  red: [217, 59, 59],
  grey: [138, 143, 152],
  slate: [90, 98, 112],
  white: [255, 255, 255],
  ink: [40, 40, 40],
};

// Layers are painted in order; 'clear' punches a transparent hole (the cut-outs of template images too).
function layers(state) {
  const glyph = (color) => [
    { shape: shield, color },
    { shape: arrow, color: 'clear' },
  ];
  switch (state) {
    case 'idle':
      return glyph(COLORS.green);
    case 'running':
      return [...glyph(COLORS.blue), { shape: badgeGap, color: 'clear' }, { shape: ring(B.cx, B.cy, 0.13, 0.23), color: COLORS.blue }];
    case 'stalled':
      return [
        ...glyph(COLORS.amber),
        { shape: badgeGap, color: 'clear' },
        { shape: circle(B.cx, B.cy, 0.24), color: COLORS.amber },
        { shape: exclamation(B.cx, B.cy), color: 'clear' },
      ];
    case 'warning':
      return [
        ...glyph(COLORS.green),
        { shape: badgeGap, color: 'clear' },
        { shape: polygon([[B.cx, B.cy - 0.27], [B.cx - 0.28, B.cy + 0.22], [B.cx + 0.28, B.cy + 0.22]]), color: COLORS.lightAmber },
        { shape: exclamation(B.cx, B.cy + 0.03, 0.8), color: 'clear' },
      ];
    case 'error':
      return [...glyph(COLORS.slate), { shape: badgeGap, color: 'clear' }, { shape: circle(B.cx, B.cy, 0.23), color: COLORS.red }];
    case 'paused':
      return [
        ...glyph(COLORS.grey),
        { shape: badgeGap, color: 'clear' },
        { shape: circle(B.cx, B.cy, 0.24), color: COLORS.grey },
        { shape: pauseBars, color: 'clear' },
      ];
    case 'postponed':
      // A scheduled run waits for its condition: grey like paused (nothing runs), but a clock instead of the pause
      // bars, so that the template images tell "the user paused" from "waiting for the charger" by shape.
      return [
        ...glyph(COLORS.grey),
        { shape: badgeGap, color: 'clear' },
        { shape: circle(B.cx, B.cy, 0.24), color: COLORS.grey },
        { shape: clockHands, color: 'clear' },
      ];
    case 'setup':
      // Nothing configured yet: an empty (outlined) shield in a neutral colour, so it never reads as "all ok".
      return [
        { shape: shield, color: COLORS.grey },
        { shape: (x, y) => shield(0.5 + (x - 0.5) / 0.7, 0.5 + (y - 0.5) / 0.7), color: 'clear' },
      ];
    case 'cancelling':
      // A cancel was asked for: the running glyph with a stop square instead of the progress ring.
      return [
        ...glyph(COLORS.blue),
        { shape: badgeGap, color: 'clear' },
        { shape: circle(B.cx, B.cy, 0.24), color: COLORS.blue },
        { shape: rect(B.cx - 0.09, B.cy - 0.09, B.cx + 0.09, B.cy + 0.09), color: 'clear' },
      ];
    default:
      throw new Error(`unknown state ${state}`);
  }
}

/** Renders with 4x4 supersampling; `template` paints every colour black (macOS tints it by alpha). */
function render(size, layerList, { template = false, background = null } = {}) {
  const out = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          let color = null;
          if (background && background.shape(x, y)) color = background.color;
          for (const layer of layerList) if (layer.shape(x, y)) color = layer.color === 'clear' ? null : layer.color;
          if (!color) continue;
          const c = template ? [0, 0, 0] : color;
          r += c[0]; g += c[1]; b += c[2]; a += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((a / (S * S)) * 255);
      }
    }
  }
  return encodePng(size, size, out);
}

const STATES = ['idle', 'running', 'stalled', 'error', 'paused', 'warning', 'setup', 'cancelling', 'postponed'];
const SIZES = [16, 22, 32];
const trayDir = path.join(here, 'tray');
mkdirSync(trayDir, { recursive: true });
let files = 0, bytes = 0;
const write = (file, png) => {
  writeFileSync(file, png);
  files++;
  bytes += png.length;
};
for (const state of STATES) {
  const list = layers(state);
  for (const size of SIZES) {
    write(path.join(trayDir, `tray-${state}-${size}.png`), render(size, list));
    write(path.join(trayDir, `tray-${state}-${size}@2x.png`), render(size * 2, list));
    write(path.join(trayDir, `tray-${state}-${size}Template.png`), render(size, list, { template: true }));
    write(path.join(trayDir, `tray-${state}-${size}Template@2x.png`), render(size * 2, list, { template: true }));
  }
}
// App icon: the idle glyph on a soft rounded tile, 512 px (electron-builder derives the other sizes).
const tile = { shape: (x, y) => {
  const r = 0.18, m = 0.04;
  const qx = Math.max(m + r - x, 0, x - (1 - m - r));
  const qy = Math.max(m + r - y, 0, y - (1 - m - r));
  return x >= m && x <= 1 - m && y >= m && y <= 1 - m && qx * qx + qy * qy <= r * r;
}, color: [236, 244, 239] };
const inset = (shape, k = 0.78) => (x, y) => shape(0.5 + (x - 0.5) / k, 0.5 + (y - 0.5) / k);
write(path.join(here, 'icon-512.png'), render(512, [
  { shape: inset(shield), color: COLORS.green },
  { shape: inset(arrow), color: COLORS.white },
], { background: tile }));
console.log(`wrote ${files} icons, ${bytes} bytes`);
