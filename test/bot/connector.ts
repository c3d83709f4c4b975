/**
 * A local Bot Connector (the `serviceUrl` Teams gives a bot) on 127.0.0.1 port 0. It records what the
 * bot sends: POST /v3/conversations/{id}/activities[/{replyToId}] and PUT .../activities/{id} (updates).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface SentActivity {
  readonly method: "POST" | "PUT";
  readonly conversationId: string;
  /** The activity id in the URL (reply-to for POST, the updated activity for PUT). */
  readonly pathActivityId: string | undefined;
  readonly id: string;
  readonly authorization: string | undefined;
  readonly body: {
    type: string;
    text?: string;
    attachments?: { contentType: string; content: Record<string, unknown> }[];
    [key: string]: unknown;
  };
}

export interface LocalConnector {
  readonly url: string;
  readonly sent: SentActivity[];
  /** Waits until at least `count` activities were sent to the conversation since `from` (an index into `sent`). */
  waitFor(conversationId: string, count: number, from?: number): Promise<SentActivity[]>;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startConnector(): Promise<LocalConnector> {
  const sent: SentActivity[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((request, response) => {
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?$/.exec(request.url ?? "");
    if (!match || (request.method !== "POST" && request.method !== "PUT")) {
      response
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: "not found" }));
      return;
    }
    readJson(request).then(
      (body) => {
        const pathActivityId = match[2] ? decodeURIComponent(match[2]) : undefined;
        const id = request.method === "PUT" && pathActivityId ? pathActivityId : `activity-${randomUUID()}`;
        sent.push({
          method: request.method as "POST" | "PUT",
          conversationId: decodeURIComponent(match[1]!),
          pathActivityId,
          id,
          authorization: request.headers.authorization,
          body: body as SentActivity["body"],
        });
        for (const wake of waiters) wake();
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
      },
      (error: unknown) => {
        response
          .writeHead(400, { "content-type": "application/json" })
          .end(JSON.stringify({ error: String(error) }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    waitFor(conversationId, count, from = 0) {
      const matching = () => sent.slice(from).filter((a) => a.conversationId === conversationId);
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = matching();
          if (found.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} activities in ${conversationId}, got ${matching().length}`));
        }, 15_000);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
