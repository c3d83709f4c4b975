/**
 * The Graph v1.0 route table of the emulator.
 */
import type { Logger } from "pino";
import type { EmulatorState } from "../state.ts";
import { registerCalendar } from "./calendar.ts";
import { CalendarService } from "./calendar-service.ts";
import { registerCalendarView } from "./calendar-view.ts";
import { PeopleService, registerContactsAndTodo } from "./contacts-todo.ts";
import { GraphRouter } from "./context.ts";
import { registerDirectory } from "./directory.ts";
import { registerSchedule } from "./schedule.ts";
import { Subscriptions } from "./subscriptions.ts";
import { registerTelephony } from "./telephony.ts";

export function createGraphRouter(
  state: EmulatorState,
  logger: Logger | undefined,
): { router: GraphRouter; subscriptions: Subscriptions } {
  const router = new GraphRouter();
  const subscriptions = new Subscriptions(state, logger);
  registerDirectory(router);
  registerSchedule(router);
  registerCalendar(router, new CalendarService(state));
  registerCalendarView(router);
  registerContactsAndTodo(router, new PeopleService(state));
  registerTelephony(router);
  subscriptions.register(router);
  return { router, subscriptions };
}
