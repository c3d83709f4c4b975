/**
 * Reads the emulated tenant the way an outside observer would: an app-only token from the emulator's
 * Entra (client credentials) and plain Graph calls over its TLS, trusting its certificate.
 */
import { Agent, fetch } from "undici";
import { loadConfig } from "../../../src/config.ts";
import type { Emulator } from "../../../src/emulator/index.ts";

export interface CalendarEvent {
  id: string;
  subject: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  onlineMeeting?: { joinUrl?: string } | null;
  isOnlineMeeting?: boolean;
  organizer?: { emailAddress: { address: string; name?: string } };
}

export async function calendarView(
  emulator: Emulator,
  tenantId: string,
  user: string,
  start: number,
  end: number,
): Promise<CalendarEvent[]> {
  const dispatcher = new Agent({ connect: { ca: emulator.caCertPem } });
  try {
    const { m365 } = loadConfig({});
    const tokenResponse = await fetch(`${emulator.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: m365.clientId,
        client_secret: m365.clientSecret,
        scope: "https://graph.microsoft.com/.default",
      }).toString(),
      dispatcher,
    });
    const token = (await tokenResponse.json()) as { access_token?: string; error_description?: string };
    if (!token.access_token)
      throw new Error(`no app token: ${token.error_description ?? tokenResponse.status}`);
    const q = new URLSearchParams({
      startDateTime: new Date(start).toISOString(),
      endDateTime: new Date(end).toISOString(),
      $top: "200",
    });
    const response = await fetch(
      `${emulator.graphBaseUrl}/users/${encodeURIComponent(user)}/calendarView?${q.toString()}`,
      { headers: { authorization: `Bearer ${token.access_token}` }, dispatcher },
    );
    const body = (await response.json()) as { value?: CalendarEvent[]; error?: { message: string } };
    if (!response.ok || !body.value)
      throw new Error(`calendarView ${response.status}: ${body.error?.message}`);
    return body.value;
  } finally {
    await dispatcher.close();
  }
}
