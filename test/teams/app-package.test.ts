import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { unzipSync } from "fflate";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { GRAMMAR } from "../../src/commands/grammar.ts";
import { buildTeamsPackage, fillManifest, PACKAGE_FILES } from "../../src/teams/app-package.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const BOT = "0f8fad5b-d9cb-469f-a165-70867728950e";
const env = { MicrosoftAppId: BOT, PUBLIC_URL: "https://clg.example.com/" };
const build = (e: Record<string, string | undefined> = env) =>
  unzipSync(buildTeamsPackage({ folder: join(ROOT, "teams"), version: "0.1.0", env: e }));

/**
 * Microsoft's published schema for the manifest's version, as bundled in `@microsoft/app-manifest` (only its
 * JSON is used). One pattern in it uses `\a`, which JavaScript regular expressions reject; Microsoft's own
 * validator swaps it for `\x07` the same way.
 */
function manifestSchemaValidator(version: string) {
  const file = join(
    ROOT,
    `node_modules/@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
  );
  const schema = JSON.parse(readFileSync(file, "utf8").replace(/\\a/g, "\\x07"));
  // Both packages are CommonJS that also export themselves as `default`: that works for types and at run time.
  const ajv = new AjvDraft04.default({ allErrors: true, strictTypes: false });
  ajvFormats.default(ajv, ["uri", "email", "regex"]);
  return ajv.compile(schema);
}

describe("Teams app package", () => {
  it("its manifest is valid against Microsoft's schema for its version (and the check can fail)", () => {
    const manifest = JSON.parse(new TextDecoder().decode(build()["manifest.json"]));
    const validate = manifestSchemaValidator(manifest.manifestVersion);
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    const broken = { ...manifest, bots: [{ ...manifest.bots[0], scopes: ["everyone"] }] };
    expect(validate(broken)).toBe(false);
  });

  it("holds the filled manifest and the two icons, at the root of the zip", async () => {
    const files = build();
    expect(Object.keys(files).sort()).toEqual([...PACKAGE_FILES].sort());
    const manifest = JSON.parse(new TextDecoder().decode(files["manifest.json"]));
    expect(manifest.$schema).toMatch(/teams\/v1\.(19|2\d)\/MicrosoftTeams\.schema\.json$/);
    expect(manifest.manifestVersion).toMatch(/^1\.(19|2\d)$/);
    expect(manifest.id).toBe(BOT);
    expect(manifest.version).toBe("0.1.0");
    expect(manifest.bots[0].botId).toBe(BOT);
    expect(manifest.bots[0].scopes).toEqual(["personal", "team", "groupChat"]);
    expect(manifest.validDomains).toEqual(["clg.example.com"]);
    expect(manifest.developer.websiteUrl).toBe("https://clg.example.com/");
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(JSON.stringify(manifest)).not.toMatch(/\$\{\{/);

    const color = await sharp(Buffer.from(files["color.png"] as Uint8Array)).metadata();
    expect([color.format, color.width, color.height]).toEqual(["png", 192, 192]);
    const outline = sharp(Buffer.from(files["outline.png"] as Uint8Array));
    const meta = await outline.metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 32, 32]);
    // Outline icons are white on transparent: every visible pixel white, and some fully transparent.
    const { data, info } = await outline.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    let transparent = 0;
    for (let i = 0; i < data.length; i += info.channels) {
      if (data[i + 3] === 0) transparent++;
      else expect([data[i], data[i + 1], data[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(transparent).toBeGreaterThan(100);
    expect(transparent).toBeLessThan(32 * 32);
  });

  it("its command list shows the main commands, each one the grammar knows, at most 10, titles short", () => {
    const manifest = JSON.parse(new TextDecoder().decode(build()["manifest.json"]));
    const lists = manifest.bots[0].commandLists as {
      scopes: string[];
      commands: { title: string; description: string }[];
    }[];
    const titles = lists.flatMap((l) => l.commands.map((c) => c.title));
    expect(titles).toEqual(
      expect.arrayContaining(["activation", "board", "digest", "help", "sources", "subscribe"]),
    );
    const topics = new Set(GRAMMAR.map((g) => g.topic));
    for (const t of titles) expect(topics.has(t) || t === "activation", t).toBe(true);
    for (const l of lists) expect(l.commands.length).toBeLessThanOrEqual(10);
    for (const c of lists.flatMap((l) => l.commands)) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
  });

  it("refuses to build without a GUID bot id or an HTTPS PUBLIC_URL, naming what is wrong", () => {
    expect(() => build({ PUBLIC_URL: env.PUBLIC_URL })).toThrow(/MicrosoftAppId/);
    expect(() => build({ ...env, MicrosoftAppId: "my-bot" })).toThrow(/MicrosoftAppId: must be a GUID/);
    expect(() => build({ ...env, PUBLIC_URL: "http://clg.example.com" })).toThrow(
      /PUBLIC_URL: must start with https/,
    );
    const placeholder = (name: string) => `{"a":"$\{{${name}}}"}`;
    expect(() => fillManifest(placeholder("NOPE"), {})).toThrow(/needs a value for NOPE/);
    // A value can never break out of its JSON string.
    expect(JSON.parse(fillManifest(placeholder("X"), { X: 'x", "b": "y' }))).toEqual({ a: 'x", "b": "y' });
  });

  it("npm run teams:package writes dist/clg-bot-teams.zip", () => {
    execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/teams-package.ts")], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: "pipe",
    });
    const zip = join(ROOT, "dist/clg-bot-teams.zip");
    expect(existsSync(zip)).toBe(true);
    expect(Object.keys(unzipSync(readFileSync(zip))).sort()).toEqual([...PACKAGE_FILES].sort());
  });
});
