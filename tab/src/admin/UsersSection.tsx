/** Users holding seats: search, seat kind, state, and removing a seat. */
import {
  Badge,
  Button,
  Dropdown,
  Field,
  Input,
  makeStyles,
  Option,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { DirectoryPerson } from "../../../src/api-contract/directory.ts";
import type { SeatKindName } from "../../../src/api-contract/seats.ts";
import { PeoplePicker } from "../schedule/PeoplePicker.tsx";
import { useTabEnvironment } from "../shared/context.ts";
import { EmptyState, ErrorState, Loading } from "../shared/StateViews.tsx";
import { useAsync } from "../shared/useAsync.ts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "1100px" },
  search: { maxWidth: "360px" },
  assign: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
  picker: { minWidth: "320px" },
});

export function UsersSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const overview = useAsync((signal) => api.seats.overview(signal), [api], { keepDataWhileReloading: true });
  const [filter, setFilter] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [person, setPerson] = useState<DirectoryPerson[]>([]);
  const [kind, setKind] = useState<SeatKindName>("sync");
  return (
    <section className={styles.root} aria-labelledby="users-heading">
      <Subtitle1 as="h2" id="users-heading">
        {t("admin.usersHeading")}
      </Subtitle1>
      <form
        className={styles.assign}
        aria-label={t("admin.assignHeading")}
        onSubmit={(e) => {
          e.preventDefault();
          const chosen = person[0];
          if (!chosen) return;
          setError(undefined);
          api.seats.assign(chosen.userId, kind).then(() => {
            setPerson([]);
            overview.reload();
          }, setError);
        }}
      >
        <Field label={t("admin.person")} className={styles.picker}>
          <PeoplePicker
            id="assign-person"
            label={t("admin.person")}
            selected={person}
            onChange={(people) => setPerson(people.slice(-1))}
          />
        </Field>
        <Field label={t("admin.kind")}>
          <Dropdown
            value={t(`admin.kind_${kind}`)}
            selectedOptions={[kind]}
            onOptionSelect={(_e, d) => setKind(d.optionValue === "calling" ? "calling" : "sync")}
          >
            <Option value="sync">{t("admin.kind_sync")}</Option>
            <Option value="calling">{t("admin.kind_calling")}</Option>
          </Dropdown>
        </Field>
        <Button type="submit" appearance="primary" disabled={person.length === 0}>
          {t("admin.assign")}
        </Button>
      </form>
      <Input
        className={styles.search}
        type="search"
        aria-label={t("admin.filter")}
        placeholder={t("admin.filter")}
        value={filter}
        onChange={(_e, d) => setFilter(d.value)}
      />
      {error ? <ErrorState error={error} /> : null}
      {overview.status === "loading" ? <Loading /> : null}
      {overview.status === "failed" ? <ErrorState error={overview.error} onRetry={overview.reload} /> : null}
      {overview.status === "ready" && overview.data.seats.length === 0 ? (
        <EmptyState>{t("admin.noSeatsYet")}</EmptyState>
      ) : null}
      {overview.status === "ready" && overview.data.seats.length > 0 ? (
        <Table size="small" aria-label={t("admin.usersHeading")}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("admin.name")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.email")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.kind")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.state")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.action")}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {overview.data.seats
              .filter((s) =>
                `${s.displayName ?? ""} ${s.mail ?? ""} ${s.upn ?? ""}`
                  .toLowerCase()
                  .includes(filter.toLowerCase()),
              )
              .map((s) => (
                <TableRow key={`${s.userId}:${s.kind}`}>
                  <TableCell>{s.displayName ?? s.userId}</TableCell>
                  <TableCell>{s.mail ?? s.upn ?? ""}</TableCell>
                  <TableCell>{t(`admin.kind_${s.kind}`)}</TableCell>
                  <TableCell>
                    <Badge
                      appearance="tint"
                      color={
                        s.state === "active" ? "success" : s.state === "failed" ? "danger" : "informative"
                      }
                    >
                      {s.state}
                    </Badge>
                  </TableCell>
                  <TableCell>
                    <Button
                      size="small"
                      onClick={() => {
                        setError(undefined);
                        api.seats.release(s.userId, s.kind).then(overview.reload, setError);
                      }}
                    >
                      {t("admin.release")}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
          </TableBody>
        </Table>
      ) : null}
    </section>
  );
}
