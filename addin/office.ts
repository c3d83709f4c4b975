/**
 * All Office.js access of the Outlook add-in, in one module. Every callback-style Office call is wrapped
 * in a promise that resolves with the value or rejects with an `OfficeError` carrying Office's error
 * code, name and message; nothing is thrown inside an Office callback. Components never touch the global
 * `Office` object: they receive the `Outlook` returned by `createOutlook(Office)` as a prop.
 *
 * The types below describe exactly the subset of Office.js (Mailbox requirement set 1.8) that the add-in
 * uses; the dev host's Office shim implements the same subset.
 */

export interface OfficeAsyncError {
  code: number;
  name: string;
  message: string;
}

export interface OfficeAsyncResult<T> {
  status: string;
  value: T;
  error?: OfficeAsyncError | null;
}

export type OfficeCallback<T> = (result: OfficeAsyncResult<T>) => void;

/** `Office.EmailAddressDetails` (read mode) and the shape `Recipients.getAsync` yields (compose mode). */
export interface OfficeEmailAddress {
  emailAddress: string;
  displayName: string;
}

interface OfficeGettable<T> {
  getAsync(callback: OfficeCallback<T>): void;
}
interface OfficeSettable<T> extends OfficeGettable<T> {
  setAsync(value: T, callback: OfficeCallback<void>): void;
}
interface OfficeRecipients extends OfficeGettable<OfficeEmailAddress[]> {
  addAsync(recipients: OfficeEmailAddress[], callback: OfficeCallback<void>): void;
}
interface OfficeBody {
  getTypeAsync(callback: OfficeCallback<string>): void;
  setSelectedDataAsync(data: string, options: { coercionType: string }, callback: OfficeCallback<void>): void;
}

/** `Office.context.mailbox.item`: compose items expose getters/setters, read items plain values. */
export interface OfficeItem {
  itemType: string;
  subject: string | OfficeGettable<string>;
  start?: Date | OfficeSettable<Date>;
  end?: Date | OfficeSettable<Date>;
  location?: string | OfficeSettable<string>;
  requiredAttendees?: OfficeEmailAddress[] | OfficeRecipients;
  optionalAttendees?: OfficeEmailAddress[] | OfficeRecipients;
  to?: OfficeEmailAddress[] | OfficeRecipients;
  cc?: OfficeEmailAddress[] | OfficeRecipients;
  from?: OfficeEmailAddress | OfficeGettable<OfficeEmailAddress>;
  sender?: OfficeEmailAddress;
  organizer?: OfficeEmailAddress | OfficeGettable<OfficeEmailAddress>;
  body: OfficeBody;
  addHandlerAsync(eventType: string, handler: (event: unknown) => void, callback: OfficeCallback<void>): void;
  removeHandlerAsync(eventType: string, callback: OfficeCallback<void>): void;
}

export interface OfficeMailbox {
  item: OfficeItem | null;
  userProfile: { emailAddress: string; displayName: string; timeZone?: string };
  addHandlerAsync(eventType: string, handler: (event: unknown) => void, callback: OfficeCallback<void>): void;
  removeHandlerAsync(eventType: string, callback: OfficeCallback<void>): void;
}

/** The global `Office` object, as far as the add-in uses it. */
export interface OfficeGlobal {
  onReady(): Promise<{ host: string | null; platform: string | null }>;
  context: { mailbox: OfficeMailbox; displayLanguage?: string };
  auth: {
    getAccessToken(options?: {
      allowSignInPrompt?: boolean;
      allowConsentPrompt?: boolean;
      forMSGraphAccess?: boolean;
    }): Promise<string>;
  };
  AsyncResultStatus: { Succeeded: string; Failed: string };
  CoercionType: { Html: string; Text: string };
  EventType: { ItemChanged: string; RecipientsChanged: string; AppointmentTimeChanged: string };
}

/** A failed Office.js call: Office's numeric code and error name are kept next to the message. */
export class OfficeError extends Error {
  readonly code: number;
  readonly officeName: string;
  readonly operation: string;

  constructor(
    operation: string,
    error: { code: number; name: string; message: string },
    options?: ErrorOptions,
  ) {
    super(`${operation} failed: ${error.message}`, options);
    this.name = "OfficeError";
    this.code = error.code;
    this.officeName = error.name;
    this.operation = operation;
  }
}

export type ItemType = "appointment" | "message";
export type ItemMode = "compose" | "read";
export type BodyType = "html" | "text";

export interface ItemKind {
  type: ItemType;
  mode: ItemMode;
}

export interface Person {
  email: string;
  name: string;
}

export interface Attendees {
  required: Person[];
  optional: Person[];
}

export interface ItemTimes {
  start: Date;
  end: Date;
}

export type Unsubscribe = () => Promise<void>;

/** The promise-based Outlook API the task pane components receive as a prop. */
export interface Outlook {
  /** Resolves once Office has initialised the add-in. */
  ready(): Promise<void>;
  /** The open item's type and mode, or null when no item is selected (pinned pane). */
  kind(): ItemKind | null;
  /** The Office UI language (e.g. "en-US"); falls back to the browser's language. */
  displayLanguage(): string;
  mailboxUser(): Person;
  subject(): Promise<string>;
  times(): Promise<ItemTimes>;
  setTimes(times: ItemTimes): Promise<void>;
  /** Appointment attendees (required and optional); for a message the To line is required, Cc optional. */
  attendees(): Promise<Attendees>;
  /** The sender of a message being read, or the organizer of an appointment being read. */
  sender(): Promise<Person | null>;
  setLocation(location: string): Promise<void>;
  /** Adds a room mailbox to the appointment's attendees so it receives the invitation. */
  addRoom(room: Person): Promise<void>;
  bodyType(): Promise<BodyType>;
  /** Inserts HTML or plain text at the cursor (replacing the selection) of a compose item's body. */
  insertAtCursor(data: string, type: BodyType): Promise<void>;
  onItemChanged(handler: () => void): Promise<Unsubscribe>;
  onRecipientsChanged(handler: () => void): Promise<Unsubscribe>;
  onAppointmentTimeChanged(handler: () => void): Promise<Unsubscribe>;
  /** An SSO access token for the Quorum service (Office SSO; the emulator's token in the dev host). */
  accessToken(): Promise<string>;
}

const NO_ITEM = { code: 9000, name: "NoItemSelected", message: "No mail item is open in Outlook." };
const NOT_AVAILABLE = (what: string) => ({
  code: 9001,
  name: "NotAvailableForItem",
  message: `${what} is not available for this item.`,
});

function isGettable<T>(value: unknown): value is OfficeGettable<T> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { getAsync?: unknown }).getAsync === "function"
  );
}

function toPerson(address: OfficeEmailAddress): Person {
  return { email: address.emailAddress, name: address.displayName || address.emailAddress };
}

export function createOutlook(office: OfficeGlobal): Outlook {
  /** Runs one callback-style Office call as a promise; a synchronous throw from Office becomes a rejection too. */
  function call<T>(operation: string, invoke: (callback: OfficeCallback<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      try {
        invoke((result) => {
          if (result.status === office.AsyncResultStatus.Succeeded) resolve(result.value);
          else
            reject(
              new OfficeError(
                operation,
                result.error ?? { code: -1, name: "UnknownError", message: "Office reported a failure" },
              ),
            );
        });
      } catch (cause) {
        reject(
          new OfficeError(
            operation,
            {
              code: -1,
              name: "OfficeException",
              message: cause instanceof Error ? cause.message : String(cause),
            },
            { cause },
          ),
        );
      }
    });
  }

  function item(operation: string): OfficeItem {
    const current = office.context.mailbox.item;
    if (!current) throw new OfficeError(operation, NO_ITEM);
    return current;
  }

  /** Reads a property that is a plain value in read mode and a getter object in compose mode. */
  async function read<T>(
    operation: string,
    value: T | OfficeGettable<T> | undefined,
  ): Promise<T | undefined> {
    if (value === undefined) return undefined;
    if (isGettable<T>(value)) return call<T>(operation, (cb) => value.getAsync(cb));
    return value as T;
  }

  async function recipients(
    operation: string,
    value: OfficeEmailAddress[] | OfficeRecipients | undefined,
  ): Promise<Person[]> {
    const list = await read<OfficeEmailAddress[]>(operation, value);
    return (list ?? []).map(toPerson);
  }

  function settable<T>(
    operation: string,
    value: T | OfficeSettable<T> | undefined,
    what: string,
  ): OfficeSettable<T> {
    if (!isGettable<T>(value) || typeof (value as OfficeSettable<T>).setAsync !== "function") {
      throw new OfficeError(operation, NOT_AVAILABLE(what));
    }
    return value as OfficeSettable<T>;
  }

  async function handler(
    operation: string,
    target: Pick<OfficeMailbox, "addHandlerAsync" | "removeHandlerAsync">,
    eventType: string,
    listener: () => void,
  ): Promise<Unsubscribe> {
    await call<void>(operation, (cb) => target.addHandlerAsync(eventType, () => listener(), cb));
    return () => call<void>(`${operation} (remove)`, (cb) => target.removeHandlerAsync(eventType, cb));
  }

  return {
    async ready() {
      await office.onReady();
    },
    kind() {
      const current = office.context.mailbox.item;
      if (!current) return null;
      const type: ItemType = current.itemType === "appointment" ? "appointment" : "message";
      const mode: ItemMode = typeof current.subject === "string" ? "read" : "compose";
      return { type, mode };
    },
    displayLanguage() {
      return office.context.displayLanguage || globalThis.navigator?.language || "en-US";
    },
    mailboxUser() {
      const profile = office.context.mailbox.userProfile;
      return { email: profile.emailAddress, name: profile.displayName || profile.emailAddress };
    },
    async subject() {
      return (await read<string>("Reading the subject", item("Reading the subject").subject)) ?? "";
    },
    async times() {
      const current = item("Reading the item's times");
      const [start, end] = await Promise.all([
        read<Date>("Reading the start time", current.start),
        read<Date>("Reading the end time", current.end),
      ]);
      if (!start || !end) throw new OfficeError("Reading the item's times", NOT_AVAILABLE("Start and end"));
      return { start: new Date(start), end: new Date(end) };
    },
    async setTimes({ start, end }) {
      const current = item("Setting the item's times");
      const startField = settable<Date>("Setting the start time", current.start, "Setting the start time");
      const endField = settable<Date>("Setting the end time", current.end, "Setting the end time");
      // Start first: Outlook keeps the duration when the start moves, so the end is set afterwards.
      await call<void>("Setting the start time", (cb) => startField.setAsync(start, cb));
      await call<void>("Setting the end time", (cb) => endField.setAsync(end, cb));
    },
    async attendees() {
      const current = item("Reading the attendees");
      if (current.itemType === "appointment") {
        const [required, optional] = await Promise.all([
          recipients("Reading the required attendees", current.requiredAttendees),
          recipients("Reading the optional attendees", current.optionalAttendees),
        ]);
        return { required, optional };
      }
      const [required, optional] = await Promise.all([
        recipients("Reading the To recipients", current.to),
        recipients("Reading the Cc recipients", current.cc),
      ]);
      return { required, optional };
    },
    async sender() {
      const current = item("Reading the sender");
      const source =
        current.itemType === "appointment" ? current.organizer : (current.from ?? current.sender);
      const address = await read<OfficeEmailAddress>("Reading the sender", source);
      return address?.emailAddress ? toPerson(address) : null;
    },
    async setLocation(location) {
      const field = settable<string>(
        "Setting the location",
        item("Setting the location").location,
        "The location",
      );
      await call<void>("Setting the location", (cb) => field.setAsync(location, cb));
    },
    async addRoom(room) {
      const current = item("Adding the room");
      const field = current.requiredAttendees;
      if (!field || Array.isArray(field) || typeof field.addAsync !== "function") {
        throw new OfficeError("Adding the room", NOT_AVAILABLE("Adding attendees"));
      }
      await call<void>("Adding the room", (cb) =>
        field.addAsync([{ emailAddress: room.email, displayName: room.name }], cb),
      );
    },
    async bodyType() {
      const current = item("Reading the body type");
      const type = await call<string>("Reading the body type", (cb) => current.body.getTypeAsync(cb));
      return type === office.CoercionType.Html ? "html" : "text";
    },
    async insertAtCursor(data, type) {
      const current = item("Inserting into the body");
      const coercionType = type === "html" ? office.CoercionType.Html : office.CoercionType.Text;
      await call<void>("Inserting into the body", (cb) =>
        current.body.setSelectedDataAsync(data, { coercionType }, cb),
      );
    },
    async onItemChanged(listener) {
      return handler(
        "Listening for item changes",
        office.context.mailbox,
        office.EventType.ItemChanged,
        listener,
      );
    },
    async onRecipientsChanged(listener) {
      return handler(
        "Listening for recipient changes",
        item("Listening for recipient changes"),
        office.EventType.RecipientsChanged,
        listener,
      );
    },
    async onAppointmentTimeChanged(listener) {
      return handler(
        "Listening for time changes",
        item("Listening for time changes"),
        office.EventType.AppointmentTimeChanged,
        listener,
      );
    },
    async accessToken() {
      try {
        return await office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true });
      } catch (cause) {
        const details = cause as { code?: unknown; name?: unknown; message?: unknown };
        throw new OfficeError(
          "Signing in",
          {
            code: typeof details.code === "number" ? details.code : -1,
            name: typeof details.name === "string" ? details.name : "SsoError",
            message: typeof details.message === "string" ? details.message : String(cause),
          },
          { cause },
        );
      }
    },
  };
}
