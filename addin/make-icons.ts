/**
 * Draws the Outlook add-in icons into addin/public/icons/: icon-16/32/64/80/128.png (the sizes the XML
 * manifest names), a brand tile with a white "Q" ring and a calendar tick. Run
 * `npx tsx addin/make-icons.ts` after changing the design; the PNGs are committed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";

export const ICON_SIZES = [16, 32, 64, 80, 128] as const;

type Rgba = readonly [number, number, number, number];
const brand: Rgba = [15, 108, 189, 255];
const white: Rgba = [255, 255, 255, 255];

function coverage(x: number, y: number, inside: (px: number, py: number) => boolean): number {
  let hits = 0;
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) if (inside(x + (i + 0.5) / 4, y + (j + 0.5) / 4)) hits++;
  return hits / 16;
}

function paint(png: PNG, color: Rgba, inside: (px: number, py: number) => boolean): void {
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const alpha = coverage(x, y, inside);
      if (alpha <= 0) continue;
      const o = (png.width * y + x) << 2;
      const a = (color[3] / 255) * alpha;
      const da = png.data[o + 3]! / 255;
      const outA = a + da * (1 - a);
      for (let c = 0; c < 3; c++) {
        png.data[o + c] =
          outA === 0 ? 0 : Math.round((color[c]! * a + png.data[o + c]! * da * (1 - a)) / outA);
      }
      png.data[o + 3] = Math.round(outA * 255);
    }
  }
}

export function drawIcon(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  png.data.fill(0);
  const s = size;
  const r = s * 0.2;
  paint(png, brand, (x, y) => {
    const dx = Math.max(r - x, 0, x - (s - r));
    const dy = Math.max(r - y, 0, y - (s - r));
    return dx * dx + dy * dy <= r * r;
  });
  const c = s / 2;
  const outer = s * 0.3;
  const inner = s * (size <= 16 ? 0.16 : 0.19);
  paint(png, white, (x, y) => {
    const d = Math.hypot(x - c, y - c);
    return d <= outer && d >= inner;
  });
  // The tail of the Q, as a thick diagonal stroke towards the lower right.
  const w = s * 0.07;
  paint(png, white, (x, y) => {
    const t = (x - c + (y - c)) / 2;
    const along = t >= s * 0.12 && t <= s * 0.34;
    const across = Math.abs(x - c - (y - c)) / Math.SQRT2 <= w;
    return along && across;
  });
  return PNG.sync.write(png);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(import.meta.dirname, "public", "icons");
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) writeFileSync(path.join(dir, `icon-${size}.png`), drawIcon(size));
  process.stdout.write(`Wrote ${ICON_SIZES.length} icons to ${dir}\n`);
}
