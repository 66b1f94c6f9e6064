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
