/**
 * The TLS certificate of the emulator, generated at start with the `selfsigned` package (EC P-256: fast).
 * Clients trust this PEM explicitly (undici Agent `ca`, msal-node network client); nothing disables TLS checks.
 */
import { generate } from "selfsigned";

export interface TlsMaterial {
  key: string;
  cert: string;
}

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

export async function createCertificate(host: string): Promise<TlsMaterial> {
  const now = Date.now();
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
    notBeforeDate: new Date(now - 24 * 3_600_000),
    notAfterDate: new Date(now + 365 * 24 * 3_600_000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
