/**
 * Teams telephone number management: `numberAssignments/assignNumber` and `unassignNumber` answer 202 with
 * an operation `Location` to poll (running on the first poll, then succeeded or failed), and
 * `numberAssignments` lists the tenant's pool with each number's assignment.
 */
import { z } from "zod";
import { actionParameters, badRequest, GraphError, noContent, notFound, ok } from "../http.ts";
import type { NumberOperation, PhoneNumber, TenantState } from "../model.ts";
import type { EmulatorState } from "../state.ts";
import { type GraphRouter, isoSeconds } from "./context.ts";
import { type Getter, parseFilter, type Value } from "./odata.ts";

const BASE = "/admin/teams/telephoneNumberManagement";

const assignSchema = z.object({
  telephoneNumber: z.string().regex(/^\+\d{6,15}$/, "telephoneNumber must be E.164, e.g. +14255550100"),
  assignmentTargetId: z.string().min(1),
  numberType: z.enum(["directRouting", "callingPlan", "operatorConnect"]),
  assignmentCategory: z.enum(["primary", "private", "alternate"]).optional(),
  locationId: z.string().optional(),
});

/** `unassignNumber` names only the number and its type; the number is released from whoever holds it. */
const unassignSchema = z.object({
  telephoneNumber: assignSchema.shape.telephoneNumber,
  numberType: assignSchema.shape.numberType,
  assignmentTargetId: z.string().min(1).optional(),
});

function numberResource(n: PhoneNumber): Record<string, unknown> {
  return {
    id: n.telephoneNumber.slice(1),
    telephoneNumber: n.telephoneNumber,
    operatorId: null,
    numberType: n.numberType,
    activationState: "activated",
    assignmentTargetId: n.assignmentTargetId,
    assignmentCategory: n.assignmentCategory,
    assignmentStatus: n.assignmentStatus,
    isoCountryCode: n.isoCountryCode,
    city: n.city,
    capabilities: ["userAssignment"],
    locationId: null,
    networkSiteId: null,
    reverseNumberLookup: [],
  };
}

/** Decides an operation's outcome against the current pool (re-checked when it completes). */
function evaluate(
  state: EmulatorState,
  tenant: TenantState,
  op: NumberOperation,
): NumberOperation["outcome"] {
  const number = tenant.phoneNumbers.find((n) => n.telephoneNumber === op.telephoneNumber);
  if (!number)
    return {
      status: "failed",
      code: "NumberNotFound",
      message: `The telephone number ${op.telephoneNumber} is not in the tenant's inventory.`,
    };
  if (number.numberType !== op.numberType)
    return {
      status: "failed",
      code: "NumberTypeMismatch",
      message: `${op.telephoneNumber} is a ${number.numberType} number.`,
    };
  if (op.kind === "unassignNumber") {
    if (!number.assignmentTargetId)
      return {
        status: "failed",
        code: "NumberNotAssigned",
        message: `${op.telephoneNumber} is not assigned.`,
      };
    if (op.assignmentTargetId && number.assignmentTargetId !== op.assignmentTargetId)
      return {
        status: "failed",
        code: "NumberNotAssignedToTarget",
        message: `${op.telephoneNumber} is not assigned to ${op.assignmentTargetId}.`,
      };
    return { status: "succeeded" };
  }
  const user = state.findUser(tenant, op.assignmentTargetId);
  if (user?.kind !== "user")
    return {
      status: "failed",
      code: "UserNotFound",
      message: `The assignment target ${op.assignmentTargetId} was not found.`,
    };
  {
    if (number.assignmentTargetId && number.assignmentTargetId !== user.id) {
      return {
        status: "failed",
        code: "NumberAlreadyAssigned",
        message: `${op.telephoneNumber} is already assigned to another target.`,
      };
    }
    const other = tenant.phoneNumbers.find(
      (n) =>
        n.assignmentTargetId === user.id &&
        n.telephoneNumber !== op.telephoneNumber &&
        n.assignmentCategory === "primary",
    );
    if (other)
      return {
        status: "failed",
        code: "TargetAlreadyHasNumber",
        message: `The user already has the primary number ${other.telephoneNumber}.`,
      };
    if (!user.accountEnabled)
      return { status: "failed", code: "UserNotEnabled", message: "The user account is disabled." };
  }
  return { status: "succeeded" };
}

export function registerTelephony(router: GraphRouter): void {
  for (const kind of ["assignNumber", "unassignNumber"] as const) {
    router.add("POST", `${BASE}/numberAssignments/${kind}`, (ctx, req, m) => {
      const parsed = (kind === "assignNumber" ? assignSchema : unassignSchema).safeParse(
        actionParameters(req.body, Object.keys(assignSchema.shape)),
      );
      if (!parsed.success)
        throw badRequest(
          parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
          "BadRequest",
        );
      const now = ctx.state.clock.now();
      const id = `${kind === "assignNumber" ? "a" : "u"}${ctx.state.nextVersion()}-${parsed.data.telephoneNumber.slice(1)}`;
      const target = parsed.data.assignmentTargetId;
      const user = target === undefined ? undefined : ctx.state.findUser(m.tenant, target);
      const op: NumberOperation = {
        id,
        kind,
        telephoneNumber: parsed.data.telephoneNumber,
        assignmentTargetId: user?.id ?? target ?? "",
        numberType: parsed.data.numberType,
        createdAt: now,
        polls: 0,
        outcome: { status: "succeeded" },
      };
      op.outcome = evaluate(ctx.state, m.tenant, op);
      m.tenant.operations.set(id, op);
      return noContent(202, { location: `${ctx.graphBaseUrl}${BASE}/operations/${id}` });
    });
  }

  router.add("GET", `${BASE}/operations/:x`, (ctx, _req, m) => {
    const op = m.tenant.operations.get(m.params[0] ?? "");
    if (!op) throw notFound("The operation was not found.", "NotFound");
    op.polls += 1;
    const base = {
      id: op.id,
      createdDateTime: isoSeconds(op.createdAt),
      lastActionDateTime: isoSeconds(ctx.state.clock.now()),
      resourceLocation: null as string | null,
    };
    if (op.polls === 1) return ok({ ...base, status: "running" });
    if (op.polls === 2) {
      // Complete now, re-checking against the pool as it is (another operation may have won the number).
      op.outcome = evaluate(ctx.state, m.tenant, op);
      if (op.outcome.status === "succeeded") {
        const n = m.tenant.phoneNumbers.find((x) => x.telephoneNumber === op.telephoneNumber)!;
        if (op.kind === "assignNumber") {
          n.assignmentTargetId = op.assignmentTargetId;
          n.assignmentCategory = "primary";
          n.assignmentStatus = "userAssigned";
        } else {
          n.assignmentTargetId = null;
          n.assignmentCategory = null;
          n.assignmentStatus = "unassigned";
        }
      }
    }
    if (op.outcome.status === "failed") {
      return ok({ ...base, status: "failed", error: { code: op.outcome.code, message: op.outcome.message } });
    }
    return ok({
      ...base,
      status: "succeeded",
      resourceLocation: `${ctx.graphBaseUrl}${BASE}/numberAssignments/${op.telephoneNumber.slice(1)}`,
    });
  });

  router.add("GET", `${BASE}/numberAssignments`, (ctx, req, m) => {
    let numbers = m.tenant.phoneNumbers;
    const f = req.query.get("$filter");
    if (f) {
      const filter = parseFilter(f);
      numbers = numbers.filter((n) => {
        const r = numberResource(n);
        const get: Getter = (p) => r[p] as Value;
        return filter.predicate(get);
      });
    }
    return ok({
      "@odata.context": `${ctx.graphBaseUrl}/$metadata#admin/teams/telephoneNumberManagement/numberAssignments`,
      value: numbers.map(numberResource),
    });
  });

  router.add("GET", `${BASE}/numberAssignments/:x`, (_ctx, _req, m) => {
    const n = m.tenant.phoneNumbers.find(
      (x) => x.telephoneNumber.slice(1) === m.params[0] || x.telephoneNumber === m.params[0],
    );
    if (!n) throw new GraphError(404, "NotFound", "The telephone number was not found.");
    return ok(numberResource(n));
  });
}
