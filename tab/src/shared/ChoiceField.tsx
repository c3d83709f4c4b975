/** A labelled dropdown choosing one of a fixed list of values, each shown as `text(value)`. */
import { Dropdown, Field, Option } from "@fluentui/react-components";

export interface ChoiceFieldProps<T extends string | number> {
  label: string;
  options: readonly T[];
  value: T;
  /** How a value reads (the option and, once chosen, the dropdown). */
  text: (value: T) => string;
  onChange: (value: T) => void;
  /** Class of the dropdown itself. */
  className?: string;
}

export function ChoiceField<T extends string | number>({
  label,
  options,
  value,
  text,
  onChange,
  className,
}: ChoiceFieldProps<T>) {
  return (
    <Field label={label}>
      <Dropdown
        className={className}
        value={text(value)}
        selectedOptions={[String(value)]}
        onOptionSelect={(_e, d) => {
          const picked = options.find((o) => String(o) === d.optionValue);
          if (picked !== undefined) onChange(picked);
        }}
      >
        {options.map((o) => (
          <Option key={String(o)} value={String(o)}>
            {text(o)}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
