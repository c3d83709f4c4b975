/** Deterministic randomness: hashes, a seeded generator, and ids (GUIDs, item ids, Teams join URLs) derived from text. */
import { createHash } from "node:crypto";

export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export function prng(seed: string): () => number {
  let a = hashString(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A GUID derived from text (stable across runs). */
export function guidFrom(text: string): string {
  const h = createHash("sha1").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((Number.parseInt(h[16] ?? "8", 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An Outlook-looking opaque item id derived from text. */
export function itemIdFrom(prefix: string, text: string): string {
  return `AAMk${prefix}${createHash("sha1").update(text).digest("base64url")}`;
}

export function joinUrlFor(id: string): string {
  const h = createHash("sha1").update(id).digest("hex");
  return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${h.slice(0, 32)}%40thread.v2/0?context=%7b%22Tid%22%3a%22${h.slice(
    0,
    8,
  )}%22%7d`;
}
