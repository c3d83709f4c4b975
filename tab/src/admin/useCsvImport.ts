/** State of the CSV import wizard: template → upload → plan preview → commit → undo. */
import { useState } from "react";
import type { PlanResponse, PlanRowView } from "../../../src/api-contract/seats.ts";
import { useTabEnvironment } from "../shared/context.ts";

export type ImportStep =
  | { step: "choose" }
  | { step: "planning"; fileName: string }
  | { step: "preview"; fileName: string; plan: PlanResponse }
  | { step: "committing"; fileName: string; plan: PlanResponse }
  | { step: "committed"; fileName: string; plan: PlanResponse }
  | { step: "undoing"; fileName: string; plan: PlanResponse }
  | { step: "undone"; fileName: string; plan: PlanResponse };

export type SortKey = "line" | "email" | "kind" | "action" | "reason";

export const problemActions: readonly string[] = ["error", "skip"];

export function isProblem(row: PlanRowView): boolean {
  return problemActions.includes(row.action);
}

export function sortRows(rows: readonly PlanRowView[], key: SortKey, direction: "ascending" | "descending") {
  const sign = direction === "ascending" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const av = a[key] ?? "";
    const bv = b[key] ?? "";
    const c =
      typeof av === "number" && typeof bv === "number" ? av - bv : String(av).localeCompare(String(bv));
    return c !== 0 ? c * sign : a.line - b.line;
  });
}

export function useCsvImport() {
  const { api } = useTabEnvironment();
  const [state, setState] = useState<ImportStep>({ step: "choose" });
  const [error, setError] = useState<unknown>(undefined);
  const run = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    setError(undefined);
    try {
      return await work();
    } catch (e) {
      setError(e);
      return undefined;
    }
  };
  return {
    state,
    error,
    async downloadTemplate() {
      const text = await run(() => api.seats.template());
      if (text === undefined) return;
      const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = "quorum-seats.csv";
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    async upload(file: File) {
      setState({ step: "planning", fileName: file.name });
      const plan = await run(async () => {
        const created = await api.plans.fromCsv(await file.text());
        // The creation answer holds the first page; read up to 1000 rows for the preview.
        return created.totalRows > created.rows.length
          ? api.plans.get(created.plan.planId, { limit: 1000 })
          : created;
      });
      setState(plan ? { step: "preview", fileName: file.name, plan } : { step: "choose" });
    },
    async commit() {
      if (state.step !== "preview") return;
      const current = state;
      setState({ ...current, step: "committing" });
      const done = await run(() => api.plans.commit(current.plan.plan.planId));
      setState(
        done ? { ...current, step: "committed", plan: { ...current.plan, plan: done.plan } } : current,
      );
    },
    async undo() {
      if (state.step !== "committed") return;
      const current = state;
      setState({ ...current, step: "undoing" });
      const undo = await run(() => api.plans.undo(current.plan.plan.planId));
      setState(undo ? { ...current, step: "undone" } : current);
    },
    reset() {
      setError(undefined);
      setState({ step: "choose" });
    },
  };
}

export type CsvImportState = ReturnType<typeof useCsvImport>;
