/**
 * `POST /$batch`: up to 20 requests with unique ids and relative urls; `dependsOn` ordering with 424 for
 * failed dependencies; each item has its own status, headers (Retry-After on 429) and body. Items run at
 * most 4 at a time, unordered, as Outlook does; each goes through faults and throttling on its own.
 */
import { z } from "zod";
import { errorResponse, GraphError, type GraphRequest, type GraphResponse, ok } from "../http.ts";
import { DropConnection, type Pipeline, runGraph } from "../pipeline.ts";

const itemSchema = z.object({
  id: z.string().min(1),
  method: z.string().min(1),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  dependsOn: z.array(z.string()).optional(),
});
const batchSchema = z.object({ requests: z.array(itemSchema) });

interface ItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export async function runBatch(p: Pipeline, outer: GraphRequest): Promise<GraphResponse> {
  const parsed = batchSchema.safeParse(outer.body);
  if (!parsed.success) throw new GraphError(400, "BadRequest", "Invalid batch payload format.");
  const items = parsed.data.requests;
  if (items.length === 0)
    throw new GraphError(400, "BadRequest", "Invalid batch payload format: the requests array is empty.");
  if (items.length > 20)
    throw new GraphError(400, "BadRequest", "The number of batch requests exceeds the limit of 20.");
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id))
      throw new GraphError(400, "BadRequest", `Batch request id '${item.id}' is not unique.`);
    ids.add(item.id);
  }
  for (const item of items) {
    for (const d of item.dependsOn ?? []) {
      if (!ids.has(d))
        throw new GraphError(
          400,
          "BadRequest",
          `Batch request '${item.id}' depends on unknown request '${d}'.`,
        );
    }
    if (/^https?:/i.test(item.url))
      throw new GraphError(400, "BadRequest", "Batch request urls must be relative to the version segment.");
  }

  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    if (active < 4) {
      active += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
  };
  const release = () => {
    active -= 1;
    waiting.shift()?.();
  };

  const results = new Map<string, Promise<ItemResponse>>();
  const run = async (item: z.infer<typeof itemSchema>): Promise<ItemResponse> => {
    const deps = await Promise.all((item.dependsOn ?? []).map((d) => results.get(d)!));
    if (deps.some((d) => d.status >= 400)) {
      const e = errorResponse(
        new GraphError(424, "FailedDependency", "The request failed because a request it depends on failed."),
        outer,
      );
      return { id: item.id, status: 424, headers: canonical(e.headers), body: e.body };
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(item.headers ?? {})) headers[k.toLowerCase()] = v;
    if (item.body !== undefined && !headers["content-type"]) {
      const e = errorResponse(
        new GraphError(400, "BadRequest", "Content-Type header is required when the request has a body."),
        outer,
      );
      return { id: item.id, status: 400, headers: canonical(e.headers), body: e.body };
    }
    // The SDK's BatchRequestContent keeps the version segment ("/v1.0/me"); Graph accepts both forms.
    const relative = (item.url.startsWith("/") ? item.url : `/${item.url}`).replace(/^\/v1\.0(?=\/)/i, "");
    const url = new URL(relative, "https://batch.invalid");
    await acquire();
    try {
      const response = await runGraph(p, {
        method: item.method.toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers: { ...outer.headers, ...headers },
        body: item.body,
        principal: outer.principal,
        requestId: outer.requestId,
        inBatch: true,
      });
      return {
        id: item.id,
        status: response.status,
        headers: canonical(response.headers),
        ...(response.body !== undefined ? { body: response.body } : {}),
      };
    } catch (error) {
      if (!(error instanceof DropConnection)) throw error;
      const e = errorResponse(
        new GraphError(504, "GatewayTimeout", "The backend connection was dropped."),
        outer,
      );
      return { id: item.id, status: 504, headers: canonical(e.headers), body: e.body };
    } finally {
      release();
    }
  };
  // Register in dependency order so every dependsOn promise exists before it is awaited.
  const pending = [...items];
  while (pending.length > 0) {
    const index = pending.findIndex((i) => (i.dependsOn ?? []).every((d) => results.has(d)));
    if (index < 0)
      throw new GraphError(400, "BadRequest", "Batch requests have circular dependsOn references.");
    const [item] = pending.splice(index, 1);
    if (item) results.set(item.id, run(item));
  }
  const responses = await Promise.all(items.map((i) => results.get(i.id)!));
  return ok({ responses });
}

/** Graph writes batch item header names in canonical case ("Content-Type", "Retry-After"). */
function canonical(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => `${dash}${c.toUpperCase()}`)] = v;
  }
  return out;
}
