/**
 * State of a seat plan under review: planning → preview → commit → undo. Every seat change made in bulk
 * (a CSV file, the group rules) is shown as a plan first; the CSV wizard and the rules preview share this.
 */
import { useState } from "react";
import type { PlanResponse, PlanRowView } from "../../../src/api-contract/seats.ts";
import { useTabEnvironment } from "../shared/context.ts";

/** `source` names what the plan was made from: a file name, or the rules. */
export type PlanStep =
  | { step: "idle" }
  | { step: "planning"; source: string }
  | {
      /** `confirming`: the plan has problem lines and the admin is asked to commit without them. */
      step: "preview" | "confirming" | "committing" | "committed" | "undoing" | "undone";
      source: string;
      plan: PlanResponse;
    };

export type SortKey = "line" | "email" | "kind" | "action" | "reason";

export const problemActions: readonly string[] = ["error", "skip"];

export function isProblem(row: PlanRowView): boolean {
  return problemActions.includes(row.action);
}

export function sortRows(rows: readonly PlanRowView[], key: SortKey, direction: "ascending" | "descending") {
  const sign = direction === "ascending" ? 1 : -1;
  return [...rows].sort((a, b) => {
    // Rows no line asked for (holders the file leaves out) sort after every line.
    const av = key === "line" ? (a.line ?? Number.MAX_SAFE_INTEGER) : (a[key] ?? "");
    const bv = key === "line" ? (b.line ?? Number.MAX_SAFE_INTEGER) : (b[key] ?? "");
    const c =
      typeof av === "number" && typeof bv === "number" ? av - bv : String(av).localeCompare(String(bv));
    return c !== 0 ? c * sign : (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER);
  });
}

/** Rows the preview reads at most (the creation answer holds only the first page). */
const previewRows = 1000;

export function usePlanReview() {
  const { api } = useTabEnvironment();
  const [state, setState] = useState<PlanStep>({ step: "idle" });
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
    /** Runs `work` with the section's error handling (its failure shows where the plan would). */
    run,
    /** Creates a plan with `create` and shows its preview. */
    async plan(source: string, create: () => Promise<PlanResponse>) {
      setState({ step: "planning", source });
      const plan = await run(async () => {
        const created = await create();
        return created.totalRows > created.rows.length
          ? api.plans.get(created.plan.planId, { limit: previewRows })
          : created;
      });
      setState(plan ? { step: "preview", source, plan } : { step: "idle" });
    },
    /**
     * Commits the plan under review. A plan with problem lines is first shown for confirmation: the
     * service commits it only with the admin's explicit choice to skip those lines.
     */
    async commit() {
      if (state.step !== "preview" && state.step !== "confirming") return;
      const current = { ...state, step: "preview" as const };
      if (state.step === "preview" && current.plan.plan.summary.errors > 0) {
        setError(undefined);
        setState({ ...current, step: "confirming" });
        return;
      }
      const skipProblemRows = state.step === "confirming";
      setState({ ...current, step: "committing" });
      const done = await run(() => api.plans.commit(current.plan.plan.planId, { skipProblemRows }));
      setState(
        done ? { ...current, step: "committed", plan: { ...current.plan, plan: done.plan } } : current,
      );
    },
    /** Back from the confirmation to the preview, nothing committed. */
    cancelCommit() {
      if (state.step === "confirming") setState({ ...state, step: "preview" });
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
      setState({ step: "idle" });
    },
  };
}

export type PlanReviewState = ReturnType<typeof usePlanReview>;
