/**
 * The user's settings: pending invitations (accept or decline), calendar sync switch, seats held, the
 * time zone, click-to-call colleagues holding a calling seat.
 */
import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  Subtitle1,
  Subtitle2,
  Switch,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { formatDate } from "../../../src/ui-shared/format.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { EmptyState, ErrorState, Loading } from "../shared/StateViews.tsx";
import { useSettingsStyles } from "./SettingsView.styles.ts";
import {
  type InvitationsLoad,
  useCallers,
  useInvitationAnswer,
  useSeatsSetting,
  useSettings,
  useSyncSetting,
  useTimeZoneSetting,
} from "./useSettings.ts";

export function SettingsView() {
  const styles = useSettingsStyles();
  const { t } = useTranslation();
  const settings = useSettings();
  return (
    <section className={styles.root} aria-labelledby="settings-heading">
      <Subtitle1 as="h1" id="settings-heading" block>
        {t("settings.heading")}
      </Subtitle1>
      <InvitationsCard invitations={settings.invitations} onAnswered={settings.answered} />
      <SyncCard key={`sync-${settings.version}`} />
      <SeatsCard invitationPending={settings.invitationPending} />
      <TimeZoneCard />
      <CallersCard />
    </section>
  );
}

function InvitationsCard({
  invitations,
  onAnswered,
}: {
  invitations: InvitationsLoad;
  onAnswered: () => void;
}) {
  const styles = useSettingsStyles();
  const { t } = useTranslation();
  const invitation = useInvitationAnswer(invitations, onAnswered);
  if (!invitation.shown) return null;
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">{t("settings.invitations")}</Subtitle2>
      <ul className={styles.list}>
        {invitation.pending.map((i) => (
          <li key={i.invitationId} className={styles.item}>
            <div>
              <Body1 block>
                {t("settings.invitedBy", { name: i.invitedByName ?? t("admin.role_admin") })}
              </Body1>
              <Caption1 block>
                {t("settings.invitedAs", { role: t(`admin.role_${i.role}`) })}
                {i.seatKinds.length > 0
                  ? ` · ${t("settings.invitedSeats", {
                      seats: i.seatKinds.map((k) => t(`settings.seat_${k}`)).join(", "),
                    })}`
                  : ""}
              </Caption1>
            </div>
            <div className={styles.actions}>
              <Button
                appearance="primary"
                disabled={invitation.busy}
                onClick={() => invitation.answer(i.invitationId, "accepted")}
              >
                {t("settings.accept")}
              </Button>
              <Button
                disabled={invitation.busy}
                onClick={() => invitation.answer(i.invitationId, "declined")}
              >
                {t("settings.decline")}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      {invitation.answered && invitation.pending.length === 0 ? (
        <Body1 role="status">{t(`settings.${invitation.answered}`)}</Body1>
      ) : null}
      {invitation.error ? <ErrorState error={invitation.error} /> : null}
    </Card>
  );
}

function SyncCard() {
  const styles = useSettingsStyles();
  const { t } = useTranslation();
  const { sync, saving, error, set } = useSyncSetting();
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">{t("settings.sync")}</Subtitle2>
      {sync.status === "loading" ? <Loading /> : null}
      {sync.status === "failed" ? <ErrorState error={sync.error} onRetry={sync.reload} /> : null}
      {sync.status === "ready" ? (
        <>
          <Switch
            label={t("settings.sync")}
            checked={sync.data.enabled}
            disabled={!sync.data.hasSyncSeat || saving}
            onChange={(_e, d) => set(d.checked)}
          />
          <Caption1>
            {sync.data.hasSyncSeat ? t("settings.syncHelp") : t("errors.SYNC_SEAT_REQUIRED")}
          </Caption1>
        </>
      ) : null}
      {error ? <ErrorState error={error} /> : null}
    </Card>
  );
}

function TimeZoneCard() {
  const styles = useSettingsStyles();
  const { t } = useTranslation();
  const { mailboxStatus, zone, workingHours } = useTimeZoneSetting();
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">{t("settings.zone")}</Subtitle2>
      {mailboxStatus === "loading" ? <Loading /> : null}
      {mailboxStatus === "ready" ? <Body1>{t("settings.zoneMailbox", zone)}</Body1> : null}
      {mailboxStatus === "failed" ? <Body1>{t("settings.zoneDevice", zone)}</Body1> : null}
      {workingHours ? <Caption1>{t("settings.workingHours", workingHours)}</Caption1> : null}
    </Card>
  );
}

function SeatsCard({ invitationPending }: { invitationPending: boolean }) {
  const styles = useSettingsStyles();
  const { t } = useTranslation();
  const { locale, timeZone } = useTabEnvironment();
  const seats = useSeatsSetting(invitationPending);
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">{t("settings.seats")}</Subtitle2>
      {seats.seats.length === 0 ? (
        <EmptyState title={t("state.noSeatTitle")}>
          {invitationPending ? (
            <Body1>{t("state.invitationWaiting")}</Body1>
          ) : seats.sent ? (
            <Body1 role="status">{t("state.requestSent")}</Body1>
          ) : seats.myRequest ? (
            <Body1>
              {t("state.requestPending", {
                date: formatDate(Date.parse(seats.myRequest.createdAt), locale, timeZone),
              })}
            </Body1>
          ) : (
            <Body1>{t("state.noSeat")}</Body1>
          )}
          {seats.mayRequest ? (
            <Button appearance="primary" disabled={seats.sending} onClick={seats.request}>
              {t("state.requestToJoin")}
            </Button>
          ) : null}
        </EmptyState>
      ) : null}
      {seats.seats.length > 0 ? (
        <ul className={styles.list}>
          {seats.seats.map((s) => (
            <li key={s.kind} className={styles.item}>
              <Body1>
                {t(`settings.seat_${s.kind}`)}
                {s.phoneNumber ? ` · ${s.phoneNumber}` : ""}
              </Body1>
              <Badge
                appearance="tint"
                color={s.state === "active" ? "success" : s.state === "failed" ? "danger" : "warning"}
              >
                {t(`settings.seatState_${s.state}`, { defaultValue: s.state })}
              </Badge>
            </li>
          ))}
        </ul>
      ) : null}
      {seats.error ? <ErrorState error={seats.error} /> : null}
    </Card>
  );
}

function CallersCard() {
  const styles = useSettingsStyles();
  const { t } = useTranslation();
  const { callers, openLink } = useCallers();
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">{t("settings.callColleagues")}</Subtitle2>
      {callers.status === "loading" ? <Loading /> : null}
      {callers.status === "failed" ? <ErrorState error={callers.error} onRetry={callers.reload} /> : null}
      {callers.status === "ready" && callers.data.people.length === 0 ? (
        <Body1>{t("settings.noCallers")}</Body1>
      ) : null}
      {callers.status === "ready" && callers.data.people.length > 0 ? (
        <ul className={styles.list}>
          {callers.data.people.map((p) => (
            <li key={p.userId} className={styles.item}>
              <Body1>{p.displayName}</Body1>
              <Button onClick={() => openLink(p.callLink)}>
                {t("settings.call", { name: p.displayName })}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
