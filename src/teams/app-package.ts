import { readFileSync } from "node:fs";
import { join } from "node:path";
import { zipSync } from "fflate";
import { z } from "zod";

/** The files of the Teams app package, as Teams expects them: at the root of the zip. */
export const PACKAGE_FILES = ["manifest.json", "color.png", "outline.png"] as const;

const guid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "must be a GUID (the Entra app's client id)",
  );

const packageEnv = z.object({
  MicrosoftAppId: guid,
  /** The Teams app's own id; the bot's id unless told. */
  TEAMS_APP_ID: z.preprocess((v) => (v === "" ? undefined : v), guid.optional()),
  PUBLIC_URL: z.url().refine((u) => u.startsWith("https://"), "must start with https://"),
});

export interface PackageInputs {
  /** The folder with manifest.json (placeholders `${{NAME}}`), color.png and outline.png. */
  folder: string;
  /** The version of the app (package.json's), written into the manifest. */
  version: string;
  env: Record<string, string | undefined>;
}

/** The manifest with every `${{NAME}}` placeholder filled; throws naming any variable that is missing. */
export function fillManifest(template: string, values: Record<string, string>): string {
  const missing = new Set<string>();
  const filled = template.replace(/\$\{\{([A-Za-z0-9_]+)\}\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) {
      missing.add(name);
      return "";
    }
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) throw new Error(`teams/manifest.json needs a value for ${[...missing].join(", ")}`);
  return filled;
}

/**
 * The zip to upload to Teams (Developer Portal, Teams admin center, or "Upload a custom app"):
 * manifest.json with the bot's id and the service's host filled in, and the two icons.
 */
export function buildTeamsPackage(inputs: PackageInputs): Uint8Array {
  const parsed = packageEnv.safeParse(inputs.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new Error(`Cannot build the Teams package:\n  ${lines.join("\n  ")}`);
  }
  const env = parsed.data;
  const publicUrl = env.PUBLIC_URL.replace(/\/+$/, "");
  const manifest = fillManifest(readFileSync(join(inputs.folder, "manifest.json"), "utf8"), {
    APP_VERSION: inputs.version,
    TEAMS_APP_ID: (env.TEAMS_APP_ID ?? env.MicrosoftAppId).toLowerCase(),
    MicrosoftAppId: env.MicrosoftAppId.toLowerCase(),
    PUBLIC_URL: publicUrl,
    PUBLIC_HOST: new URL(publicUrl).host,
  });
  JSON.parse(manifest); // a filled value can never break the JSON, but the file itself may have
  return zipSync(
    {
      "manifest.json": new TextEncoder().encode(manifest),
      "color.png": readFileSync(join(inputs.folder, "color.png")),
      "outline.png": readFileSync(join(inputs.folder, "outline.png")),
    },
    { level: 9, mtime: new Date("2026-01-01T00:00:00Z") },
  );
}
