/** Invitations: invite a person from the directory with a role and seats, and the invitations sent. */
import { Badge, Button, Card, Checkbox, Subtitle2 } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../src/ui-shared/format.ts";
import { PeopleField } from "../schedule/PeoplePicker.tsx";
import { ChoiceField } from "../shared/ChoiceField.tsx";
import { useTabEnvironment } from "../shared/context.ts";
import { ErrorState } from "../shared/StateViews.tsx";
import { AdminSection } from "./AdminSection.tsx";
import { useInvitationsStyles } from "./InvitationsSection.styles.ts";
import { SectionTable } from "./SectionTable.tsx";
import { invitableRoles, invitableSeats, useInvitations, useInvite } from "./useInvitations.ts";

export function InvitationsSection() {
  const styles = useInvitationsStyles();
  const { t } = useTranslation();
  const { locale, timeZone } = useTabEnvironment();
  const invitations = useInvitations();
  return (
    <AdminSection name="invitations" heading={t("admin.invitationsHeading")} className={styles.root}>
      <Invite onSent={invitations.list.reload} />
      {invitations.error ? <ErrorState error={invitations.error} /> : null}
      <SectionTable
        state={invitations.list}
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
              onClick={() => invitations.revoke(i.invitationId)}
            >
              {t("admin.revoke")}
            </Button>
          ) : null,
        ]}
      />
    </AdminSection>
  );
}

function Invite({ onSent }: { onSent: () => void }) {
  const styles = useInvitationsStyles();
  const { t } = useTranslation();
  const invite = useInvite(onSent);
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
          invite.send();
        }}
      >
        <PeopleField
          id="invite-person"
          label={t("admin.person")}
          className={styles.picker}
          selected={invite.person}
          onChange={invite.pick}
        />
        <ChoiceField
          label={t("admin.role")}
          options={invitableRoles}
          value={invite.role}
          text={(r) => t(`admin.role_${r}`)}
          onChange={invite.setRole}
        />
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>{t("admin.inviteSeats")}</legend>
          <div className={styles.kinds}>
            {invitableSeats.map((k) => (
              <Checkbox
                key={k}
                label={t(`admin.kind_${k}`)}
                checked={invite.kinds.includes(k)}
                onChange={(_e, d) => invite.toggleSeat(k, d.checked === true)}
              />
            ))}
          </div>
        </fieldset>
        <Button type="submit" appearance="primary" disabled={!invite.chosen || invite.sending}>
          {t("admin.invite")}
        </Button>
      </form>
      {invite.error ? <ErrorState error={invite.error} /> : null}
    </Card>
  );
}
