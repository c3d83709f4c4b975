/**
 * The Graph v1.0 route table of the emulator.
 */
import { GraphRouter } from "./context.ts";
import { registerDirectory } from "./directory.ts";

export function createGraphRouter(): GraphRouter {
  const router = new GraphRouter();
  registerDirectory(router);
  return router;
}
