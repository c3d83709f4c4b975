import type { EmUser, WorkingHours } from "./model.ts";
import { DAY, type Weekday } from "./time.ts";

export type Zone = "America/Sao_Paulo" | "Europe/Stockholm" | "Europe/Paris" | "America/New_York";

export const WORK: Record<Zone, WorkingHours> = {
  "America/Sao_Paulo": { daysOfWeek: weekdays(), startMinutes: 9 * 60, endMinutes: 18 * 60 },
  "Europe/Stockholm": { daysOfWeek: weekdays(), startMinutes: 8 * 60, endMinutes: 17 * 60 },
  "Europe/Paris": { daysOfWeek: weekdays(), startMinutes: 9 * 60, endMinutes: 18 * 60 },
  "America/New_York": { daysOfWeek: weekdays(), startMinutes: 9 * 60, endMinutes: 17 * 60 },
};

export function weekdays(): Weekday[] {
  return ["monday", "tuesday", "wednesday", "thursday", "friday"];
}

export const FIRST = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Maja",
  "Elias",
  "Camille",
  "Louis",
  "Beatriz",
  "Gabriel",
  "Ingrid",
  "Oskar",
  "Chloé",
  "Hugo",
  "Mariana",
  "Rafael",
  "Astrid",
  "Axel",
  "Léa",
  "Jules",
  "Isabela",
  "Pedro",
  "Freja",
  "Nils",
  "Manon",
  "Arthur",
  "Larissa",
  "Thiago",
  "Ebba",
  "Viktor",
  "Inès",
  "Théo",
  "Ava",
  "Ethan",
  "Mia",
  "Lucas",
];
export const LAST = [
  "Almeida",
  "Andersson",
  "Bernard",
  "Brown",
  "Costa",
  "Dubois",
  "Eriksson",
  "Ferreira",
  "Garcia",
  "Johansson",
  "Lambert",
  "Lopes",
  "Martin",
  "Miller",
  "Nilsson",
  "Pereira",
  "Petit",
  "Ribeiro",
  "Robert",
  "Santos",
  "Svensson",
  "Thomas",
  "Walker",
  "Wilson",
];
export const ZONES: Zone[] = ["America/Sao_Paulo", "Europe/Stockholm", "Europe/Paris", "America/New_York"];
export const CITY: Record<
  Zone,
  { city: string; country: string; office: string; lang: string; phone: string }
> = {
  "America/Sao_Paulo": {
    city: "São Paulo",
    country: "BR",
    office: "São Paulo",
    lang: "pt-BR",
    phone: "+55 11 4000",
  },
  "Europe/Stockholm": {
    city: "Stockholm",
    country: "SE",
    office: "Stockholm",
    lang: "sv-SE",
    phone: "+46 8 5000",
  },
  "Europe/Paris": { city: "Paris", country: "FR", office: "Paris", lang: "fr-FR", phone: "+33 1 7000" },
  "America/New_York": {
    city: "New York",
    country: "US",
    office: "New York",
    lang: "en-US",
    phone: "+1 212 555",
  },
};
export const TITLES = [
  "Account Executive",
  "Sales Development Rep",
  "Support Engineer",
  "Solutions Consultant",
  "Customer Success Manager",
];

export function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "");
}

export interface PersonSpec {
  id: string;
  displayName: string;
  upn: string;
  mail: string;
  timeZone: Zone;
  roles?: string[];
  hasMailbox?: boolean;
  accountEnabled?: boolean;
  department?: string;
  jobTitle?: string;
}

export function makeUser(p: PersonSpec, index: number, createdAt: number): EmUser {
  const [given, ...rest] = p.displayName.split(" ");
  const info = CITY[p.timeZone];
  const proxy = [`SMTP:${p.mail}`];
  if (p.upn.toLowerCase() !== p.mail.toLowerCase()) proxy.push(`smtp:${p.upn}`);
  const alias = p.mail.split("@")[0]?.split(".")[0];
  if (alias && p.mail.includes(".")) proxy.push(`smtp:${alias}@${p.mail.split("@")[1]}`);
  return {
    id: p.id,
    kind: "user",
    displayName: p.displayName,
    givenName: given ?? null,
    surname: rest.join(" ") || null,
    mail: p.mail,
    userPrincipalName: p.upn,
    proxyAddresses: proxy,
    jobTitle: p.jobTitle ?? TITLES[index % TITLES.length] ?? null,
    department: p.department ?? null,
    officeLocation: info.office,
    preferredLanguage: info.lang,
    mobilePhone: null,
    businessPhones: [`${info.phone} ${String(1000 + (index % 9000)).padStart(4, "0")}`],
    accountEnabled: p.accountEnabled ?? true,
    usageLocation: info.country,
    timeZone: p.timeZone,
    workingHours: structuredClone(WORK[p.timeZone]),
    directoryRoles: p.roles ?? [],
    hasMailbox: p.hasMailbox ?? true,
    createdDateTime: new Date(createdAt - (index + 30) * DAY).toISOString().replace(/\.\d{3}Z$/, "Z"),
    version: 1,
  };
}

export function makeRoom(
  r: { id: string; mail: string; displayName: string; timeZone: string; capacity: number },
  createdAt: number,
): EmUser {
  const zone = r.timeZone as Zone;
  const info = CITY[zone];
  return {
    id: r.id,
    kind: "room",
    displayName: r.displayName,
    givenName: null,
    surname: null,
    mail: r.mail,
    userPrincipalName: r.mail,
    proxyAddresses: [`SMTP:${r.mail}`],
    jobTitle: null,
    department: null,
    officeLocation: info.office,
    preferredLanguage: info.lang,
    mobilePhone: null,
    businessPhones: [],
    accountEnabled: false,
    usageLocation: info.country,
    timeZone: zone,
    workingHours: { daysOfWeek: weekdays(), startMinutes: 7 * 60, endMinutes: 20 * 60 },
    directoryRoles: [],
    hasMailbox: true,
    createdDateTime: new Date(createdAt - 400 * DAY).toISOString().replace(/\.\d{3}Z$/, "Z"),
    room: {
      capacity: r.capacity,
      building: `${info.office} HQ`,
      floorNumber: 3,
      city: info.city,
      countryOrRegion: info.country,
    },
    version: 1,
  };
}
