/**
 * Rule calls the typed client does not cover as the service answers them yet: `POST /api/admin/rules`
 * answers `{ruleId}` (the client expects the whole rule), and `POST /api/admin/plans {source:"rule"}` has
 * no client method. Both go through the client's own transport, parsed with the contract's schemas.
 */
import type { QuorumApi } from "../../../src/api-client/api.ts";
import { type PlanResponse, planResponse, rule, type SeatKindName } from "../../../src/api-contract/seats.ts";

const createdRule = rule.pick({ ruleId: true });

export function createRule(
  api: QuorumApi,
  input: { groupId: string; kind: SeatKindName; priority: number },
): Promise<{ ruleId: string }> {
  return api.transport.request("/api/admin/rules", { method: "POST", body: input, schema: createdRule });
}

/** The plan the group rules would make now: nothing changes until it is committed. */
export function planFromRules(api: QuorumApi): Promise<PlanResponse> {
  return api.transport.request("/api/admin/plans", {
    method: "POST",
    body: { source: "rule" },
    schema: planResponse,
  });
}
