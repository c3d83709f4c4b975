/**
 * One admin list: the designed loading, error (with retry) and empty states around a small Fluent table.
 * Sections give the load state, the column headers and a row renderer.
 */
import {
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from "@fluentui/react-components";
import type { ReactNode } from "react";
import type { AsyncResult } from "../../../src/ui-shared/useAsync.ts";
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
  columns: readonly ReactNode[];
  rowKey: (row: R) => string | number;
  /** One cell per column. */
  cells: (row: R) => readonly ReactNode[];
  /** Shown when the answer holds no rows. */
  empty: ReactNode;
  rowProps?: (row: R) => Record<`data-${string}`, string>;
}

export function SectionTable<T, R>({
  state,
  rows,
  label,
  columns,
  rowKey,
  cells,
  empty,
  rowProps,
}: SectionTableProps<T, R>) {
  const styles = useStyles();
  if (state.status === "loading") return <Loading />;
  if (state.status === "failed") return <ErrorState error={state.error} onRetry={state.reload} />;
  const list = rows(state.data);
  if (list.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <div className={styles.wrap}>
      <Table size="small" aria-label={label}>
        <TableHeader>
          <TableRow>
            {columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed for a table's life.
              <TableHeaderCell key={i}>{c}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {list.map((r) => (
            <TableRow key={rowKey(r)} {...rowProps?.(r)}>
              {cells(r).map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a row's cells follow the fixed columns.
                <TableCell key={i}>{c}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
