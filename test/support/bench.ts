/**
 * Benchmark reporting. Every benchmark prints our figure, a baseline measured in the same run, and the
 * ratio, so results compare on any machine. Results are also appended as JSON lines to
 * `.data/bench/results.jsonl` for `npm run bench` to summarise.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

export interface BenchResult {
  name: string;
  unit: string;
  ours: number;
  baseline: number;
  baselineName: string;
  /** true for throughput (ops/s), false for durations and sizes. */
  higherIsBetter: boolean;
  /** Optional goal, in `unit`, printed next to the figure. */
  goal?: number;
  notes?: string;
}

const repoRoot = path.resolve(import.meta.dirname, "../..");

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(3);
}

export function reportBench(result: BenchResult): void {
  const ratio = result.baseline === 0 ? Number.NaN : result.ours / result.baseline;
  const goal =
    result.goal === undefined
      ? ""
      : `  goal ${result.higherIsBetter ? ">=" : "<="} ${fmt(result.goal)} ${result.unit} (${
          (result.higherIsBetter ? result.ours >= result.goal : result.ours <= result.goal)
            ? "met"
            : "NOT met"
        })`;
  process.stdout.write(
    `bench ${result.name}: ours ${fmt(result.ours)} ${result.unit} | baseline (${result.baselineName}) ${fmt(
      result.baseline,
    )} ${result.unit} | ratio ${fmt(ratio)}x (${result.higherIsBetter ? "higher" : "lower"} is better)${goal}${
      result.notes ? `  [${result.notes}]` : ""
    }\n`,
  );
  const dir = path.join(repoRoot, ".data", "bench");
  mkdirSync(dir, { recursive: true });
  appendFileSync(
    path.join(dir, "results.jsonl"),
    `${JSON.stringify({ ...result, ratio, at: new Date().toISOString() })}\n`,
  );
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns operations per second. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, ms = 1000): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await fn();
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

/** Times each of `n` runs of `fn` and returns percentiles in milliseconds. */
export async function latencies(
  fn: () => unknown | Promise<unknown>,
  n: number,
): Promise<{ p50: number; p95: number; mean: number }> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}
