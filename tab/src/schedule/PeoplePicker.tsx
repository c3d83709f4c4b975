/** Type-ahead people picker over the tenant directory (`/api/directory/search`), alone or in a labelled field. */
import {
  Avatar,
  Field,
  makeStyles,
  Tag,
  TagPicker,
  TagPickerControl,
  TagPickerGroup,
  TagPickerInput,
  TagPickerList,
  TagPickerOption,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { DirectoryPerson } from "../../../src/api-contract/directory.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useTypeAhead } from "../shared/useDebounced.ts";

const useStyles = makeStyles({
  message: { padding: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  error: { padding: tokens.spacingHorizontalS, color: tokens.colorPaletteRedForeground1 },
});

export interface PeoplePickerProps {
  label: string;
  id: string;
  selected: DirectoryPerson[];
  onChange: (people: DirectoryPerson[]) => void;
  /** People who may not be picked here (already chosen elsewhere). */
  exclude?: readonly string[];
  /** One person at most: picking another replaces them. */
  single?: boolean;
  /** Shown while nobody is picked (defaults to "Type a name or e-mail"). */
  placeholder?: string;
}

export function PeoplePicker({
  label,
  id,
  selected,
  onChange,
  exclude = [],
  single = false,
  placeholder,
}: PeoplePickerProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const { api } = useTabEnvironment();
  const typed = query.trim() !== "";
  const search = useTypeAhead(
    query,
    (q, signal) => (q ? api.directory.search(q, { signal, limit: 8 }) : Promise.resolve({ people: [] })),
    [api],
  );
  const selectedIds = selected.map((p) => p.userId);
  const options =
    search.status === "done"
      ? search.data.people.filter((p) => !selectedIds.includes(p.userId) && !exclude.includes(p.userId))
      : [];
  const byId = new Map<string, DirectoryPerson>([
    ...selected.map((p) => [p.userId, p] as const),
    ...options.map((p) => [p.userId, p] as const),
  ]);
  return (
    <TagPicker
      selectedOptions={selectedIds}
      onOptionSelect={(_e, data) => {
        if (data.value === "") return;
        const picked = data.selectedOptions.flatMap((v) => byId.get(v) ?? []);
        onChange(single ? picked.slice(-1) : picked);
        setQuery("");
      }}
    >
      <TagPickerControl>
        <TagPickerGroup aria-label={label}>
          {selected.map((p) => (
            <Tag
              key={p.userId}
              shape="rounded"
              media={<Avatar aria-hidden name={p.displayName} color="colorful" />}
              value={p.userId}
            >
              {p.displayName}
            </Tag>
          ))}
        </TagPickerGroup>
        <TagPickerInput
          id={id}
          aria-label={label}
          placeholder={selected.length === 0 ? (placeholder ?? t("schedule.peoplePlaceholder")) : undefined}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </TagPickerControl>
      <TagPickerList>
        {typed && search.status === "searching" ? (
          <div className={styles.message}>{t("schedule.searching")}</div>
        ) : null}
        {typed && search.status === "failed" ? (
          <div className={styles.error} role="alert">
            {search.message}
          </div>
        ) : null}
        {typed && search.status === "done" && options.length === 0 ? (
          <div className={styles.message}>{t("schedule.noMatches", { q: query })}</div>
        ) : null}
        {options.map((p) => (
          <TagPickerOption
            key={p.userId}
            value={p.userId}
            text={p.displayName}
            media={<Avatar aria-hidden name={p.displayName} color="colorful" />}
            secondaryContent={p.mail ?? p.upn}
          >
            {p.displayName}
          </TagPickerOption>
        ))}
      </TagPickerList>
    </TagPicker>
  );
}

export interface PeopleFieldProps extends PeoplePickerProps {
  className?: string;
  hint?: string;
}

/** A people picker in a labelled field: the field's label names the picker too. */
export function PeopleField({ className, hint, ...picker }: PeopleFieldProps) {
  return (
    <Field label={picker.label} hint={hint} className={className}>
      <PeoplePicker {...picker} />
    </Field>
  );
}
