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
  makeStyles,
  Subtitle1,
  Subtitle2,
  Switch,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Invitation } from "../../../src/api-contract/seats.ts";
import { formatDate, zoneLabel } from "../format.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";
import { EmptyState, ErrorState, Loading } from "../shared/StateViews.tsx";
import { stackedList } from "../shared/styles.ts";
import { type AsyncState, useAsync } from "../shared/useAsync.ts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, maxWidth: "760px" },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalS },
  list: stackedList(),
  item: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalM,
  },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexShrink: 0 },
});

export function SettingsView() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const { reload: reloadMe } = useMe();
  // Answering an invitation changes seats and sync: the sync card reads again, and so does `/api/me`, which
  // carries the caller's seats.
  const [version, setVersion] = useState(0);
  const invitations = useAsync((signal) => api.invitations.mine(signal), [api], {
    keepDataWhileReloading: true,
  });
  const invitationPending =
    invitations.status === "ready" && invitations.data.invitations.some((i) => i.state === "pending");
  return (
    <section className={styles.root} aria-labelledby="settings-heading">
      <Subtitle1 as="h1" id="settings-heading" block>
        {t("settings.heading")}
      </Subtitle1>
      <InvitationsCard
        invitations={invitations}
        onAnswered={() => {
          invitations.reload();
          reloadMe();
          setVersion((v) => v + 1);
        }}
      />
      <SyncCard key={`sync-${version}`} />
      <SeatsCard invitationPending={invitationPending} />
      <TimeZoneCard />
      <CallersCard />
    </section>
  );
}

/** Shown only while an admin's invitation waits for an answer (or right after answering it). */
function InvitationsCard({
  invitations,
  onAnswered,
}: {
  invitations: AsyncState<{ invitations: Invitation[] }>;
  onAnswered: () => void;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const [answered, setAnswered] = useState<"accepted" | "declined" | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const pending =
    invitations.status === "ready" ? invitations.data.invitations.filter((i) => i.state === "pending") : [];
  if (pending.length === 0 && !answered && !error) return null;
  const answer = (invitationId: string, choice: "accepted" | "declined") => {
    setBusy(true);
    setError(undefined);
    const call = choice === "accepted" ? api.invitations.accept : api.invitations.decline;
    call(invitationId).then(
      () => {
        setBusy(false);
        setAnswered(choice);
        onAnswered();
      },
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  };
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">{t("settings.invitations")}</Subtitle2>
      <ul className={styles.list}>
        {pending.map((i) => (
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
              <Button appearance="primary" disabled={busy} onClick={() => answer(i.invitationId, "accepted")}>
                {t("settings.accept")}
              </Button>
              <Button disabled={busy} onClick={() => answer(i.invitationId, "declined")}>
                {t("settings.decline")}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      {answered && pending.length === 0 ? <Body1 role="status">{t(`settings.${answered}`)}</Body1> : null}
      {error ? <ErrorState error={error} /> : null}
    </Card>
  );
}

function SyncCard() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const sync = useAsync((signal) => api.mySync.get(signal), [api], { keepDataWhileReloading: true });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
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
            onChange={(_e, d) => {
              setSaving(true);
              setError(undefined);
              api.mySync.set(d.checked).then(
                () => {
                  setSaving(false);
                  sync.reload();
                },
                (e: unknown) => {
                  setSaving(false);
                  setError(e);
                },
              );
            }}
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

const weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** "08:00" as the locale writes a time of day (8:00 AM in en-US). */
function formatClock(hhmm: string, locale: string): string {
  const [h = 0, m = 0] = hhmm.split(":").map(Number);
  return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit", timeZone: "UTC" }).format(
    Date.UTC(2026, 0, 1, h, m),
  );
}

/** The zone every view shows times in (the Outlook mailbox's), and the mailbox's working hours. */
function TimeZoneCard() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { locale, timeZone, mailboxStatus, mailbox } = useTabEnvironment();
  const zone = zoneLabel(timeZone, locale, Date.now());
  const hours = mailbox?.workingHours;
  const dayName = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
  const indexes = (hours?.daysOfWeek ?? [])
    .map((d) => weekdays.indexOf(d.toLowerCase()))
    .filter((i) => i >= 0)
    .sort((a, b) => a - b);
  // 2026-11-01 is a Sunday.
  const name = (i: number) => dayName.format(Date.UTC(2026, 10, 1 + i));
  const first = indexes[0];
  const last = indexes[indexes.length - 1];
  // Monday to Friday reads "Mon–Fri"; other sets are listed.
  const days =
    first !== undefined && last !== undefined && indexes.length >= 3 && last - first === indexes.length - 1
      ? `${name(first)}–${name(last)}`
      : new Intl.ListFormat(locale, { style: "short", type: "conjunction" }).format(indexes.map(name));
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">{t("settings.zone")}</Subtitle2>
      {mailboxStatus === "loading" ? <Loading /> : null}
      {mailboxStatus === "ready" ? <Body1>{t("settings.zoneMailbox", zone)}</Body1> : null}
      {mailboxStatus === "failed" ? <Body1>{t("settings.zoneDevice", zone)}</Body1> : null}
      {hours ? (
        <Caption1>
          {t("settings.workingHours", {
            days,
            start: formatClock(hours.startTime, locale),
            end: formatClock(hours.endTime, locale),
          })}
        </Caption1>
      ) : null}
    </Card>
  );
}

/**
 * The seats held, or how to get one: accept a pending invitation, wait for a request already sent (with
 * its date, so a reload never offers to ask twice), or request to join.
 */
function SeatsCard({ invitationPending }: { invitationPending: boolean }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api, locale, timeZone } = useTabEnvironment();
  const { me } = useMe();
  // The seats come with `/api/me`, which the tab has already read.
  const seats = (["calling", "sync"] as const).flatMap((kind) => {
    const seat = me.seats[kind];
    return seat ? [{ kind, ...seat }] : [];
  });
  // Admins see every pending request here: only the caller's own counts.
  const requests = useAsync((signal) => api.joinRequests.list("pending", signal), [api]);
  const myRequest =
    requests.status === "ready"
      ? requests.data.requests.find((r) => r.userId === me.actor.userId && r.state === "pending")
      : undefined;
  const [requested, setRequested] = useState<"no" | "sending" | "sent">("no");
  const [error, setError] = useState<unknown>(undefined);
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h2">{t("settings.seats")}</Subtitle2>
      {seats.length === 0 ? (
        <EmptyState title={t("state.noSeatTitle")}>
          {invitationPending ? (
            <Body1>{t("state.invitationWaiting")}</Body1>
          ) : requested === "sent" ? (
            <Body1 role="status">{t("state.requestSent")}</Body1>
          ) : myRequest ? (
            <Body1>
              {t("state.requestPending", {
                date: formatDate(Date.parse(myRequest.createdAt), locale, timeZone),
              })}
            </Body1>
          ) : (
            <Body1>{t("state.noSeat")}</Body1>
          )}
          {requested !== "sent" && !myRequest && !invitationPending && requests.status !== "loading" ? (
            <Button
              appearance="primary"
              disabled={requested === "sending"}
              onClick={() => {
                setRequested("sending");
                setError(undefined);
                api.joinRequests.create(["sync"]).then(
                  () => setRequested("sent"),
                  (e: unknown) => {
                    setRequested("no");
                    setError(e);
                  },
                );
              }}
            >
              {t("state.requestToJoin")}
            </Button>
          ) : null}
        </EmptyState>
      ) : null}
      {seats.length > 0 ? (
        <ul className={styles.list}>
          {seats.map((s) => (
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
      {error ? <ErrorState error={error} /> : null}
    </Card>
  );
}

function CallersCard() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api, openLink } = useTabEnvironment();
  const callers = useAsync((signal) => api.directory.callers(signal), [api]);
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
