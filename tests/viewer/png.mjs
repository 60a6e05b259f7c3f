// PNG decoding for the viewer tests' screenshots (check.mjs, identify.mjs).

import zlib from 'node:zlib';

// ---- PNG decoding (8-bit RGB/RGBA, not interlaced: Chromium's) ----------

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(buf) {
  let pos = 8, ihdr = null;
  const idat = [];
  while (pos + 8 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') ihdr = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const width = ihdr.readUInt32BE(0), height = ihdr.readUInt32BE(4);
  const channels = { 2: 3, 6: 4 }[ihdr[9]];
  if (ihdr[8] !== 8 || !channels || ihdr[12] !== 0)
    throw new Error(`unexpected screenshot PNG: depth ${ihdr[8]}, ` +
                    `colour type ${ihdr[9]}, interlace ${ihdr[12]}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? px[y * stride + i - channels] : 0;
      const b = y > 0 ? px[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= channels ? px[(y - 1) * stride + i - channels]
                                       : 0;
      const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      if (pred === undefined) throw new Error(`PNG filter ${filter}`);
      px[y * stride + i] = (line[i] + pred) & 255;
    }
  }
  return { width, height, channels, px };
}
