/**
 * What sync's tests on Graph's adapter against the emulator share: a webhook that answers Graph's
 * validation handshake, and the emulator's control API, failing the test on any error answer.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Stack } from "../support/stack.ts";

/** Answers Graph's validation handshake (the product's notifications endpoint is not these tests'). */
export async function webhookReceiver(): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const token = new URL(req.url ?? "/", "http://127.0.0.1").searchParams.get("validationToken");
    res.writeHead(token === null ? 202 : 200, { "content-type": "text/plain" });
    res.end(token ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notifications`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The emulator's control API (`/_emulator…`); an answer of 300 or more fails the test. */
export const emulatorControl = (stack: Stack) => async (method: string, path: string, body?: unknown) => {
  const res = await stack.emulatorRequest<{ id: string; changeKey: string; subject: string }>(
    method,
    `/_emulator${path}`,
    body,
  );
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
};
