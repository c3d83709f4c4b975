/**
 * End-to-end availability for 10 attendees over 5 working days at 15 minutes: HTTP request to the
 * service, token validation, Graph getSchedule on the emulator, slot finding, JSON answer. The baseline,
 * measured in the same run, is the bare Graph getSchedule call for the same mailboxes through the gateway.
 */
import { latencies, reportBench } from "../support/bench.ts";
import { startStack } from "../support/stack.ts";

const DAY = 86_400_000;
const stack = await startStack();
try {
  const consent = await stack.consent();
  if (consent.status >= 400) throw new Error(`consent failed: ${consent.text}`);
  const tenantId = stack.tenants[0]!.id;
  const graph = stack.product.m365!.graph.forTenant(tenantId);
  const users = await graph.get<{ value: { mail: string | null; userPrincipalName: string }[] }>(
    "/users?$top=100&$select=mail,userPrincipalName",
  );
  const skip = new Set(["kiosk@contoso.com", "former.employee@contoso.com"]);
  const people = users.value
    .map((u) => (u.mail ?? u.userPrincipalName).toLowerCase())
    .filter((m) => !skip.has(m) && !m.startsWith("admin@"))
    .slice(0, 10);
  if (people.length < 10) throw new Error(`only ${people.length} mailboxes in the seed`);
  const organizer = people[0]!;
  const token = await stack.tokenFor(organizer);

  let start = Math.floor((Date.now() + 14 * DAY) / DAY) * DAY;
  while (new Date(start).getUTCDay() !== 1) start += DAY;
  const end = start + 5 * DAY;
  const q = new URLSearchParams({
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    durationMinutes: "30",
    intervalMinutes: "15",
    timeZone: "Europe/Stockholm",
  });
  for (const p of people) q.append("required", p);
  const path = `/api/availability?${q}`;

  const viaService = async () => {
    const res = await stack.request("GET", path, { token });
    if (res.status !== 200) throw new Error(`availability failed: ${res.status} ${res.text}`);
  };
  const bareGraph = () =>
    graph.post(
      `/users/${encodeURIComponent(organizer)}/calendar/getSchedule`,
      {
        schedules: people,
        startTime: { dateTime: new Date(start).toISOString().slice(0, 23), timeZone: "UTC" },
        endTime: { dateTime: new Date(end).toISOString().slice(0, 23), timeZone: "UTC" },
        availabilityViewInterval: 15,
      },
      { headers: { Prefer: 'outlook.timezone="UTC"' } },
    );

  for (let i = 0; i < 10; i++) {
    await viaService();
    await bareGraph();
  }
  await stack.emulatorRequest("DELETE", "/_emulator/throttling");
  await viaService();
  const stats = await stack.emulatorRequest<{ value: { requests: number }[] }>(
    "GET",
    "/_emulator/throttling",
  );
  const graphRequests = stats.body.value.reduce((sum, v) => sum + v.requests, 0);

  const ours = await latencies(viaService, 100);
  const baseline = await latencies(bareGraph, 100);
  reportBench({
    name: "availability end to end, 10 attendees, 5 days at 15 min (p50)",
    unit: "ms",
    ours: ours.p50,
    baseline: baseline.p50,
    baselineName: "bare Graph getSchedule through the gateway",
    higherIsBetter: false,
    notes: `p95 ${ours.p95.toFixed(1)} ms vs ${baseline.p95.toFixed(1)} ms; ${graphRequests} Graph request(s) per call`,
  });
  reportBench({
    name: "availability end to end, 10 attendees, 5 days at 15 min (p95)",
    unit: "ms",
    ours: ours.p95,
    baseline: baseline.p95,
    baselineName: "bare Graph getSchedule through the gateway",
    higherIsBetter: false,
  });
} finally {
  await stack.stop();
}
