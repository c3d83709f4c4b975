/**
 * A labelled date field in the user's locale (pt-BR 21/11/2026, sv 2026-11-21). The Fluent DatePicker and
 * its calendar load as their own chunk on first use; until then a read-only field of the same size shows
 * the date, so the layout does not move.
 */
import { Field, Input, makeStyles } from "@fluentui/react-components";
import { lazy, Suspense, useState } from "react";
import { formatIsoDate } from "../../../src/ui-shared/format.ts";

const LocaleDatePicker = lazy(() =>
  import("./LocaleDatePicker.tsx").then((m) => ({ default: m.LocaleDatePicker })),
);

const useStyles = makeStyles({
  // Same box as the date picker it stands in for.
  fallback: { width: "100%", minWidth: 0, "& input": { width: "100%", minWidth: 0 } },
});

export interface DateFieldProps {
  label: string;
  /** YYYY-MM-DD */
  value: string;
  onChange: (isoDate: string) => void;
  /** Earliest date that may be picked (YYYY-MM-DD). */
  min?: string | undefined;
  locale: string;
  className?: string | undefined;
}

export function DateField({ label, value, onChange, min, locale, className }: DateFieldProps) {
  const styles = useStyles();
  const [problem, setProblem] = useState<string | undefined>(undefined);
  return (
    <Field label={label} className={className} validationMessage={problem}>
      <Suspense
        fallback={<Input className={styles.fallback} readOnly value={formatIsoDate(value, locale)} />}
      >
        <LocaleDatePicker
          value={value}
          onChange={onChange}
          min={min}
          locale={locale}
          onProblem={setProblem}
        />
      </Suspense>
    </Field>
  );
}
