/**
 * One admin list: the designed loading, error (with retry) and empty states around a small Fluent table.
 * Sections give the load state, the column headers and a row renderer.
 */
import { makeStyles } from "@fluentui/react-components";
import type { ReactNode } from "react";
import type { AsyncResult } from "../../../src/ui-shared/useAsync.ts";
import { type DataColumn, DataTable } from "../shared/DataTable.tsx";
import { EmptyState, ErrorState, Loading } from "../shared/StateViews.tsx";

const useStyles = makeStyles({
  wrap: { overflowX: "auto" },
});

export interface SectionTableProps<T, R> {
  state: AsyncResult<T>;
  /** The rows of a loaded answer. */
  rows: (data: T) => readonly R[];
  /** Accessible name of the table. */
  label: string;
  columns: readonly (DataColumn | ReactNode)[];
  rowKey: (row: R) => string | number;
  /** One cell per column. */
  cells: (row: R) => readonly ReactNode[];
  /** Shown when the answer holds no rows. */
  empty: ReactNode;
  rowProps?: (row: R) => Record<`data-${string}`, string>;
}

export function SectionTable<T, R>({ state, rows, empty, ...table }: SectionTableProps<T, R>) {
  const styles = useStyles();
  if (state.status === "loading") return <Loading />;
  if (state.status === "failed") return <ErrorState error={state.error} onRetry={state.reload} />;
  const list = rows(state.data);
  if (list.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <div className={styles.wrap}>
      <DataTable {...table} rows={list} />
    </div>
  );
}
