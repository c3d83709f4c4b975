/**
 * An in-memory phone system with the semantics of Teams number management: assign/unassign start an
 * operation that is running on the first poll and settles on the second, checked against the inventory.
 */
import type { OperationState, Telephony, TenantNumber } from "./telephony.ts";

interface Operation {
  kind: "assign" | "unassign";
  number: string;
  userId: string | null;
  polls: number;
}

export class MemoryTelephony implements Telephony {
  /** number -> assigned user (null when free) */
  readonly inventory = new Map<string, { numberType: string; assignedTo: string | null }>();
  readonly calls: string[] = [];
  readonly #operations = new Map<string, Operation>();
  #next = 0;

  add(number: string, numberType = "callingPlan"): void {
    this.inventory.set(number, { numberType, assignedTo: null });
  }

  async assignNumber(_tenantId: string, request: { number: string; userId: string; numberType: string }) {
    this.calls.push(`assign ${request.number} ${request.userId}`);
    const id = `op-${++this.#next}`;
    this.#operations.set(id, { kind: "assign", number: request.number, userId: request.userId, polls: 0 });
    return { operation: id };
  }

  async unassignNumber(_tenantId: string, request: { number: string; numberType: string }) {
    this.calls.push(`unassign ${request.number}`);
    const id = `op-${++this.#next}`;
    this.#operations.set(id, { kind: "unassign", number: request.number, userId: null, polls: 0 });
    return { operation: id };
  }

  async operation(_tenantId: string, id: string): Promise<OperationState> {
    const op = this.#operations.get(id);
    if (!op) return { status: "failed", code: "NotFound", message: "The operation was not found." };
    op.polls++;
    if (op.polls === 1) return { status: "running" };
    const entry = this.inventory.get(op.number);
    if (!entry)
      return { status: "failed", code: "NumberNotFound", message: `${op.number} is not in the inventory.` };
    if (op.kind === "assign") {
      if (entry.assignedTo && entry.assignedTo !== op.userId) {
        return {
          status: "failed",
          code: "NumberAlreadyAssigned",
          message: `${op.number} is assigned to someone else.`,
        };
      }
      entry.assignedTo = op.userId;
    } else {
      entry.assignedTo = null;
    }
    return { status: "succeeded" };
  }

  async *numbers(): AsyncIterable<TenantNumber> {
    for (const [number, e] of this.inventory)
      yield { number, numberType: e.numberType, assignedTo: e.assignedTo };
  }
}
