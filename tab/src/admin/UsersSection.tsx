/** Users holding seats: search, seat kind, state, and removing a seat. */
import {
  Badge,
  Button,
  Input,
  makeStyles,
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
import { useTabEnvironment } from "../shared/context.ts";
import { EmptyState, ErrorState, Loading } from "../shared/StateViews.tsx";
import { useAsync } from "../shared/useAsync.ts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "1100px" },
  search: { maxWidth: "360px" },
});

export function UsersSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const overview = useAsync((signal) => api.seats.overview(signal), [api], { keepDataWhileReloading: true });
  const [filter, setFilter] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  return (
    <section className={styles.root} aria-labelledby="users-heading">
      <Subtitle1 as="h2" id="users-heading">
        {t("admin.usersHeading")}
      </Subtitle1>
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
