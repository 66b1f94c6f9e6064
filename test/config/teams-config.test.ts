import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import { ClgError } from "../../src/errors.ts";
import { authConfigOf } from "../../src/teams/teams-adapter.ts";

const refusal = (env: Record<string, string>): string => {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ClgError) return e.message;
    throw e;
  }
  throw new Error("expected the environment to be refused");
};

const APP = { MicrosoftAppId: "app-1", MicrosoftAppTenantId: "tenant-1" };

describe("Teams configuration", () => {
  it("is off by default: no client id, not local", () => {
    expect(parseConfig({}).teams).toMatchObject({ clientId: null, local: false, authType: "SingleTenant" });
  });

  it("SingleTenant with a secret, certificate, or a user-assigned managed identity", () => {
    const secret = parseConfig({ ...APP, MicrosoftAppPassword: "s3cret" }).teams;
    expect(authConfigOf(secret)).toMatchObject({
      clientId: "app-1",
      tenantId: "tenant-1",
      authType: "ClientSecret",
    });
    const cert = parseConfig({ ...APP, TEAMS_CERT_PEM_FILE: "/c.pem", TEAMS_CERT_KEY_FILE: "/k.pem" }).teams;
    expect(authConfigOf(cert)).toMatchObject({ authType: "Certificate", certPemFile: "/c.pem" });
    const msi = parseConfig({ ...APP, MicrosoftAppType: "UserAssignedMSI" }).teams;
    expect(authConfigOf(msi)).toMatchObject({ authType: "UserManagedIdentity", clientId: "app-1" });
    expect(authConfigOf(parseConfig({ TEAMS_LOCAL: "on" }).teams)).toEqual({});
  });

  it("reads the trusted hosts and the admins as lists", () => {
    const t = parseConfig({
      TEAMS_TRUSTED_SERVICE_URLS: "https://a.example/, b.example",
      TEAMS_ADMINS: "u1, u2",
    }).teams;
    expect(t.trustedServiceHosts).toEqual(["https://a.example/", "b.example"]);
    expect(t.admins).toEqual(["u1", "u2"]);
  });

  it.each([
    [{ MicrosoftAppId: "app-1", MicrosoftAppPassword: "s" }, /MicrosoftAppTenantId: must be set/],
    [APP, /SingleTenant needs a client secret/],
    [{ ...APP, TEAMS_CERT_PEM_FILE: "/c.pem" }, /go together/],
    [
      { ...APP, MicrosoftAppPassword: "s", MicrosoftAppType: "MultiTenant" },
      /SingleTenant or UserAssignedMSI/,
    ],
    [{ TEAMS_LOCAL: "yes" }, /TEAMS_LOCAL/],
  ])("refuses %o", (env, message) => {
    expect(refusal(env as Record<string, string>)).toMatch(message);
  });
});
