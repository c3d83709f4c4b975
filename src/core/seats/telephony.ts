/** The port to the tenant's phone system (Teams telephone number management through Graph). */

export type OperationState =
  | { readonly status: "running" }
  | { readonly status: "succeeded" }
  | { readonly status: "failed"; readonly code: string; readonly message: string };

export interface TenantNumber {
  readonly number: string;
  readonly numberType: string;
  /** Entra object id of the user the number is assigned to in Teams, or null. */
  readonly assignedTo: string | null;
}

export interface Telephony {
  /** Starts assigning a number to a user; resolves with the operation to poll. */
  assignNumber(
    tenantId: string,
    request: { number: string; userId: string; numberType: string },
  ): Promise<{ operation: string }>;
  /** Starts releasing a number; resolves with the operation to poll. */
  unassignNumber(
    tenantId: string,
    request: { number: string; numberType: string },
  ): Promise<{ operation: string }>;
  operation(tenantId: string, operation: string): Promise<OperationState>;
  /** The numbers the tenant owns in Teams. */
  numbers(tenantId: string): AsyncIterable<TenantNumber>;
}
