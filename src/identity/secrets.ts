/**
 * Keys derived from the service's SECRET_KEY: one for AES-256-GCM encryption of cached tokens at rest,
 * one for HMAC signatures (consent state). Each purpose gets its own HKDF-derived key.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

export interface Secrets {
  /** AES-256-GCM; `context` (e.g. tenant + partition) is bound as additional authenticated data. */
  encrypt(plaintext: string, context: string): string;
  decrypt(ciphertext: string, context: string): string;
  sign(value: string): string;
  verify(value: string, signature: string): boolean;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createSecrets(secretKey: string): Secrets {
  const derive = (info: string) =>
    Buffer.from(
      hkdfSync("sha256", Buffer.from(secretKey, "utf8"), Buffer.from("quorum"), Buffer.from(info), 32),
    );
  const encKey = derive("token-cache/aes-256-gcm");
  const macKey = derive("consent-state/hmac-sha256");
  const mac = (value: string) => createHmac("sha256", macKey).update(value).digest("base64url");

  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", encKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    },
    decrypt(ciphertext, context) {
      if (!ciphertext.startsWith("v1.")) throw new Error("unknown token cache format");
      const raw = Buffer.from(ciphertext.slice(3), "base64");
      // The tag length is fixed: without it GCM would accept a truncated tag (as short as 4 bytes).
      const decipher = createDecipheriv("aes-256-gcm", encKey, raw.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        "utf8",
      );
    },
    sign: mac,
    verify(value, signature) {
      const expected = Buffer.from(mac(value));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
