import { inflateSync } from 'node:zlib';

// Reads the pixels of a headless Chromium screenshot, so a page test looks at what a person sees
// (a red banner across the top, a red step, a highlighted graph state) and not only at the DOM.
// Chromium writes 8-bit RGB or RGBA, not interlaced: that is all this decodes (PNG spec §7–§9).

export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** [r, g, b] of the pixel at (x, y). */
  at(x: number, y: number): [number, number, number];
}

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(png: Buffer): Pixels {
  if (!png.subarray(0, 8).equals(signature)) throw new Error('not a PNG: the signature is missing');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      channels = colour === 6 ? 4 : colour === 2 ? 3 : 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) throw new Error(`PNG depth ${depth} colour type ${colour} interlace ${interlace}: only 8-bit RGB(A), not interlaced, is read`);
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  // Undo each scanline's filter (none, sub, up, average, Paeth) against the line above.
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? (out[y * stride + i - channels] ?? 0) : 0;
      const up = y > 0 ? (out[(y - 1) * stride + i] ?? 0) : 0;
      const upLeft = y > 0 && i >= channels ? (out[(y - 1) * stride + i - channels] ?? 0) : 0;
      const x = line[i] ?? 0;
      let value: number;
      if (filter === 0) value = x;
      else if (filter === 1) value = x + left;
      else if (filter === 2) value = x + up;
      else if (filter === 3) value = x + Math.floor((left + up) / 2);
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        value = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else throw new Error(`PNG line ${y} has filter ${filter}`);
      out[y * stride + i] = value & 0xff;
    }
  }
  return {
    width,
    height,
    at(x, y) {
      const i = y * stride + x * channels;
      return [out[i] ?? 0, out[i + 1] ?? 0, out[i + 2] ?? 0];
    },
  };
}

/** `#cf222e` → [207, 34, 46]. */
export function rgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** The share (0–1) of the pixels in the rectangle whose colour is `hex`, each channel within `tolerance`. */
export function shareOf(pixels: Pixels, hex: string, area: { x: number; y: number; width: number; height: number }, tolerance = 8): number {
  const want = rgb(hex);
  let hits = 0;
  let all = 0;
  for (let y = area.y; y < Math.min(pixels.height, area.y + area.height); y++) {
    for (let x = area.x; x < Math.min(pixels.width, area.x + area.width); x++) {
      all++;
      const got = pixels.at(x, y);
      if (got.every((c, i) => Math.abs(c - (want[i] ?? 0)) <= tolerance)) hits++;
    }
  }
  return all === 0 ? 0 : hits / all;
}

/** Rows (top to bottom) in which at least `minShare` of the pixels are `hex`. */
export function rowsOf(pixels: Pixels, hex: string, minShare: number, tolerance = 8): number[] {
  const rows: number[] = [];
  for (let y = 0; y < pixels.height; y++) if (shareOf(pixels, hex, { x: 0, y, width: pixels.width, height: 1 }, tolerance) >= minShare) rows.push(y);
  return rows;
}

/** The step bar's colours (shared/report/timeline-style.ts): a step's round mark is filled with its tone. */
export const markColours = { good: '#1a7f37', bad: '#cf222e', warn: '#9a6700' } as const;
export type MarkTone = keyof typeof markColours;

/**
 * The tones of the step bar's marks, left to right, read off the screenshot, and the row they were
 * read on: the first row crossing exactly `count` mark-sized runs (6–30 px) of a tone colour.
 * Skipped steps (white, dashed) and wider badges are not marks; undefined when no row crosses
 * `count` of them.
 */
export function stepMarks(pixels: Pixels, count: number, tolerance = 10): { tones: MarkTone[]; y: number } | undefined {
  const tones = Object.entries(markColours).map(([tone, hex]) => [tone as MarkTone, rgb(hex)] as const);
  const toneAt = (x: number, y: number) => {
    const got = pixels.at(x, y);
    return tones.find(([, want]) => got.every((c, i) => Math.abs(c - (want[i] ?? 0)) <= tolerance))?.[0];
  };
  for (let y = 0; y < pixels.height; y++) {
    const runs: Array<{ tone: MarkTone; x: number; length: number }> = [];
    let x = 0;
    while (x < pixels.width) {
      const tone = toneAt(x, y);
      if (!tone) {
        x++;
        continue;
      }
      let end = x;
      while (end < pixels.width && toneAt(end, y) === tone) end++;
      if (end - x >= 6 && end - x <= 30) runs.push({ tone, x, length: end - x });
      x = end;
    }
    if (runs.length !== count) continue;
    // The marks are one size and evenly spaced (flex: 1; a skipped one leaves a whole step's gap);
    // a badge's letters are neither.
    const lengths = runs.map((r) => r.length);
    const gaps = runs.slice(1).map((r, i) => r.x - (runs[i]?.x ?? 0));
    if (Math.max(...lengths) - Math.min(...lengths) > 2) continue;
    const step = Math.min(...gaps);
    if (gaps.length > 0 && (step < 40 || gaps.some((g) => Math.abs(g - Math.round(g / step) * step) > 4 * Math.round(g / step)))) continue;
    return { tones: runs.map((r) => r.tone), y };
  }
  return undefined;
}
