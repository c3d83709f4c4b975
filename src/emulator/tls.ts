/**
 * The TLS certificate of the emulator, self-signed with the `selfsigned` package (EC P-256: fast). It is its
 * own certification authority: clients trust this PEM explicitly (undici Agent `ca`, msal-node network
 * client, a browser's or system's trusted roots); nothing disables TLS checks.
 *
 * In memory (no data directory) a certificate is generated once per process and host. With a data
 * directory it is kept there (`ca.pem`, `ca-key.pem`) and reused by every start while it is valid for at
 * least another 30 days and covers the host, so a certificate trusted once stays trusted.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { generate } from "selfsigned";
import { writeFileAtomic } from "./files.ts";

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** File names in the emulator's data directory. */
export const CA_CERT_FILE = "ca.pem";
export const CA_KEY_FILE = "ca-key.pem";

const DAY = 86_400_000;
/** A kept certificate is replaced once it expires within this long. */
export const RENEW_BEFORE_MS = 30 * DAY;
const VALIDITY_MS = 365 * DAY;

const certificates = new Map<string, Promise<TlsMaterial>>();

/** The emulator's certificate for `host`, generated once per process and host. */
export function emulatorCertificate(host: string): Promise<TlsMaterial> {
  let c = certificates.get(host);
  if (!c) {
    c = createCertificate(host);
    certificates.set(host, c);
  }
  return c;
}

/**
 * The certificate kept in `dir`, or a new one written there when there is none, it expires within
 * 30 days (of `now`, the wall clock: TLS clients check it against theirs), it does not cover `host`, or its
 * key does not match it.
 */
export async function storedCertificate(dir: string, host: string, now = Date.now()): Promise<TlsMaterial> {
  const kept = await readKept(dir);
  if (kept && usable(kept, host, now)) return kept;
  const fresh = await createCertificate(host, { notBefore: now - DAY, notAfter: now + VALIDITY_MS });
  // The key first: a crash between the two writes leaves a pair that does not match, which is replaced.
  await writeFileAtomic(path.join(dir, CA_KEY_FILE), fresh.key, 0o600);
  await writeFileAtomic(path.join(dir, CA_CERT_FILE), fresh.cert);
  return fresh;
}

async function readKept(dir: string): Promise<TlsMaterial | undefined> {
  const read = async (name: string) => {
    try {
      return await readFile(path.join(dir, name), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  };
  const [cert, key] = await Promise.all([read(CA_CERT_FILE), read(CA_KEY_FILE)]);
  return cert && key ? { cert, key } : undefined;
}

function usable(material: TlsMaterial, host: string, now: number): boolean {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(material.cert);
    if (!certificate.checkPrivateKey(createPrivateKey(material.key))) return false;
  } catch {
    // An unreadable PEM is replaced like an expired one.
    return false;
  }
  if (Date.parse(certificate.validFrom) > now || Date.parse(certificate.validTo) - now < RENEW_BEFORE_MS)
    return false;
  const name = publicName(host);
  return /^[\d.]+$|:/.test(name)
    ? certificate.checkIP(name) !== undefined
    : certificate.checkHost(name) !== undefined;
}

/** The name clients use for a listening host (a wildcard address is reached as 127.0.0.1). */
function publicName(host: string): string {
  return host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
}

export async function createCertificate(
  host: string,
  validity: { notBefore: number; notAfter: number } = {
    notBefore: Date.now() - DAY,
    notAfter: Date.now() + VALIDITY_MS,
  },
): Promise<TlsMaterial> {
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: "localhost" },
    { type: 7, ip: "127.0.0.1" },
    { type: 7, ip: "::1" },
  ];
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) && host !== "127.0.0.1" && host !== "0.0.0.0")
    altNames.push({ type: 7, ip: host });
  else if (!/^[\d.:]+$/.test(host) && host !== "localhost") altNames.push({ type: 2, value: host });
  const pems = await generate([{ name: "commonName", value: "Microsoft 365 tenant emulator" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(validity.notBefore),
    notAfterDate: new Date(validity.notAfter),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
