// Counts the pixels of a PNG near each given colour: node png-colors.js FILE RRGGBB...
// Prints "RRGGBB COUNT" per colour. A plain decoder (8-bit RGB or RGBA,
// non-interlaced, as Chromium writes screenshots), so that the test needs
// nothing beyond node.
'use strict';
const fs = require('fs');
const zlib = require('zlib');

const buf = fs.readFileSync(process.argv[2]);
if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
let off = 8, width = 0, height = 0, depth = 0, type = 0;
const idat = [];
while (off < buf.length) {
  const len = buf.readUInt32BE(off), kind = buf.toString('latin1', off + 4, off + 8);
  const data = buf.subarray(off + 8, off + 8 + len);
  if (kind === 'IHDR') {
    width = data.readUInt32BE(0); height = data.readUInt32BE(4); depth = data[8]; type = data[9];
    if (data[12] !== 0) throw new Error('interlaced PNG');
  } else if (kind === 'IDAT') idat.push(data);
  off += 12 + len;
}
if (depth !== 8 || (type !== 2 && type !== 6)) throw new Error(`unsupported PNG: depth ${depth} type ${type}`);
const bpp = type === 6 ? 4 : 3, stride = width * bpp;
const raw = zlib.inflateSync(Buffer.concat(idat));
const px = Buffer.alloc(stride * height);
for (let y = 0; y < height; y++) {
  const f = raw[y * (stride + 1)], src = y * (stride + 1) + 1, dst = y * stride;
  for (let x = 0; x < stride; x++) {
    const a = x >= bpp ? px[dst + x - bpp] : 0, b = y ? px[dst - stride + x] : 0;
    const c = x >= bpp && y ? px[dst - stride + x - bpp] : 0;
    let v = raw[src + x];
    if (f === 1) v += a;
    else if (f === 2) v += b;
    else if (f === 3) v += (a + b) >> 1;
    else if (f === 4) {
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    px[dst + x] = v & 0xff;
  }
}
for (const hex of process.argv.slice(3)) {
  const r = parseInt(hex.slice(0, 2), 16), g = parseInt(hex.slice(2, 4), 16), bl = parseInt(hex.slice(4, 6), 16);
  let n = 0;
  for (let i = 0; i < px.length; i += bpp) {
    if (Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - bl) <= 24) n++;
  }
  console.log(`${hex} ${n}`);
}
console.log(`size ${width}x${height}`);
