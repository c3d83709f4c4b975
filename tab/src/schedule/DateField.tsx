/**
 * A labelled date field in the user's locale (pt-BR 21/11/2026, sv 2026-11-21). The Fluent DatePicker and
 * its calendar load as their own chunk on first use; until then a read-only field of the same size shows
 * the date, so the layout does not move.
 */
import { Field, Input } from "@fluentui/react-components";
import { lazy, Suspense, useState } from "react";
import { formatIsoDate } from "../format.ts";

const LocaleDatePicker = lazy(() =>
  import("./LocaleDatePicker.tsx").then((m) => ({ default: m.LocaleDatePicker })),
);

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
  const [problem, setProblem] = useState<string | undefined>(undefined);
  return (
    <Field label={label} className={className} validationMessage={problem}>
      <Suspense fallback={<Input readOnly value={formatIsoDate(value, locale)} />}>
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
