// Draws images/icon.png (128×128): a rule bracket with three members, one joining. Pure Node
// (zlib PNG encoding), so the icon is reproducible without image tools.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const W = 128;
const px = new Uint8Array(W * W * 4);
const blend = (x, y, [r, g, b], a) => {
  if (x < 0 || y < 0 || x >= W || y >= W || a <= 0) return;
  const i = (y * W + x) * 4;
  const k = Math.min(1, a);
  px[i] = px[i] * (1 - k) + r * k; px[i + 1] = px[i + 1] * (1 - k) + g * k; px[i + 2] = px[i + 2] * (1 - k) + b * k;
  px[i + 3] = Math.min(255, px[i + 3] + 255 * k);
};
// Anti-aliased shapes by supersampling a signed-distance test.
const shape = (inside, color) => {
  for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) {
    let hits = 0;
    for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4)) hits++;
    blend(x, y, color, hits / 16);
  }
};
const rounded = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const person = (cx, cy, s, color) => {
  shape(circle(cx, cy - 9 * s, 7 * s), color);
  shape((x, y) => y >= cy && y <= cy + 16 * s && ((x - cx) / (13 * s)) ** 2 + ((y - (cy + 16 * s)) / (16 * s)) ** 2 <= 1, color);
};
shape(rounded(4, 4, 124, 124, 22), [0, 90, 158]);
shape(rounded(4, 4, 124, 70, 22), [0, 120, 212]);
// Rule braces
shape((x, y) => (x >= 16 && x <= 22 && y >= 28 && y <= 100) || (x >= 16 && x <= 30 && ((y >= 28 && y <= 34) || (y >= 94 && y <= 100))), [255, 255, 255]);
shape((x, y) => (x >= 106 && x <= 112 && y >= 28 && y <= 100) || (x >= 98 && x <= 112 && ((y >= 28 && y <= 34) || (y >= 94 && y <= 100))), [255, 255, 255]);
person(46, 58, 1, [255, 255, 255]);
person(82, 58, 1, [255, 255, 255]);
person(64, 84, 0.9, [80, 230, 150]);
shape((x, y) => Math.abs(x - 64) <= 2.5 && y >= 100 && y <= 114 || Math.abs(y - 107) <= 2.5 && x >= 57 && x <= 71, [80, 230, 150]);

const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4); c.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, c]);
};
const raw = Buffer.alloc((W * 4 + 1) * W);
for (let y = 0; y < W; y++) { raw[y * (W * 4 + 1)] = 0; Buffer.from(px.buffer, y * W * 4, W * 4).copy(raw, y * (W * 4 + 1) + 1); }
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(W, 0); ihdr.writeUInt32BE(W, 4); ihdr[8] = 8; ihdr[9] = 6;
writeFileSync(new URL('../images/icon.png', import.meta.url), Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
