/**
 * Draws the Teams app icons into appPackage/: `color.png` (192×192, the full-colour icon) and
 * `outline.png` (32×32, white on transparent). Run `npx tsx scripts/make-icons.ts` after changing the
 * design; the PNGs are committed.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";

type Rgba = readonly [number, number, number, number];
const brand: Rgba = [91, 95, 199, 255];
const white: Rgba = [255, 255, 255, 255];

/** Coverage (0..1) of pixel (x, y) by a shape, by 4×4 supersampling. */
function coverage(x: number, y: number, inside: (px: number, py: number) => boolean): number {
  let hits = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) if (inside(x + (i + 0.5) / 4, y + (j + 0.5) / 4)) hits++;
  }
  return hits / 16;
}

function blend(png: PNG, x: number, y: number, color: Rgba, alpha: number): void {
  if (alpha <= 0) return;
  const o = (png.width * y + x) << 2;
  const a = (color[3] / 255) * alpha;
  const da = png.data[o + 3]! / 255;
  const outA = a + da * (1 - a);
  for (let c = 0; c < 3; c++) {
    const src = color[c]!;
    const dst = png.data[o + c]!;
    png.data[o + c] = outA === 0 ? 0 : Math.round((src * a + dst * da * (1 - a)) / outA);
  }
  png.data[o + 3] = Math.round(outA * 255);
}

function paint(png: PNG, color: Rgba, inside: (px: number, py: number) => boolean): void {
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) blend(png, x, y, color, coverage(x, y, inside));
  }
}

/** The Quorum mark: a ring (a table seen from above) with a tail, like a Q, scaled to `size`. */
function quorumMark(size: number, stroke: number) {
  const c = size / 2;
  const r = size * 0.3;
  return (px: number, py: number): boolean => {
    const d = Math.hypot(px - c, py - c);
    const ring = Math.abs(d - r) <= stroke / 2;
    // Tail: a short thick segment from the ring's lower right outward.
    const t0 = { x: c + r * 0.55, y: c + r * 0.55 };
    const t1 = { x: c + r * 1.15, y: c + r * 1.15 };
    const vx = t1.x - t0.x;
    const vy = t1.y - t0.y;
    const len2 = vx * vx + vy * vy;
    const k = Math.max(0, Math.min(1, ((px - t0.x) * vx + (py - t0.y) * vy) / len2));
    const tail = Math.hypot(px - (t0.x + k * vx), py - (t0.y + k * vy)) <= stroke / 2;
    return ring || tail;
  };
}

export function colorIcon(): PNG {
  const size = 192;
  const png = new PNG({ width: size, height: size });
  png.data.fill(0);
  const radius = 36;
  paint(png, brand, (px, py) => {
    const dx = Math.max(radius - px, 0, px - (size - radius));
    const dy = Math.max(radius - py, 0, py - (size - radius));
    return dx * dx + dy * dy <= radius * radius;
  });
  paint(png, white, quorumMark(size, 18));
  return png;
}

export function outlineIcon(): PNG {
  const size = 32;
  const png = new PNG({ width: size, height: size });
  png.data.fill(0);
  paint(png, white, quorumMark(size, 3));
  return png;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const dir = path.resolve(import.meta.dirname, "../appPackage");
  writeFileSync(path.join(dir, "color.png"), PNG.sync.write(colorIcon()));
  writeFileSync(path.join(dir, "outline.png"), PNG.sync.write(outlineIcon()));
  process.stdout.write(`Wrote ${dir}/color.png and ${dir}/outline.png\n`);
}
