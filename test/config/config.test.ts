import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import { ClgError } from "../../src/errors.ts";

const fails = (env: Record<string, string>): ClgError => {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ClgError) return e;
    throw e;
  }
  throw new Error("expected the environment to be refused");
};

describe("parseConfig", () => {
  it("runs on nothing: PGlite under .clg-data, port 3000, the local workspace", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      databaseUrl: null,
      dataDir: ".clg-data",
      port: 3000,
      workspace: "local",
      demo: "auto",
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("treats empty variables as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", PORT: " " }).port).toBe(3000);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT", 'got "eighty"'],
    [{ PORT: "70000" }, "PORT", "at most 65535"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL", "postgres://"],
    [{ CLG_DEMO: "maybe" }, "CLG_DEMO", 'got "maybe"'],
    [{ PUBLIC_URL: "not a url" }, "PUBLIC_URL", ""],
  ])("names the variable and the problem: %o", (env, name, detail) => {
    const e = fails(env);
    expect(e.code).toBe("clg_config_invalid");
    expect(e.message).toContain(name);
    expect(e.message).toContain(detail);
  });

  it("never echoes a secret's value", () => {
    const e = fails({ CLG_SECRET_KEY: "short", DATABASE_URL: "mysql://user:hunter2@x" });
    expect(e.message).toContain("CLG_SECRET_KEY");
    expect(e.message).not.toContain("short");
    expect(e.message).not.toContain("hunter2");
  });

  it("splits the admin list", () => {
    expect(parseConfig({ CLG_ADMINS: "U1, U2,," }).admins).toEqual(["U1", "U2"]);
  });
});

describe("Slack settings", () => {
  it("are off unless set, and on with a bot token and a way in (HTTP or Socket Mode)", () => {
    expect(parseConfig({}).slack).toBeNull();
    const http = parseConfig({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      SLACK_ADMINS: "U1, U2",
      SLACK_API_URL: "http://127.0.0.1:9/api",
    }).slack;
    expect(http).toEqual({
      signingSecret: "s",
      botToken: "xoxb-1",
      appToken: null,
      apiUrl: "http://127.0.0.1:9/api/",
      admins: ["U1", "U2"],
    });
    expect(parseConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).slack).toMatchObject({
      appToken: "xapp-1",
      signingSecret: null,
      apiUrl: "https://slack.com/api/",
    });
  });

  it("half a configuration is refused by the name of what is missing", () => {
    expect(fails({ SLACK_BOT_TOKEN: "xoxb-1" }).message).toContain("SLACK_SIGNING_SECRET");
    expect(fails({ SLACK_SIGNING_SECRET: "s" }).message).toContain("SLACK_BOT_TOKEN");
  });
});
