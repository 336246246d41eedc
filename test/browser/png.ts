/**
 * Just enough PNG decoding (8-bit greyscale, RGB, RGBA; non-interlaced, as Chromium writes its
 * screenshots) to ask whether a screenshot of a graph holds drawn pixels. Spec: PNG (ISO/IEC 15948),
 * sections 7 (chunks), 9 (filters: None, Sub, Up, Average, Paeth).
 */
import { inflateSync } from 'node:zlib';

export interface Image { width: number; height: number; channels: number; data: Uint8Array }

export function decodePng(buf: Buffer): Image {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8, width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off), type = buf.toString('latin1', off + 4, off + 8);
    const body = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8]!, color = body[9]!, interlace = body[12]!;
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[color] ?? 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour ${color}, interlace ${interlace}`);
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels, data = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!, src = y * (stride + 1) + 1, dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? data[dst + x - channels]! : 0;
      const b = y > 0 ? data[dst - stride + x]! : 0;
      const c = x >= channels && y > 0 ? data[dst - stride + x - channels]! : 0;
      let v = raw[src + x]!;
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      data[dst + x] = v & 255;
    }
  }
  return { width, height, channels, data };
}

/** Share of pixels that differ from white by more than `tolerance` in some channel. */
export function inkShare(img: Image, tolerance = 24): number {
  let ink = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < Math.min(3, img.channels); ch++) {
      if (255 - img.data[i * img.channels + ch]! > tolerance) { ink++; break; }
    }
  }
  return ink / n;
}

/** Distinct colours (quantised to 4 bits a channel): a drawn graph has several, a message has two. */
export function colourCount(img: Image): number {
  const seen = new Set<number>();
  for (let i = 0; i < img.width * img.height; i++) {
    const p = i * img.channels;
    seen.add(img.channels >= 3 ? ((img.data[p]! >> 4) << 8) | ((img.data[p + 1]! >> 4) << 4) | (img.data[p + 2]! >> 4) : img.data[p]! >> 4);
  }
  return seen.size;
}
