/**
 * The emulator's in-memory data model: plain structures (cloneable for snapshots) with indexes.
 * Instants are UTC epoch milliseconds; zones are IANA names internally and Windows names on the wire
 * where Graph uses them (mailboxSettings, workingHours).
 */
import type { Weekday } from "./time.ts";

export interface WorkingHours {
  daysOfWeek: Weekday[];
  /** Minutes after local midnight. */
  startMinutes: number;
  endMinutes: number;
}

export interface EmUser {
  id: string;
  kind: "user" | "room";
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string;
  userPrincipalName: string;
  proxyAddresses: string[];
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  preferredLanguage: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  accountEnabled: boolean;
  usageLocation: string | null;
  /** IANA zone of the mailbox. */
  timeZone: string;
  workingHours: WorkingHours;
  /** Entra directory roles, e.g. "Global Administrator". */
  directoryRoles: string[];
  /** Mailbox without Exchange Online licence: calendar endpoints answer MailboxNotEnabledForRESTAPI. */
  hasMailbox: boolean;
  createdDateTime: string;
  room?: { capacity: number; building: string; floorNumber: number; city: string; countryOrRegion: string };
  version: number;
}

export interface EmGroup {
  id: string;
  displayName: string;
  description: string;
  mail: string;
  mailNickname: string;
  memberIds: string[];
  version: number;
}

export interface Attendee {
  type: "required" | "optional" | "resource";
  name: string;
  address: string;
  response: "none" | "organizer" | "tentativelyAccepted" | "accepted" | "declined" | "notResponded";
}

export interface RecurrencePattern {
  type: "daily" | "weekly" | "absoluteMonthly" | "relativeMonthly" | "absoluteYearly" | "relativeYearly";
  interval: number;
  daysOfWeek?: Weekday[];
  dayOfMonth?: number;
  month?: number;
  firstDayOfWeek?: Weekday;
  index?: "first" | "second" | "third" | "fourth" | "last";
}

export interface RecurrenceRange {
  type: "endDate" | "noEnd" | "numbered";
  startDate: string;
  endDate?: string;
  numberOfOccurrences?: number;
  recurrenceTimeZone: string;
}

/** Fields an occurrence may override (an exception); `cancelled` removes the occurrence. */
export interface OccurrenceOverride {
  cancelled?: boolean;
  startUtc?: number;
  endUtc?: number;
  subject?: string;
  showAs?: EmEvent["showAs"];
  location?: EmEvent["location"];
  bodyContent?: string;
  version: number;
  modifiedAt: number;
}

export interface EmEvent {
  id: string;
  mailboxId: string;
  calendarId: string;
  iCalUId: string;
  type: "singleInstance" | "seriesMaster";
  subject: string;
  body: { contentType: "text" | "html"; content: string };
  startUtc: number;
  endUtc: number;
  /** Zone the event was created in (name as given, Windows or IANA). */
  timeZone: string;
  isAllDay: boolean;
  showAs: "free" | "tentative" | "busy" | "oof" | "workingElsewhere" | "unknown";
  sensitivity: "normal" | "personal" | "private" | "confidential";
  importance: "low" | "normal" | "high";
  isCancelled: boolean;
  isOrganizer: boolean;
  organizer: { name: string; address: string };
  attendees: Attendee[];
  location: { displayName: string; locationEmailAddress?: string; locationType?: string };
  isOnlineMeeting: boolean;
  onlineMeetingProvider: "unknown" | "teamsForBusiness" | "skypeForBusiness" | "skypeForConsumer";
  joinUrl: string | null;
  recurrence: { pattern: RecurrencePattern; range: RecurrenceRange } | null;
  /** Keyed by the occurrence's original start (UTC ms, as a string). */
  exceptions: Record<string, OccurrenceOverride>;
  transactionId: string | null;
  categories: string[];
  responseStatus: { response: Attendee["response"]; time: string };
  reminderMinutesBeforeStart: number;
  isReminderOn: boolean;
  responseRequested: boolean;
  createdAt: number;
  modifiedAt: number;
  version: number;
}

export interface EmCalendar {
  id: string;
  name: string;
  color: string;
  isDefaultCalendar: boolean;
  canEdit: boolean;
  version: number;
}

export interface EmContactFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
}

export interface EmContact {
  id: string;
  folderId: string;
  givenName: string;
  surname: string;
  displayName: string;
  emailAddresses: { name: string; address: string }[];
  businessPhones: string[];
  mobilePhone: string | null;
  companyName: string | null;
  jobTitle: string | null;
  createdAt: number;
  modifiedAt: number;
  version: number;
}

export interface EmTodoList {
  id: string;
  displayName: string;
  isOwner: boolean;
  isShared: boolean;
  wellknownListName: "none" | "defaultList" | "flaggedEmails";
}

export interface EmTask {
  id: string;
  listId: string;
  title: string;
  status: "notStarted" | "inProgress" | "completed" | "waitingOnOthers" | "deferred";
  importance: "low" | "normal" | "high";
  body: { content: string; contentType: "text" | "html" };
  dueUtc: number | null;
  dueZone: string;
  createdAt: number;
  modifiedAt: number;
  version: number;
}

export interface MailboxData {
  calendars: EmCalendar[];
  events: Map<string, EmEvent>;
  contactFolders: EmContactFolder[];
  contacts: Map<string, EmContact>;
  todoLists: EmTodoList[];
  tasks: Map<string, EmTask>;
  /** Tombstones for delta: id -> deletion time. */
  deleted: Map<string, number>;
}

export interface PhoneNumber {
  telephoneNumber: string;
  numberType: "directRouting" | "callingPlan" | "operatorConnect";
  city: string;
  isoCountryCode: string;
  assignmentTargetId: string | null;
  assignmentCategory: "primary" | "private" | "alternate" | null;
  assignmentStatus: "unassigned" | "userAssigned" | "conferenceAssigned" | "voiceApplicationAssigned";
}

export interface NumberOperation {
  id: string;
  kind: "assignNumber" | "unassignNumber";
  telephoneNumber: string;
  assignmentTargetId: string;
  numberType: string;
  createdAt: number;
  polls: number;
  outcome: { status: "succeeded" } | { status: "failed"; code: string; message: string };
}

export interface TenantState {
  id: string;
  name: string;
  domain: string;
  users: Map<string, EmUser>;
  /** Lower-cased mail / UPN / proxy address -> user or room id. */
  byAddress: Map<string, string>;
  /** Ordered ids (creation order), for stable paging. */
  userOrder: string[];
  groups: Map<string, EmGroup>;
  groupOrder: string[];
  mailboxes: Map<string, MailboxData>;
  phoneNumbers: PhoneNumber[];
  operations: Map<string, NumberOperation>;
  /** `generation` increases on every revocation; tokens carry the generation they were issued under. */
  consent: {
    granted: boolean;
    grantedAt: number | null;
    revokedAt: number | null;
    grantedBy: string | null;
    generation: number;
    /** Application permissions granted; null = every permission the app requests. */
    permissions: string[] | null;
  };
  /** Deleted users (id -> deletion time) for /users/delta. */
  deletedUsers: Map<string, number>;
  /** Bumped by reset and by the control API's delta expiry: older delta tokens become invalid. */
  deltaEpoch: number;
}
