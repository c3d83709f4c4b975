/** Type-ahead people picker over the tenant directory (`/api/directory/search`). */
import {
  Avatar,
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
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DirectoryPerson } from "../../../src/api-contract/directory.ts";
import { useTabEnvironment } from "../shared/context.ts";

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
}

type SearchState =
  | { status: "idle" }
  | { status: "searching" }
  | { status: "done"; people: DirectoryPerson[] }
  | { status: "failed"; message: string };

function useDirectorySearch(query: string): SearchState {
  const { api } = useTabEnvironment();
  const [state, setState] = useState<SearchState>({ status: "idle" });
  useEffect(() => {
    const q = query.trim();
    if (q.length === 0) {
      setState({ status: "idle" });
      return;
    }
    const controller = new AbortController();
    setState({ status: "searching" });
    const timer = setTimeout(() => {
      api.directory.search(q, { signal: controller.signal, limit: 8 }).then(
        (r) => setState({ status: "done", people: r.people }),
        (error: unknown) => {
          if (controller.signal.aborted) return;
          setState({ status: "failed", message: error instanceof Error ? error.message : String(error) });
        },
      );
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, query]);
  return state;
}

export function PeoplePicker({ label, id, selected, onChange, exclude = [] }: PeoplePickerProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const search = useDirectorySearch(query);
  const selectedIds = selected.map((p) => p.userId);
  const options =
    search.status === "done"
      ? search.people.filter((p) => !selectedIds.includes(p.userId) && !exclude.includes(p.userId))
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
        onChange(data.selectedOptions.flatMap((v) => byId.get(v) ?? []));
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
          placeholder={selected.length === 0 ? t("schedule.peoplePlaceholder") : undefined}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </TagPickerControl>
      <TagPickerList>
        {search.status === "searching" ? (
          <div className={styles.message}>{t("schedule.searching")}</div>
        ) : null}
        {search.status === "failed" ? (
          <div className={styles.error} role="alert">
            {search.message}
          </div>
        ) : null}
        {search.status === "done" && options.length === 0 ? (
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
