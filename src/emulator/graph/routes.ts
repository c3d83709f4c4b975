/**
 * The Graph v1.0 route table of the emulator.
 */
import type { EmulatorState } from "../state.ts";
import { CalendarService, registerCalendar } from "./calendar.ts";
import { GraphRouter } from "./context.ts";
import { registerDirectory } from "./directory.ts";
import { registerSchedule } from "./schedule.ts";

export function createGraphRouter(state: EmulatorState): GraphRouter {
  const router = new GraphRouter();
  registerDirectory(router);
  registerSchedule(router);
  registerCalendar(router, new CalendarService(state));
  return router;
}
