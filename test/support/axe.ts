/** axe-core run inside a page's frame, loaded from node_modules when the frame does not have it yet. */
import path from "node:path";
import type { Frame } from "playwright-core";
import { repoRoot } from "./database.ts";

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

/** Runs axe-core in a frame (the tab, the task pane) and returns its serious and critical violations. */
export async function seriousViolations(frame: Frame): Promise<AxeViolation[]> {
  // Let CSS transitions settle (a button turning enabled fades its colours), so axe sees final colours.
  await frame.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => a))));
  const hasAxe = await frame.evaluate(() => "axe" in window);
  if (!hasAxe) await frame.addScriptTag({ path: path.join(repoRoot, "node_modules/axe-core/axe.min.js") });
  const result = (await frame.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    // Tabster's focus sentinels (data-tabster-dummy) are focusable on purpose and hand focus on at once;
    // Fluent UI documents them as a known axe false positive.
    return axe.run({ exclude: [["[data-tabster-dummy]"]] }, { resultTypes: ["violations"] });
  })) as { violations: AxeViolation[] };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      ...v,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
}
