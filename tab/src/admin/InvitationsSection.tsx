/** Invitations: invite a person from the directory with a role and seats, and the invitations sent. */
import {
  Badge,
  Button,
  Card,
  Checkbox,
  Dropdown,
  Field,
  makeStyles,
  Option,
  Subtitle1,
  Subtitle2,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { DirectoryPerson } from "../../../src/api-contract/directory.ts";
import type { SeatKindName } from "../../../src/api-contract/seats.ts";
import { formatDateTime } from "../../../src/ui-shared/format.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import { PeoplePicker } from "../schedule/PeoplePicker.tsx";
import { useTabEnvironment } from "../shared/context.ts";
import { ErrorState } from "../shared/StateViews.tsx";
import { SectionTable } from "./SectionTable.tsx";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, maxWidth: "1100px" },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalS },
  form: { display: "flex", gap: tokens.spacingHorizontalL, alignItems: "end", flexWrap: "wrap" },
  picker: { minWidth: "320px", flexGrow: 1, maxWidth: "480px" },
  fieldset: { border: "none", margin: 0, padding: 0, minWidth: 0 },
  legend: {
    padding: 0,
    paddingBottom: tokens.spacingVerticalXXS,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    color: tokens.colorNeutralForeground1,
  },
  kinds: { display: "flex", gap: tokens.spacingHorizontalS },
  badges: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "wrap" },
});

const invitableRoles = ["member", "scheduler", "admin"] as const;
type InvitableRole = (typeof invitableRoles)[number];
const seatKinds: readonly SeatKindName[] = ["sync", "calling"];

export function InvitationsSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api, locale, timeZone } = useTabEnvironment();
  const invitations = useAsync((signal) => api.invitations.list(signal), [api], {
    keepDataWhileReloading: true,
  });
  const [error, setError] = useState<unknown>(undefined);
  return (
    <section className={styles.root} aria-labelledby="invitations-heading">
      <Subtitle1 as="h2" id="invitations-heading">
        {t("admin.invitationsHeading")}
      </Subtitle1>
      <Invite onSent={invitations.reload} />
      {error ? <ErrorState error={error} /> : null}
      <SectionTable
        state={invitations}
        rows={(data) => data.invitations}
        label={t("admin.invitationsHeading")}
        columns={[
          t("admin.name"),
          t("admin.role"),
          t("admin.seatsColumn"),
          t("admin.state"),
          t("admin.when"),
          t("admin.action"),
        ]}
        rowKey={(i) => i.invitationId}
        empty={t("admin.noInvitations")}
        cells={(i) => [
          i.displayName ?? i.upn ?? i.userId,
          t(`admin.role_${i.role}`, { defaultValue: i.role }),
          <div key="seats" className={styles.badges}>
            {i.seatKinds.map((k) => (
              <Badge key={k} appearance="tint" color="informative">
                {t(`admin.kind_${k}`)}
              </Badge>
            ))}
          </div>,
          t(`admin.invitationState_${i.state}`, { defaultValue: i.state }),
          formatDateTime(Date.parse(i.createdAt), locale, timeZone),
          i.state === "pending" ? (
            <Button
              key="revoke"
              size="small"
              aria-label={t("admin.revokeFor", { name: i.displayName ?? i.upn ?? i.userId })}
              onClick={() => {
                setError(undefined);
                api.invitations.revoke(i.invitationId).then(invitations.reload, setError);
              }}
            >
              {t("admin.revoke")}
            </Button>
          ) : null,
        ]}
      />
    </section>
  );
}

function Invite({ onSent }: { onSent: () => void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const [person, setPerson] = useState<DirectoryPerson[]>([]);
  const [role, setRole] = useState<InvitableRole>("member");
  const [kinds, setKinds] = useState<SeatKindName[]>(["sync"]);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const chosen = person[0];
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h3" id="invite-heading">
        {t("admin.inviteHeading")}
      </Subtitle2>
      <form
        className={styles.form}
        aria-labelledby="invite-heading"
        onSubmit={(e) => {
          e.preventDefault();
          if (!chosen) return;
          setSending(true);
          setError(undefined);
          api.invitations
            .create({ userId: chosen.userId, role, seatKinds: kinds })
            .then(
              () => {
                setPerson([]);
                onSent();
              },
              (failure: unknown) => setError(failure),
            )
            .finally(() => setSending(false));
        }}
      >
        <Field label={t("admin.person")} className={styles.picker}>
          <PeoplePicker
            id="invite-person"
            label={t("admin.person")}
            selected={person}
            onChange={(people) => setPerson(people.slice(-1))}
          />
        </Field>
        <Field label={t("admin.role")}>
          <Dropdown
            value={t(`admin.role_${role}`)}
            selectedOptions={[role]}
            onOptionSelect={(_e, d) => setRole(invitableRoles.find((r) => r === d.optionValue) ?? "member")}
          >
            {invitableRoles.map((r) => (
              <Option key={r} value={r}>
                {t(`admin.role_${r}`)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>{t("admin.inviteSeats")}</legend>
          <div className={styles.kinds}>
            {seatKinds.map((k) => (
              <Checkbox
                key={k}
                label={t(`admin.kind_${k}`)}
                checked={kinds.includes(k)}
                onChange={(_e, d) =>
                  setKinds((prev) =>
                    d.checked ? [...prev.filter((x) => x !== k), k] : prev.filter((x) => x !== k),
                  )
                }
              />
            ))}
          </div>
        </fieldset>
        <Button type="submit" appearance="primary" disabled={!chosen || sending}>
          {t("admin.invite")}
        </Button>
      </form>
      {error ? <ErrorState error={error} /> : null}
    </Card>
  );
}
