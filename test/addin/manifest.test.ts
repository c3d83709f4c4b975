/**
 * Offline checks of the Outlook add-in's manifests.
 *
 * What this covers:
 * - manifest.xml is well-formed XML (fast-xml-parser's validator) and has the structure Office requires
 *   of a MailApp: the top-level elements in the schema's order, Mailbox requirement set 1.8 (top level
 *   and VersionOverrides), read and edit form settings, VersionOverrides V1_0 with a ribbon button
 *   (ShowTaskpane) on each of the four Outlook surfaces, every `resid` resolving to a declared resource,
 *   string lengths within Office's limits, and WebApplicationInfo as the last child for SSO.
 * - As the service serves it (/addin/manifest.xml): every URL points at the service's own origin and
 *   answers 200, and each icon is a PNG of the size it is declared as.
 * - The unified manifest (appPackage/manifest.json) with its `extensions` validates against the Teams
 *   schema bundled with @microsoft/app-manifest and declares the same pane, icons and surfaces.
 *
 * - Office's own reader (`office-addin-manifest`'s readManifestFile, offline) reads it as an Outlook
 *   MailApp with the id, version, permissions and icons above.
 *
 * What it does not cover: validation against Microsoft's XSDs (no npm package ships them and the copies
 * that exist reject WebApplicationInfo) and the online validator (`office-addin-manifest validate`
 * needs Microsoft's service, which is not reachable here); sideloading into a real Outlook client.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { getOfficeAppsForManifestHosts, OfficeAddinManifest } from "office-addin-manifest";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, test } from "vitest";
import { loadConfig } from "../../src/config.ts";
import type { Product } from "../../src/server/compose.ts";
import { OFFICE_SHIM_PATH } from "../../src/server/dev/outlook-dev-host.ts";
import { fillManifest, OFFICE_JS_CDN_URL } from "../../src/server/http/routes/addin.ts";
import { openTestDatabase, repoRoot } from "../support/database.ts";
import { listenProduct } from "../support/product.ts";
import { ensureAddinBuilt } from "./support/build.ts";

const CLIENT_ID = "6f1c2c52-7a43-4c39-9d1f-5d7c3ab1e0a1";
const template = readFileSync(path.join(repoRoot, "manifest.xml"), "utf8");

type Node = Record<string, unknown>;
const ordered = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", preserveOrder: true });
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) =>
    ["ExtensionPoint", "bt:Image", "bt:Url", "bt:String", "Form", "Scope", "Control"].includes(name),
});

function parse(xml: string): Node {
  return (parser.parse(xml) as { OfficeApp: Node }).OfficeApp;
}

/** Every element named `name` anywhere below `node`. */
function findAll(node: unknown, name: string, out: Node[] = []): Node[] {
  if (Array.isArray(node)) for (const n of node) findAll(n, name, out);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === name) for (const v of Array.isArray(value) ? value : [value]) out.push(v as Node);
      findAll(value, name, out);
    }
  }
  return out;
}

/** Every `DefaultValue` attribute that is a URL. */
function urlsOf(app: Node): string[] {
  const urls: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "@DefaultValue" && typeof value === "string" && /^https?:/.test(value)) urls.push(value);
        else walk(value);
      }
    }
  };
  walk(app);
  return urls;
}

describe("manifest.xml", () => {
  test("is well-formed XML", () => {
    assert.equal(XMLValidator.validate(template), true);
  });

  test("Office's own manifest reader (office-addin-manifest, offline) reads an Outlook mail add-in", async () => {
    const info = await OfficeAddinManifest.readManifestFile(path.join(repoRoot, "manifest.xml"));
    assert.equal(info.manifestType, "xml");
    assert.equal(info.officeAppType, "MailApp");
    assert.deepEqual(getOfficeAppsForManifestHosts(info.hosts), ["outlook"]);
    assert.equal(info.id, String(parse(template).Id));
    assert.match(info.version ?? "", /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(info.displayName, "Quorum");
    assert.equal(info.permissions, "ReadWriteItem");
    assert.equal(info.defaultLocale, "en-US");
    for (const url of [info.iconUrl, info.highResolutionIconUrl, info.supportUrl])
      assert.ok(url?.startsWith("{{PUBLIC_URL}}/addin/"), `${url} is served by Quorum itself`);
  });

  test("is a MailApp with the top-level elements in the schema's order", () => {
    const doc = ordered.parse(template) as Node[];
    const root = doc.find((n) => "OfficeApp" in n) as { OfficeApp: Node[]; ":@": Record<string, string> };
    assert.equal(root[":@"]["@xsi:type"], "MailApp");
    assert.equal(root[":@"]["@xmlns"], "http://schemas.microsoft.com/office/appforoffice/1.1");
    const names = root.OfficeApp.map((n) => Object.keys(n).find((k) => k !== ":@")).filter(
      (k) => k !== "#comment",
    );
    const schemaOrder = [
      "Id",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "IconUrl",
      "HighResolutionIconUrl",
      "SupportUrl",
      "AppDomains",
      "Hosts",
      "Requirements",
      "FormSettings",
      "Permissions",
      "Rule",
      "DisableEntityHighlighting",
      "VersionOverrides",
    ];
    assert.deepEqual(names, schemaOrder);
    const app = parse(template);
    assert.match(String(app.Id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(String(app.Version), /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal((app.Hosts as Node).Host && ((app.Hosts as Node).Host as Node)["@Name"], "Mailbox");
    const set = ((app.Requirements as Node).Sets as Node).Set as Node;
    assert.equal(set["@Name"], "Mailbox");
    assert.ok(Number(set["@MinVersion"]) >= 1.8);
    const forms = (app.FormSettings as Node).Form as Node[];
    assert.deepEqual(forms.map((f) => f["@xsi:type"]).sort(), ["ItemEdit", "ItemRead"]);
    assert.equal(app.Permissions, "ReadWriteItem");
    assert.ok(String((app.DisplayName as Node)["@DefaultValue"]).length <= 125);
    assert.ok(String((app.Description as Node)["@DefaultValue"]).length <= 250);
  });

  test("has a ribbon button opening the task pane on each Outlook surface, with every resource declared", () => {
    const app = parse(template);
    const overrides = app.VersionOverrides as Node;
    assert.equal(overrides["@xsi:type"], "VersionOverridesV1_0");
    const sets = (overrides.Requirements as Node)["bt:Sets"] as Node;
    assert.ok(Number(sets["@DefaultMinVersion"]) >= 1.8);
    assert.equal((sets["bt:Set"] as Node)["@Name"], "Mailbox");

    const points = findAll(overrides, "ExtensionPoint");
    assert.deepEqual(points.map((p) => p["@xsi:type"]).sort(), [
      "AppointmentAttendeeCommandSurface",
      "AppointmentOrganizerCommandSurface",
      "MessageComposeCommandSurface",
      "MessageReadCommandSurface",
    ]);
    const resources = overrides.Resources as Node;
    const ids = (group: string, item: string) =>
      new Map(
        ((resources[group] as Node)[item] as Node[]).map((r) => [
          String(r["@id"]),
          String(r["@DefaultValue"]),
        ]),
      );
    const images = ids("bt:Images", "bt:Image");
    const urls = ids("bt:Urls", "bt:Url");
    const shortStrings = ids("bt:ShortStrings", "bt:String");
    const longStrings = ids("bt:LongStrings", "bt:String");
    for (const value of shortStrings.values()) assert.ok(value.length <= 125, value);
    for (const value of longStrings.values()) assert.ok(value.length <= 250, value);

    const controlIds = new Set<string>();
    for (const point of points) {
      const controls = findAll(point, "Control");
      assert.equal(controls.length, 1, `one button on ${String(point["@xsi:type"])}`);
      const control = controls[0]!;
      assert.equal(control["@xsi:type"], "Button");
      controlIds.add(String(control["@id"]));
      assert.ok(shortStrings.has(String((control.Label as Node)["@resid"])));
      assert.ok(shortStrings.has(String(((control.Supertip as Node).Title as Node)["@resid"])));
      assert.ok(longStrings.has(String(((control.Supertip as Node).Description as Node)["@resid"])));
      const icons = findAll(control, "bt:Image");
      assert.deepEqual(
        icons.map((i) => Number(i["@size"])).sort((a, b) => a - b),
        [16, 32, 80],
      );
      for (const icon of icons) assert.ok(images.has(String(icon["@resid"])), String(icon["@resid"]));
      const action = control.Action as Node;
      assert.equal(action["@xsi:type"], "ShowTaskpane");
      assert.equal(
        urls.get(String((action.SourceLocation as Node)["@resid"])),
        "{{PUBLIC_URL}}/addin/index.html",
      );
    }
    assert.equal(controlIds.size, 4, "control ids are unique");
    const functionFile = findAll(overrides, "FunctionFile")[0]!;
    assert.equal(urls.get(String(functionFile["@resid"])), "{{PUBLIC_URL}}/addin/commands.html");
    for (const [id, url] of images) assert.match(url, /\/addin\/icons\/icon-(\d+)\.png$/, id);
  });

  test("declares WebApplicationInfo for SSO as the last child of VersionOverrides", () => {
    const doc = ordered.parse(template) as Node[];
    const root = (doc.find((n) => "OfficeApp" in n) as { OfficeApp: Node[] }).OfficeApp;
    const overrides = root.find((n) => "VersionOverrides" in n)!.VersionOverrides as Node[];
    const children = overrides
      .map((n) => Object.keys(n).find((k) => k !== ":@"))
      .filter((k) => k !== "#comment");
    assert.equal(children.at(-1), "WebApplicationInfo");
    const info = parse(template).VersionOverrides as Node;
    const web = info.WebApplicationInfo as Node;
    assert.equal(web.Id, "{{CLIENT_ID}}");
    assert.equal(web.Resource, "api://{{PUBLIC_HOST}}/{{CLIENT_ID}}");
    assert.ok(((web.Scopes as Node).Scope as string[]).includes("openid"));
  });
});

describe("manifest.xml as the service serves it", () => {
  let product: Product;
  beforeAll(async () => {
    ensureAddinBuilt();
    const database = await openTestDatabase();
    product = await listenProduct(loadConfig({ PORT: "0", LOG_LEVEL: "silent", DEV_HOSTS: "false" }), {
      database,
    });
  });
  afterAll(async () => {
    await product?.stop();
  });

  test("without the Outlook dev host the pages load Microsoft's Office.js and no shim is served", async () => {
    for (const page of ["/addin/index.html", "/addin/commands.html", "/addin/"]) {
      const html = await (await fetch(`${product.url}${page}`)).text();
      assert.ok(html.includes(`<script src="${OFFICE_JS_CDN_URL}"></script>`), page);
      assert.ok(!html.includes(OFFICE_SHIM_PATH), page);
    }
    assert.equal((await fetch(`${product.url}${OFFICE_SHIM_PATH}`)).status, 404);
    assert.equal((await fetch(`${product.url}/dev/outlook`)).status, 404);
  });

  test("points every URL at the service, and each one answers; icons have their declared sizes", async () => {
    const response = await fetch(`${product.url}/addin/manifest.xml`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/xml/);
    const xml = await response.text();
    assert.equal(XMLValidator.validate(xml), true);
    assert.doesNotMatch(xml, /\{\{/);
    assert.equal(xml, fillManifest(template, { publicUrl: product.url, clientId: CLIENT_ID }));
    const app = parse(xml);
    const web = (app.VersionOverrides as Node).WebApplicationInfo as Node;
    assert.equal(web.Id, CLIENT_ID);
    assert.equal(web.Resource, `api://${new URL(product.url).host}/${CLIENT_ID}`);

    assert.equal((app.AppDomains as Node).AppDomain, product.url);
    const urls = [...new Set(urlsOf(app))];
    assert.ok(urls.length >= 8, `found ${urls.length} URLs`);
    for (const url of urls) {
      assert.equal(new URL(url).origin, product.url, url);
      const res = await fetch(url);
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(res.status, 200, url);
      const size = /icon-(\d+)\.png$/.exec(url)?.[1];
      if (size) {
        const png = PNG.sync.read(body);
        assert.equal(png.width, Number(size), url);
        assert.equal(png.height, Number(size), url);
      }
    }
    const declared: [string, number][] = [
      [String((app.IconUrl as Node)["@DefaultValue"]), 64],
      [String((app.HighResolutionIconUrl as Node)["@DefaultValue"]), 128],
    ];
    for (const [url, size] of declared) assert.ok(url.endsWith(`icon-${size}.png`), url);
  });
});

describe("the add-in in the Teams app package (unified manifest)", () => {
  const filled = readFileSync(path.join(repoRoot, "appPackage", "manifest.json"), "utf8")
    .replaceAll("{{PUBLIC_URL}}", "https://quorum.contoso.com")
    .replaceAll("{{PUBLIC_HOST}}", "quorum.contoso.com")
    .replaceAll("{{CLIENT_ID}}", CLIENT_ID)
    .replaceAll("{{BOT_ID}}", CLIENT_ID);
  const manifest = JSON.parse(filled) as {
    extensions: {
      requirements: { scopes: string[]; capabilities: { name: string; minVersion: string }[] };
      runtimes: { code: { page: string }; actions: { id: string; type: string }[] }[];
      ribbons: {
        contexts: string[];
        tabs: { groups: { controls: { actionId: string; icons: { size: number; url: string }[] }[] }[] }[];
      }[];
    }[];
  };

  test("validates against the bundled Teams schema", async () => {
    const errors = await AppManifestUtils.validateAgainstSchema(
      manifest as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0],
    );
    assert.deepEqual(errors, []);
  });

  test("declares the same task pane, icons and Outlook surfaces as manifest.xml", () => {
    const [extension] = manifest.extensions;
    assert.ok(extension);
    assert.deepEqual(extension.requirements.scopes, ["mail"]);
    assert.deepEqual(extension.requirements.capabilities, [{ name: "Mailbox", minVersion: "1.8" }]);
    const pages = extension.runtimes.map((r) => r.code.page);
    assert.deepEqual(pages, ["https://quorum.contoso.com/addin/index.html"]);
    const actions = new Set(
      extension.runtimes.flatMap((r) => r.actions.filter((a) => a.type === "openPage").map((a) => a.id)),
    );
    const contexts = extension.ribbons.flatMap((r) => r.contexts).sort();
    assert.deepEqual(contexts, [
      "mailCompose",
      "mailRead",
      "meetingDetailsAttendee",
      "meetingDetailsOrganizer",
    ]);
    const xmlImages = new Set(
      findAll(
        parse(fillManifest(template, { publicUrl: "https://quorum.contoso.com", clientId: CLIENT_ID })),
        "bt:Image",
      )
        .map((i) => i["@DefaultValue"])
        .filter(Boolean),
    );
    for (const control of extension.ribbons.flatMap((r) =>
      r.tabs.flatMap((t) => t.groups.flatMap((g) => g.controls)),
    )) {
      assert.ok(actions.has(control.actionId), control.actionId);
      for (const icon of control.icons) assert.ok(xmlImages.has(icon.url), icon.url);
    }
  });
});
