/**
 * A small Fluent table: a header row and a row per item, one cell per column. Columns may sort (the
 * caller keeps the order); rows may carry a class and data attributes. The admin lists and the seat plan
 * review render through it.
 */
import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  type TableProps,
  TableRow,
} from "@fluentui/react-components";
import type { ReactNode } from "react";

export interface DataColumn {
  header: ReactNode;
  /** Set on the column the rows are sorted by. */
  sortDirection?: "ascending" | "descending" | undefined;
  /** Makes the header a sort button. */
  onSort?: () => void;
}

export interface DataTableProps<R> {
  /** Accessible name of the table. */
  label: string;
  columns: readonly (DataColumn | ReactNode)[];
  rows: readonly R[];
  rowKey: (row: R) => string | number;
  /** One cell per column. */
  cells: (row: R) => readonly ReactNode[];
  rowProps?: (row: R) => { className?: string | undefined } & Record<`data-${string}`, string>;
  className?: string;
  sortable?: boolean;
  size?: TableProps["size"];
}

const isColumn = (c: DataColumn | ReactNode): c is DataColumn =>
  typeof c === "object" && c !== null && "header" in c;

export function DataTable<R>({
  label,
  columns,
  rows,
  rowKey,
  cells,
  rowProps,
  className,
  sortable,
  size = "small",
}: DataTableProps<R>) {
  return (
    <Table className={className} size={size} aria-label={label} sortable={sortable}>
      <TableHeader>
        <TableRow>
          {columns.map((c, i) => {
            const column = isColumn(c) ? c : { header: c };
            return (
              <TableHeaderCell
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed for a table's life.
                key={i}
                sortDirection={column.sortDirection}
                {...(column.onSort ? { onClick: column.onSort } : {})}
              >
                {column.header}
              </TableHeaderCell>
            );
          })}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={rowKey(r)} {...rowProps?.(r)}>
            {cells(r).map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a row's cells follow the fixed columns.
              <TableCell key={i}>{c}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
