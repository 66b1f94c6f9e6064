import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse-command.ts";
import { SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH } from "../../src/slack/oauth.ts";
import {
  SLACK_BOT_EVENTS,
  SLACK_BOT_SCOPE_REASONS,
  SLACK_BOT_SCOPES,
  SLACK_COMMAND,
} from "../../src/slack/slack-features.ts";
import { vocab } from "../commands/vocabulary.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const SLACK_SRC = join(ROOT, "src/slack");

interface Manifest {
  features: {
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean };
    slash_commands: { command: string; url: string; usage_hint?: string; description: string }[];
  };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")) as Manifest;
const sorted = (list: readonly string[]) => [...list].sort();

/** The events the Bolt listeners in src/slack register: `.event("name")`, and DMs through `app.message`. */
function eventsTheCodeHandles(): string[] {
  const handled = new Set<string>();
  for (const file of readdirSync(SLACK_SRC).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(join(SLACK_SRC, file), "utf8");
    for (const m of text.matchAll(/\.event\(\s*["']([a-z_.]+)["']/g)) handled.add(m[1] as string);
    if (/\bapp\.message\(/.test(text)) handled.add("message.im");
  }
  return sorted([...handled]);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const hasBoltApp = existsSync(join(SLACK_SRC, "slack-app.ts"));

describe("manifest.json", () => {
  it("declares the /clg command with a usage hint, on the events URL", () => {
    expect(manifest.features.slash_commands).toHaveLength(1);
    const [clg] = manifest.features.slash_commands;
    expect(clg?.command).toBe(SLACK_COMMAND);
    expect(clg?.usage_hint).toMatch(/help/);
    expect(clg?.url).toBe("https://YOUR_HOST/slack/events");
  });

  it("sends events and interactivity to the one endpoint, and redirects OAuth to our route", () => {
    expect(manifest.settings.event_subscriptions.request_url).toBe("https://YOUR_HOST/slack/events");
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: "https://YOUR_HOST/slack/events",
    });
    expect(manifest.oauth_config.redirect_urls).toEqual([`https://YOUR_HOST${SLACK_REDIRECT_PATH}`]);
    expect(SLACK_INSTALL_PATH).toBe("/slack/install");
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
  });

  it("asks for exactly the bot scopes the features use, each with its reason, and no user scopes", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(SLACK_BOT_SCOPES);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
    for (const scope of SLACK_BOT_SCOPES) expect(SLACK_BOT_SCOPE_REASONS[scope].length).toBeGreaterThan(10);
    // Least privilege: the bot posts only where it was invited, and reads no history it does not need.
    expect(SLACK_BOT_SCOPES).not.toContain("chat:write.public");
    expect(SLACK_BOT_SCOPES).not.toContain("im:write");
  });

  it("subscribes to exactly the bot events the app lists", () => {
    expect(sorted(manifest.settings.event_subscriptions.bot_events)).toEqual(sorted(SLACK_BOT_EVENTS));
  });

  it("every event a Bolt listener registers is in the manifest", () => {
    for (const event of eventsTheCodeHandles()) expect(SLACK_BOT_EVENTS).toContain(event);
  });

  it.skipIf(!hasBoltApp)(
    "every event the manifest lists has a Bolt listener, and the uninstall ones are wired",
    () => {
      expect(eventsTheCodeHandles()).toEqual(sorted(SLACK_BOT_EVENTS));
      const callers = filesUnder(join(ROOT, "src")).filter(
        (f) => !f.endsWith("uninstall.ts") && /\blistenForUninstall\(/.test(readFileSync(f, "utf8")),
      );
      expect(callers, "listenForUninstall(app, rt, store) is called where the Bolt app is built").not.toEqual(
        [],
      );
    },
  );
});

describe("docs/slack.md", () => {
  const doc = readFileSync(join(ROOT, "docs/slack.md"), "utf8");

  it("explains exactly the manifest's scopes, in its order", () => {
    const section = doc.slice(doc.indexOf("## Scopes and why"));
    const rows = [...section.matchAll(/^\| `([a-z_.:]+)` +\|/gm)].map((m) => m[1]);
    expect(rows).toEqual(manifest.oauth_config.scopes.bot);
  });

  it("names every bot event of the manifest", () => {
    for (const event of SLACK_BOT_EVENTS) expect(doc).toContain(`\`${event}\``);
  });

  it("shows /clg examples, and the usage hint's, that the grammar understands", () => {
    const hint = manifest.features.slash_commands[0]?.usage_hint ?? "";
    const examples = [
      ...hint.split("|").map((s) => s.trim()),
      ...[...doc.matchAll(/`\/clg ([^`]+)`/g)].map((m) => m[1] as string),
    ];
    expect(examples.length).toBeGreaterThan(8);
    for (const example of examples) {
      const parsed = parseCommand(example, vocab);
      expect(parsed.ok, `${example}: ${parsed.ok ? "" : parsed.error.message}`).toBe(true);
    }
  });
});
