/**
 * The connection test's Graph half: one call per permission Quorum relies on, each answer turned into a
 * probe that says what is missing and where an admin fixes it.
 */
import { GraphError } from "./errors.ts";
import type { GraphGateway } from "./gateway.ts";

export interface ConnectionProbe {
  name: "app_token" | "read_users" | "read_schedule" | "write_event" | "read_number_assignments";
  permission: string;
  status: "ok" | "missing" | "failed" | "skipped";
  detail?: string;
  graphCode?: string;
  /** What to do when not ok: which permission, which blade. */
  fix?: string;
}

/** Where an admin grants consent in Entra. */
export const CONSENT_BLADE =
  "Entra admin center > Identity > Applications > Enterprise applications > Quorum > Security > Permissions > Grant admin consent";

/**
 * Probes each Graph permission Quorum relies on against the caller's own mailbox, a day from `now`: read
 * users, read a schedule, write (and delete) an event, read number assignments.
 */
export async function probeGraphPermissions(
  graph: GraphGateway,
  tenantId: string,
  actor: { readonly userId: string; readonly upn: string },
  now: Date,
): Promise<ConnectionProbe[]> {
  const probes: ConnectionProbe[] = [];
  const api = graph.forTenant(tenantId);
  const mailbox = encodeURIComponent(actor.userId);
  const start = new Date(now.getTime() + 24 * 3600_000);
  start.setUTCMinutes(0, 0, 0);
  const end = new Date(start.getTime() + 3600_000);
  const slot = (d: Date) => ({ dateTime: d.toISOString().slice(0, 19), timeZone: "UTC" });

  probes.push(await probe("read_users", () => api.get("/users?$top=1&$select=id")));
  probes.push(
    await probe("read_schedule", () =>
      api.post(`/users/${mailbox}/calendar/getSchedule`, {
        schedules: [actor.upn],
        startTime: slot(start),
        endTime: slot(end),
        availabilityViewInterval: 30,
      }),
    ),
  );
  probes.push(
    await probe("write_event", async () => {
      const event = await api.post<{ id: string }>(`/users/${mailbox}/events`, {
        subject: "Quorum connection test (deleted automatically)",
        start: slot(start),
        end: slot(end),
        showAs: "free",
        isReminderOn: false,
        transactionId: `quorum-test-${actor.userId}-${start.getTime()}`,
      });
      await api.delete(`/users/${mailbox}/events/${encodeURIComponent(event.id)}`);
    }),
  );
  probes.push(
    await probe("read_number_assignments", () =>
      api.get("/admin/teams/telephoneNumberManagement/numberAssignments?$top=1"),
    ),
  );
  return probes;
}

export const GRAPH_PERMISSIONS: Record<Exclude<ConnectionProbe["name"], "app_token">, string> = {
  read_users: "User.Read.All (application)",
  read_schedule: "Calendars.ReadWrite (application)",
  write_event: "Calendars.ReadWrite (application)",
  read_number_assignments: "TeamsTelephoneNumber.ReadWrite.All (application)",
};

async function probe(name: Exclude<ConnectionProbe["name"], "app_token">, run: () => Promise<unknown>) {
  const permission = GRAPH_PERMISSIONS[name];
  try {
    await run();
    return { name, permission, status: "ok" } satisfies ConnectionProbe;
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    const denied = error.status === 401 || error.status === 403;
    return {
      name,
      permission,
      status: denied ? "missing" : "failed",
      detail: `${error.status || "no response"} ${error.code}${error.requestId ? ` (request-id ${error.requestId})` : ""}`,
      graphCode: error.code,
      fix: denied
        ? `Add the ${permission} permission to Quorum's app registration (Entra admin center > App registrations > Quorum > API permissions > Add a permission > Microsoft Graph > Application permissions > ${permission.split(" ")[0]}), then ${CONSENT_BLADE}.`
        : error.code === "MailboxNotEnabledForRESTAPI"
          ? "Your account has no Exchange Online mailbox. Assign an Exchange Online licence (Microsoft 365 admin center > Users > Active users > Licences and apps) or run the test as a user with a mailbox."
          : "Microsoft 365 returned an error; try again. If it persists, contact support with the request id.",
    } satisfies ConnectionProbe;
  }
}
