/**
 * `npm run package`: builds the Teams app package (appPackage/build/quorum-<version>.zip) with the
 * manifest's URLs filled from the config (PUBLIC_URL, ENTRA_CLIENT_ID, BOT_APP_ID), validated offline
 * against the manifest schema bundled with @microsoft/app-manifest before it is written.
 */
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import AdmZip from "adm-zip";
import { ConfigError, loadConfig } from "../src/config.ts";

export const appPackageDir = path.resolve(import.meta.dirname, "../appPackage");

export interface PackageOptions {
  /** Public https base URL of the service, without a trailing slash. */
  publicUrl: string;
  /** Entra application (client) id: the Teams app id and the SSO resource. */
  clientId: string;
  /** Bot Framework app id (the same app registration when unset). */
  botId: string;
  outDir?: string;
}

export interface BuiltPackage {
  zipPath: string;
  manifest: Record<string, unknown>;
  /** Every file in the zip, by name. */
  files: Map<string, Buffer>;
}

/** Replaces the `{{PUBLIC_URL}}`, `{{PUBLIC_HOST}}`, `{{CLIENT_ID}}` and `{{BOT_ID}}` placeholders. */
export function fillTemplate(text: string, options: PackageOptions): string {
  const url = new URL(options.publicUrl);
  if (url.protocol !== "https:") {
    throw new Error(`PUBLIC_URL must be an https URL that Teams can reach (got ${options.publicUrl})`);
  }
  const base = options.publicUrl.replace(/\/$/, "");
  return text
    .replaceAll("{{PUBLIC_URL}}", base)
    .replaceAll("{{PUBLIC_HOST}}", url.host)
    .replaceAll("{{CLIENT_ID}}", options.clientId)
    .replaceAll("{{BOT_ID}}", options.botId);
}

export async function buildAppPackage(options: PackageOptions): Promise<BuiltPackage> {
  const manifestText = fillTemplate(readFileSync(path.join(appPackageDir, "manifest.json"), "utf8"), options);
  const manifest = JSON.parse(manifestText) as Record<string, unknown>;
  const errors = await AppManifestUtils.validateAgainstSchema(
    manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
  );
  if (errors.length > 0) throw new Error(`The app manifest is not valid:\n  ${errors.join("\n  ")}`);

  const files = new Map<string, Buffer>([["manifest.json", Buffer.from(manifestText)]]);
  const icons = manifest.icons as { color: string; outline: string };
  for (const icon of [icons.color, icons.outline]) {
    files.set(icon, readFileSync(path.join(appPackageDir, icon)));
  }
  const localization = manifest.localizationInfo as
    | { defaultLanguageFile?: string; additionalLanguages?: { file: string }[] }
    | undefined;
  for (const file of [
    ...(localization?.defaultLanguageFile ? [localization.defaultLanguageFile] : []),
    ...(localization?.additionalLanguages ?? []).map((l) => l.file),
  ]) {
    files.set(file, Buffer.from(fillTemplate(readFileSync(path.join(appPackageDir, file), "utf8"), options)));
  }

  const zip = new AdmZip();
  for (const [name, data] of files) zip.addFile(name, data);
  const outDir = options.outDir ?? path.join(appPackageDir, "build");
  await mkdir(outDir, { recursive: true });
  const zipPath = path.join(outDir, `quorum-${String(manifest.version)}.zip`);
  await zip.writeZipPromise(zipPath);
  return { zipPath, manifest, files };
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  try {
    const config = loadConfig();
    if (!config.publicUrl) {
      throw new Error("Set PUBLIC_URL to the https address Teams reaches (e.g. https://quorum.contoso.com).");
    }
    const built = await buildAppPackage({
      publicUrl: config.publicUrl,
      clientId: config.m365.clientId,
      botId: config.bot.appId ?? config.m365.clientId,
    });
    process.stdout.write(`Teams app package: ${built.zipPath}\n`);
  } catch (error) {
    process.stderr.write(
      `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
