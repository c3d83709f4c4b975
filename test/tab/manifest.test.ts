/**
 * The Teams app package: the manifest and its localization files validate offline against the schemas
 * bundled in @microsoft/app-manifest, the icons have the sizes and transparency Teams requires, and the
 * zip holds exactly what the manifest names.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import AdmZip from "adm-zip";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, test } from "vitest";
import {
  appPackageDir,
  type BuiltPackage,
  buildAppPackage,
  fillTemplate,
} from "../../scripts/package-app.ts";
import { repoRoot } from "../support/database.ts";

const options = {
  publicUrl: "https://quorum.contoso.com",
  clientId: "6f1c2c52-7a43-4c39-9d1f-5d7c3ab1e0a1",
  botId: "0b7c6d5e-4f3a-4b2c-9d1e-8f7a6b5c4d3e",
};

async function loadSchema(file: string): Promise<object> {
  const dir = path.join(repoRoot, "node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.29");
  // The bundled schema text holds \a and \v escapes that JSON does not allow.
  const text = (await readFile(path.join(dir, file), "utf8"))
    .replaceAll("\\a", "\\u0007")
    .replaceAll("\\v", "\\u000b");
  return JSON.parse(text) as object;
}

function decode(buffer: Buffer): PNG {
  return PNG.sync.read(buffer);
}

describe("Teams app package", () => {
  let outDir: string;
  let built: BuiltPackage;
  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), "quorum-package-"));
    built = await buildAppPackage({ ...options, outDir });
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  test("the manifest validates against the bundled v1.29 schema (offline)", async () => {
    assert.equal(
      built.manifest.$schema,
      "https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json",
    );
    const errors = await AppManifestUtils.validateAgainstSchema(
      built.manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
    );
    assert.deepEqual(errors, []);
  });

  test("the validator is live: a broken manifest is rejected with reasons", async () => {
    const broken = structuredClone(built.manifest) as Record<string, unknown>;
    delete broken.accentColor;
    (broken.staticTabs as { contentUrl?: string }[])[0]!.contentUrl = "not a url";
    const errors = await AppManifestUtils.validateAgainstSchema(
      broken as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
    );
    assert.ok(errors.length >= 1, "a manifest without accentColor must not validate");
    assert.ok(
      errors.some((e) => e.includes("accentColor")),
      errors.join("\n"),
    );
  });

  test("URLs, ids and domains are filled from the config", () => {
    const text = built.files.get("manifest.json")!.toString("utf8");
    assert.ok(!text.includes("{{"), "no placeholder is left");
    const m = built.manifest as {
      id: string;
      staticTabs: { entityId: string; contentUrl?: string }[];
      bots: { botId: string; commandLists: { commands: { title: string }[] }[] }[];
      validDomains: string[];
      webApplicationInfo: { id: string; resource: string };
    };
    assert.equal(m.id, options.clientId);
    assert.deepEqual(
      m.staticTabs.filter((t) => t.contentUrl).map((t) => [t.entityId, t.contentUrl]),
      [
        ["schedule", "https://quorum.contoso.com/tab/?view=schedule"],
        ["admin", "https://quorum.contoso.com/tab/?view=admin"],
      ],
    );
    assert.equal(m.bots[0]!.botId, options.botId);
    assert.deepEqual(
      m.bots[0]!.commandLists[0]!.commands.map((c) => c.title),
      ["help", "availability", "book", "meetings", "cancel", "seat", "sync", "seats", "requests"],
    );
    assert.deepEqual(m.validDomains, ["quorum.contoso.com"]);
    assert.deepEqual(m.webApplicationInfo, {
      id: options.clientId,
      resource: `api://quorum.contoso.com/${options.clientId}`,
    });
  });

  test("an http PUBLIC_URL is refused: Teams only loads https tabs", () => {
    assert.throws(
      () => fillTemplate("{{PUBLIC_URL}}", { ...options, publicUrl: "http://localhost:3978" }),
      /https/,
    );
  });

  test("localization files (en, pt-BR, fr, sv) validate and translate the same keys", async () => {
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(await loadSchema("MicrosoftTeams.Localization.schema.json"));
    const files = ["en.json", "pt-BR.json", "fr.json", "sv.json"];
    const keys: string[][] = [];
    for (const file of files) {
      const data = JSON.parse(built.files.get(file)?.toString("utf8") ?? "null") as Record<string, string>;
      assert.ok(validate(data), `${file}: ${ajv.errorsText(validate.errors)}`);
      keys.push(Object.keys(data).sort());
    }
    for (const k of keys.slice(1)) assert.deepEqual(k, keys[0]);
    const pt = JSON.parse(built.files.get("pt-BR.json")!.toString("utf8")) as Record<string, string>;
    assert.equal(pt["staticTabs[0].name"], "Agendar");
  });

  test("icons: color 192×192 and outline 32×32, outline white on transparent", () => {
    const color = decode(built.files.get("color.png")!);
    assert.equal(color.width, 192);
    assert.equal(color.height, 192);
    const outline = decode(built.files.get("outline.png")!);
    assert.equal(outline.width, 32);
    assert.equal(outline.height, 32);
    let transparent = 0;
    let opaque = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [
        outline.data[i]!,
        outline.data[i + 1]!,
        outline.data[i + 2]!,
        outline.data[i + 3]!,
      ];
      if (a === 0) transparent++;
      else {
        opaque++;
        assert.deepEqual([r, g, b], [255, 255, 255], `outline pixel ${i / 4} is not white`);
      }
    }
    assert.ok(transparent > 32 * 32 * 0.5, "the outline background is transparent");
    assert.ok(opaque > 20, "the outline draws a mark");
    // The colour icon has rounded, transparent corners and an opaque body.
    assert.equal(color.data[3], 0);
    assert.equal(color.data[(192 * 96 + 10) * 4 + 3], 255);
  });

  test("the zip holds the manifest and exactly the files it names", async () => {
    const zip = new AdmZip(built.zipPath);
    const names = zip
      .getEntries()
      .map((e) => e.entryName)
      .sort();
    assert.deepEqual(names, [
      "color.png",
      "en.json",
      "fr.json",
      "manifest.json",
      "outline.png",
      "pt-BR.json",
      "sv.json",
    ]);
    const inZip = JSON.parse(zip.readAsText("manifest.json")) as { id: string };
    assert.equal(inZip.id, options.clientId);
    const committed = await readFile(path.join(appPackageDir, "color.png"));
    assert.ok(zip.readFile("color.png")?.equals(committed));
  });
});
