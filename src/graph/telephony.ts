/**
 * Teams telephone numbers through Graph: `numberAssignments/assignNumber` and `unassignNumber` answer
 * 202 with a Location to poll (`telephoneNumberManagement/operations/{id}`); `numberAssignments` lists the
 * tenant's numbers.
 */
import { z } from "zod";
import type { OperationState, Telephony, TenantNumber } from "../core/seats/telephony.ts";
import { GraphError } from "./errors.ts";
import type { GraphGateway } from "./gateway.ts";

const ROOT = "/admin/teams/telephoneNumberManagement";

const operationSchema = z.object({
  id: z.string().optional(),
  status: z.string(),
  statusMessage: z.string().nullish(),
  numbers: z
    .array(
      z.object({
        telephoneNumber: z.string().optional(),
        status: z.string().optional(),
        statusMessage: z.string().nullish(),
        errorCode: z.string().nullish(),
      }),
    )
    .nullish(),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).nullish(),
});

const numberSchema = z.object({
  telephoneNumber: z.string(),
  numberType: z.string().nullish(),
  assignmentTargetId: z.string().nullish(),
});

function operationFrom(location: string | null, path: string): string {
  if (!location) {
    throw new GraphError({
      status: 202,
      code: "UnexpectedResponse",
      message: "The number operation was accepted without a Location to poll",
      method: "POST",
      path,
    });
  }
  return location;
}

export function graphTelephony(graph: GraphGateway): Telephony {
  return {
    async assignNumber(tenantId, request) {
      const path = `${ROOT}/numberAssignments/assignNumber`;
      const res = await graph.forTenant(tenantId).request<unknown>("POST", path, {
        telephoneNumber: request.number,
        assignmentTargetId: request.userId,
        numberType: request.numberType,
        assignmentCategory: "primary",
      });
      return { operation: operationFrom(res.headers.get("location"), path) };
    },

    async unassignNumber(tenantId, request) {
      const path = `${ROOT}/numberAssignments/unassignNumber`;
      const res = await graph.forTenant(tenantId).request<unknown>("POST", path, {
        telephoneNumber: request.number,
        numberType: request.numberType,
      });
      return { operation: operationFrom(res.headers.get("location"), path) };
    },

    async operation(tenantId, operation): Promise<OperationState> {
      const body = operationSchema.parse(await graph.forTenant(tenantId).get<unknown>(operation));
      const status = body.status.toLowerCase();
      if (status === "succeeded") return { status: "succeeded" };
      if (status === "failed" || status === "skipped") {
        const n = body.numbers?.[0];
        return {
          status: "failed",
          code: body.error?.code ?? n?.errorCode ?? n?.status ?? "OperationFailed",
          message:
            body.error?.message ??
            n?.statusMessage ??
            body.statusMessage ??
            "The phone system refused the change.",
        };
      }
      return { status: "running" };
    },

    async *numbers(tenantId): AsyncIterable<TenantNumber> {
      for await (const page of graph.pages<unknown>(tenantId, `${ROOT}/numberAssignments`)) {
        for (const item of page.value) {
          const n = numberSchema.parse(item);
          yield {
            number: n.telephoneNumber,
            numberType: n.numberType ?? "callingPlan",
            assignedTo: n.assignmentTargetId ?? null,
          };
        }
      }
    },
  };
}
