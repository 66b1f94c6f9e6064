import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { getSource, openSourceSecret } from "../../src/db/sources-repository.ts";
import { maskSecret } from "../../src/redact.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

const KEY = "source secrets test key";
const SERVICE_ACCOUNT = JSON.stringify({
  type: "service_account",
  client_email: "reader@p.iam.gserviceaccount.com",
  private_key: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
});
const catalog = parseCatalogText(
  `sources:
  - { name: web, kind: ga4, config: { property_id: "123" }, secret_env: GA4_KEY }
  - { name: billing, kind: stripe, secret_env: STRIPE_KEY }
kpis:
  - { slug: visitors, name: Visitors, stage: interest, unit: count, direction: up, aggregation: { kind: count }, source: web, query: { metric: newUsers } }
  - { slug: mrr, name: MRR, stage: value_growth, unit: currency, direction: up, aggregation: { kind: latest }, source: billing, query: { metric: mrr } }
`,
  "c.yaml",
);
const apply = (ws: string, env: Record<string, string>, secretKey: string | null = KEY) =>
  applyCatalog(t.db, {
    workspace: ws,
    catalog,
    actor: "test",
    secrets: (n) => env[n],
    ...(secretKey ? { secretKey } : {}),
    now: new Date("2026-11-01T00:00:00Z"),
  });

describe("structured, encrypted source secrets", () => {
  it("stores a service-account JSON and a Stripe key encrypted, and opens them again", async () => {
    await apply("w1", { GA4_KEY: SERVICE_ACCOUNT, STRIPE_KEY: "rk_live_51Habcdefghijkl4242" });
    const web = await getSource(t.db, "w1", "web");
    expect(web?.secret_ciphertext).not.toContain("service_account");
    expect(JSON.parse(openSourceSecret(web as NonNullable<typeof web>, KEY) ?? "").client_email).toBe(
      "reader@p.iam.gserviceaccount.com",
    );
  });

  it("refuses credentials of the wrong shape without repeating them, and writes nothing", async () => {
    const e = await apply("w2", {
      GA4_KEY: "AIzaSyNotAServiceAccount",
      STRIPE_KEY: "pk_live_publishable0009",
    }).catch((x: Error) => x);
    const message = (e as Error).message;
    expect(message).toContain("GA4_KEY is not a service-account JSON key");
    expect(message).toContain("STRIPE_KEY is not a Stripe secret or restricted key");
    expect(message).not.toContain("AIzaSyNotAServiceAccount");
    expect(message).not.toContain("publishable");
    expect(await getSource(t.db, "w2", "web")).toBeUndefined();
  });

  it("refuses a source with a secret when CLG_SECRET_KEY is missing, naming the command that makes one", async () => {
    await expect(
      apply("w3", { GA4_KEY: SERVICE_ACCOUNT, STRIPE_KEY: "rk_live_51Habcdefghijkl4242" }, null),
    ).rejects.toThrow(expect.objectContaining({ hint: expect.stringContaining("openssl rand -base64 32") }));
  });

  it("masks a secret to its prefix and last four characters", () => {
    expect(maskSecret("sk_live_51Habcdefghijkl4242")).toBe("sk_live_...4242");
    expect(maskSecret("rk_test_abcdefghijkl9999")).toBe("rk_test_...9999");
    expect(maskSecret("short")).toBe("(5 characters)");
  });
});
