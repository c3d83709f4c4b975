/**
 * Real clients pointed at the emulator: msal-node (custom network client trusting the emulator's
 * certificate), the Microsoft Graph client (final middleware on undici with the same trust), Microsoft's
 * Kiota-based Graph SDK (its fetch on undici with the same trust), a JSON helper for the control API,
 * paging to the end, a webhook receiver and the fingerprint of the certificate the emulator presents.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:tls";
import {
  ConfidentialClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from "@azure/msal-node";
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider } from "@microsoft/kiota-abstractions";
import {
  AuthenticationHandler,
  Client,
  type Context,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
} from "@microsoft/microsoft-graph-client";
import {
  createGraphServiceClient,
  GraphRequestAdapter,
  type GraphServiceClient,
} from "@microsoft/msgraph-sdk";
import { createGraphClientFactory } from "@microsoft/msgraph-sdk-core";
import { Agent, fetch as undiciFetch } from "undici";
import { loadConfig } from "../../src/config.ts";
import type { Emulator } from "../../src/emulator/index.ts";

export const appConfig = loadConfig({});
export const CLIENT_ID = appConfig.m365.clientId;
export const CLIENT_SECRET = appConfig.m365.clientSecret;

const agents = new WeakMap<Emulator, Agent>();
export function agentFor(emulator: Emulator): Agent {
  let a = agents.get(emulator);
  if (!a) {
    a = new Agent({ connect: { ca: emulator.caCertPem }, connections: 32 });
    agents.set(emulator, a);
  }
  return a;
}

/** msal-node's network client over undici, trusting only the emulator's certificate. */
export function networkClient(emulator: Emulator): INetworkModule {
  const dispatcher = agentFor(emulator);
  const call = async <T>(
    method: string,
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const res = await undiciFetch(url, {
      method,
      headers: options?.headers ?? {},
      body: options?.body ?? null,
      dispatcher,
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return { status: res.status, headers, body: (await res.json()) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => call("GET", url, options),
    sendPostRequestAsync: (url, options) => call("POST", url, options),
  };
}

export async function msalApp(
  emulator: Emulator,
  tenantId: string,
  secret = CLIENT_SECRET,
  clientId = CLIENT_ID,
): Promise<ConfidentialClientApplication> {
  const host = new URL(emulator.url).host;
  const metadata = await (
    await undiciFetch(`${emulator.authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`, {
      dispatcher: agentFor(emulator),
    })
  ).text();
  return new ConfidentialClientApplication({
    auth: {
      clientId,
      clientSecret: secret,
      authority: `${emulator.authorityHost}/${tenantId}`,
      knownAuthorities: [host],
      authorityMetadata: metadata,
      cloudDiscoveryMetadata: JSON.stringify({
        tenant_discovery_endpoint: `${emulator.authorityHost}/${tenantId}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      }),
    },
    system: { networkClient: networkClient(emulator) },
  });
}

export async function appToken(emulator: Emulator, tenantId: string): Promise<string> {
  const app = await msalApp(emulator, tenantId);
  const result = await app.acquireTokenByClientCredential({
    scopes: ["https://graph.microsoft.com/.default"],
  });
  if (!result) throw new Error("no token");
  return result.accessToken;
}

/** Final Graph-client middleware: undici with the emulator's certificate trusted. */
class UndiciHandler implements Middleware {
  constructor(private readonly dispatcher: Agent) {}
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const options = (context.options ?? {}) as RequestInit;
    context.response = (await undiciFetch(url, {
      method: options.method ?? "GET",
      headers: options.headers as Record<string, string>,
      body: (options.body as string | undefined) ?? null,
      dispatcher: this.dispatcher,
    })) as unknown as Response;
  }
}

export function graphClient(
  emulator: Emulator,
  token: () => Promise<string>,
  options: { retry?: boolean } = {},
): Client {
  const auth = new AuthenticationHandler({ getAccessToken: token });
  const final = new UndiciHandler(agentFor(emulator));
  const chain: Middleware[] = [auth];
  if (options.retry) chain.push(new RetryHandler(new RetryHandlerOptions(0, 3)));
  chain.push(final);
  for (let i = 0; i < chain.length - 1; i++) chain[i]?.setNext?.(chain[i + 1] as Middleware);
  return Client.initWithMiddleware({
    baseUrl: emulator.url,
    middleware: chain[0] as Middleware,
    customHosts: new Set([new URL(emulator.url).hostname]),
  });
}

/**
 * Microsoft's Kiota-based Graph SDK (`@microsoft/msgraph-sdk`) pointed at the emulator: Graph's default
 * middleware chain with a fetch that trusts the emulator's certificate (and nothing else), and a bearer
 * token provider allowed for the emulator's host only. Import the fluent API packages (e.g.
 * `@microsoft/msgraph-sdk-users`) where the client is used.
 */
export function kiotaClient(
  emulator: Emulator,
  token: () => Promise<string>,
): { client: GraphServiceClient; adapter: GraphRequestAdapter } {
  const dispatcher = agentFor(emulator);
  const trustedFetch = (url: string, init: RequestInit): Promise<Response> =>
    undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    }) as unknown as Promise<Response>;
  const hosts = new AllowedHostsValidator(new Set([new URL(emulator.url).hostname]));
  const auth = new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: () => token(),
    getAllowedHostsValidator: () => hosts,
  });
  const http = createGraphClientFactory(
    { graphServiceTargetVersion: "", graphServiceLibraryClientVersion: "1.0.0" },
    trustedFetch,
  );
  const adapter = new GraphRequestAdapter(auth, undefined, undefined, http);
  adapter.baseUrl = emulator.graphBaseUrl;
  return { client: createGraphServiceClient(adapter), adapter };
}

export async function control<T = unknown>(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await undiciFetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
    dispatcher: agentFor(emulator),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function raw(
  emulator: Emulator,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const res = await undiciFetch(url.startsWith("http") ? url : `${emulator.url}${url}`, {
    method: init.method ?? "GET",
    headers: init.headers ?? {},
    body: init.body ?? null,
    dispatcher: agentFor(emulator),
    redirect: "manual",
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, unknown> };
}

/** Follows `@odata.nextLink` from `first` to the end; `last` is the last page (with its deltaLink, if any). */
export async function pageAll<T>(
  client: Client,
  first: string,
  headers: Record<string, string> = {},
): Promise<{ items: T[]; pages: number; last: Record<string, unknown> }> {
  const items: T[] = [];
  let pages = 0;
  let url: string | undefined = first;
  let last: Record<string, unknown> = {};
  while (url) {
    const res = (await client.api(url).headers(headers).get()) as Record<string, unknown>;
    pages++;
    items.push(...(res.value as T[]));
    url = res["@odata.nextLink"] as string | undefined;
    last = res;
  }
  return { items, pages, last };
}

/**
 * A webhook receiver on 127.0.0.1:0 that answers Graph's validation handshake (or refuses it, with
 * `echoToken: false`) and records each POST with its path; `notifications()` flattens their `value`s.
 */
export async function webhookReceiver(options: { echoToken?: boolean } = {}) {
  const received: { path: string; body: Record<string, unknown> }[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = "";
    req.on("data", (c: Buffer) => {
      text += c.toString();
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const token = url.searchParams.get("validationToken");
      if (token !== null) {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(options.echoToken === false ? "nope" : token);
        return;
      }
      received.push({ path: url.pathname, body: JSON.parse(text) as Record<string, unknown> });
      res.writeHead(202);
      res.end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const notifications = () =>
    received.flatMap((r) => (r.body.value as Record<string, unknown>[] | undefined) ?? []);
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    notifications,
    /** Waits for `n` POSTs. */
    waitFor: (n: number) => until(() => received.length >= n),
    /** Waits for `n` notifications, however they were batched into POSTs. */
    waitForNotifications: (n: number) => until(() => notifications().length >= n),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The SHA-256 fingerprint of the certificate the emulator presents on its TLS port. */
export function presentedFingerprint(emulator: Emulator): Promise<string> {
  const { hostname, port } = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca: emulator.caCertPem }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.once("error", reject);
  });
}
