/**
 * `GET /api/availability` (query string) and `POST /api/availability` (same fields as a JSON body, for
 * long attendee lists): the caller's tenant calendars read through Graph, then the grid and ranked
 * suggestions. See src/api-contract/availability.ts for the fields.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  type AvailabilityPolicyBody,
  type AvailabilityResponse,
  availabilityPolicyBody,
  availabilityQuery,
} from "../../../api-contract/availability.ts";
import { gridLegend } from "../../../core/availability/model.ts";
import { type AvailabilityDeps, availabilityFor } from "../../../core/availability/service.ts";
import { isTimeZone } from "../../../core/availability/zones.ts";
import { DomainError } from "../../../core/errors.ts";
import type { DrizzlePolicies } from "../../../store/booking-directory.ts";
import type { RoutePlugin } from "../app.ts";
import { authenticate, requireConsented, requireRole } from "../auth.ts";

export interface AvailabilityRoutesDeps {
  readonly availability: AvailabilityDeps;
  /** The tenant availability policy, readable and writable by owners and admins. */
  readonly policies: DrizzlePolicies;
}

export function availabilityRoutes(deps: AvailabilityRoutesDeps): RoutePlugin {
  const policyStore = deps.policies;
  const answer = async (request: FastifyRequest, input: unknown): Promise<AvailabilityResponse> => {
    const q = availabilityQuery.parse(input);
    if (!isTimeZone(q.timeZone))
      throw new DomainError("VALIDATION_FAILED", `timeZone: "${q.timeZone}" is not an IANA time zone.`);
    const result = await availabilityFor(
      deps.availability,
      request.actor,
      {
        required: q.required,
        optional: q.optional,
        rooms: q.rooms,
        durationMinutes: q.durationMinutes,
        window: { start: q.start, end: q.end },
        granularityMinutes: q.intervalMinutes,
        bufferBeforeMinutes: q.bufferBeforeMinutes,
        bufferAfterMinutes: q.bufferAfterMinutes,
        minimumNoticeMinutes: q.minimumNoticeMinutes,
        ...(q.horizonDays !== undefined ? { horizonDays: q.horizonDays } : {}),
        organizerTimeZone: q.timeZone,
        maxSuggestions: q.maxSuggestions,
        includeGrid: q.includeGrid,
      },
      { organizer: q.organizer ?? null, excludeOrganizer: q.excludeOrganizer },
    );
    return {
      window: result.window,
      intervalMinutes: result.intervalMinutes,
      legend: gridLegend,
      grid: result.grid.map((r) => ({
        ...r,
        workingHours: r.workingHours
          ? { ...r.workingHours, daysOfWeek: [...r.workingHours.daysOfWeek] }
          : null,
      })),
      suggestions: result.suggestions.map((s) => ({ ...s, attendees: [...s.attendees] })),
      emptyReason:
        result.emptyReason?.code === "ATTENDEES_UNAVAILABLE"
          ? { code: result.emptyReason.code, attendees: [...result.emptyReason.attendees] }
          : result.emptyReason,
    };
  };
  return async function register(app: FastifyInstance): Promise<void> {
    const onRequest = [authenticate, requireConsented];
    app.get("/api/availability", { onRequest }, (request) => answer(request, request.query));
    app.post("/api/availability", { onRequest }, (request) => answer(request, request.body));

    {
      const admin = [authenticate, requireConsented, requireRole("owner", "admin")];
      const view = (
        p: Awaited<ReturnType<DrizzlePolicies["availabilityPolicy"]>>,
      ): AvailabilityPolicyBody => ({
        tentativeIsBusy: p.tentativeIsBusy,
        outOfOfficeIsBusy: p.outOfOfficeIsBusy,
        workingElsewhereIsBusy: p.workingElsewhereIsBusy,
        businessHours: p.businessHours
          ? { ...p.businessHours, daysOfWeek: [...p.businessHours.daysOfWeek] }
          : null,
      });
      app.get("/api/admin/availability-policy", { onRequest: admin }, async (request) =>
        view(await policyStore.availabilityPolicy(request.actor.tenantId)),
      );
      app.put("/api/admin/availability-policy", { onRequest: admin }, async (request) => {
        const body = availabilityPolicyBody.parse(request.body);
        return view(
          await policyStore.setAvailabilityPolicy(request.actor.tenantId, body, request.actor.userId),
        );
      });
    }
  };
}
