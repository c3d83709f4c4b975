/**
 * Authentication cost per API request:
 *  1. token validation: our validator (a token is verified once, then remembered by hash until it
 *     expires) vs verifying every time with jose against an in-memory key set;
 *  2. an authenticated `GET /api/me` (validation + roles + tenant lookups) vs the unauthenticated
 *     `/healthz` on the same server, sequential requests over keep-alive.
 */
import { createLocalJWKSet, jwtVerify } from "jose";
import { Agent, fetch as undiciFetch } from "undici";
import { opsPerSecond, reportBench } from "../support/bench.ts";
import { startStack } from "../support/stack.ts";

const stack = await startStack();
try {
  const consent = await stack.consent();
  if (consent.status !== 200) throw new Error(`consent failed: ${consent.text}`);
  const tenant = stack.tenants[0]!;
  const token = await stack.tokenFor(tenant.adminUpn);
  const validator = stack.product.m365!.validator;

  const agent = new Agent({ connect: { ca: [stack.emulator.caCertPem] } });
  const jwksResponse = await undiciFetch(`${stack.emulator.authorityHost}/${tenant.id}/discovery/v2.0/keys`, {
    dispatcher: agent,
  });
  const keys = createLocalJWKSet((await jwksResponse.json()) as Parameters<typeof createLocalJWKSet>[0]);
  const issuer = `${stack.emulator.authorityHost}/${tenant.id}/v2.0`;

  const ours = await opsPerSecond(() => validator.validate(token), 1500);
  const baseline = await opsPerSecond(() => jwtVerify(token, keys, { issuer, algorithms: ["RS256"] }), 1500);
  reportBench({
    name: "identity: SSO token validations",
    unit: "ops/s",
    ours,
    baseline,
    baselineName: "jose jwtVerify every time, local key set",
    higherIsBetter: true,
  });

  const http = new Agent({ keepAliveTimeout: 30_000 });
  const get = async (path: string, auth: boolean) => {
    const res = await undiciFetch(`${stack.baseUrl}${path}`, {
      dispatcher: http,
      ...(auth ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    await res.arrayBuffer();
  };
  const me = await opsPerSecond(() => get("/api/me", true), 2000);
  const health = await opsPerSecond(() => get("/healthz", false), 2000);
  reportBench({
    name: "identity: authenticated GET /api/me",
    unit: "req/s",
    ours: me,
    baseline: health,
    baselineName: "unauthenticated GET /healthz, same server",
    higherIsBetter: true,
    notes: `authentication + roles + tenant lookups cost ${(1000 / me - 1000 / health).toFixed(3)} ms/request`,
  });
  await agent.close();
  await http.close();
} finally {
  await stack.stop();
}
