import { describe, expect, it } from "vitest";
import { SOURCE_KINDS } from "../../src/catalog/catalog-schema.ts";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { availableSourceKinds, checkSources, connectorFor } from "../../src/connectors/registry.ts";
import { ClgError } from "../../src/errors.ts";

describe("connectorFor", () => {
  it("returns the demo connector for demo sources", () => {
    expect(connectorFor("demo").kind).toBe("demo");
    expect(availableSourceKinds()).toContain("demo");
  });

  it.each(["salesforce"])("says the %s connector is not available yet", (kind) => {
    let error: unknown;
    try {
      connectorFor(kind as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClgError);
    expect((error as ClgError).code).toBe("clg_source_failed");
    expect((error as ClgError).message).toContain(`"${kind}"`);
    expect((error as ClgError).message).toContain("not available yet");
  });
});

describe("the catalog check asks the registry", () => {
  it("has a connector for every kind the catalog accepts", () => {
    expect([...availableSourceKinds()].sort()).toEqual([...SOURCE_KINDS].sort());
  });

  it("refuses a kind without a connector and lists the kinds this version polls", () => {
    const issues = checkSources(
      [{ name: "s1", kind: "salesforce" as never, schedule: "0 * * * *", config: {} }],
      [],
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]?.at).toEqual(["sources", 0, "kind"]);
    expect(issues[0]?.message).toContain(
      'cannot poll sources of kind "salesforce"; it can poll "demo", "sql"',
    );
  });

  it("refuses a SQL source without secret_env, and a KPI statement that writes, before anything is stored", () => {
    const text = `sources:\n  - { name: db, kind: sql, config: { dialect: postgres } }\nkpis:\n  - { slug: k1, name: K1, stage: interest, unit: count, direction: up, aggregation: { kind: count }, source: db, query: { sql: "DELETE FROM t" } }\n`;
    let message = "";
    try {
      parseCatalogText(text, "c.yaml");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("sources[0].secret_env: a sql source needs its credentials");
    expect(message).toMatch(/kpis\[0\]\.query: .*only SELECT/);
  });

  it("refuses an unknown config field and an unknown demo series", () => {
    const text = `sources:\n  - { name: d, kind: demo, config: { seeed: 3 } }\nkpis:\n  - { slug: k1, name: K1, stage: interest, unit: count, direction: up, aggregation: { kind: count }, source: d, query: { series: nope } }\n`;
    expect(() => parseCatalogText(text, "c.yaml")).toThrow(/sources\[0\]\.config\.seeed: unknown field/);
    expect(() => parseCatalogText(text, "c.yaml")).toThrow(/kpis\[0\]\.query\.series: .*"nope"/);
  });
});

describe("credentials never written into the catalog", () => {
  it("refuses a password in a URL, a token parameter and a key's shape, without repeating them", () => {
    const catalog = `sources:
  - name: sheet
    kind: http_csv
    config: { url: "https://reader:hunter2pass@data.example.com/x.csv", format: csv }
  - name: hook
    kind: http_csv
    config: { url: "https://data.example.com/x.json?from={since}&access_token=abc123def456", format: json }
  - name: billing
    kind: stripe
    secret_env: STRIPE_KEY
    config: { currency: usd, api_base: "https://api.stripe.com/?key=sk_live_51Habcdefghijkl4242" }
kpis:
  - { slug: answers, name: Answers, stage: customer_success, unit: count, direction: up, aggregation: { kind: count }, source: sheet, query: { url: "https://data.example.com/y.csv?token=zzzzzzzz" } }
`;
    let error: unknown;
    try {
      parseCatalogText(catalog, "catalog.yaml");
    } catch (e) {
      error = e;
    }
    const text = String((error as Error).message);
    expect(text).toContain("sources[0].config.url");
    expect(text).toContain("holds a password in the URL");
    expect(text).toContain(`sources[1].config.url`);
    expect(text).toContain(`holds a credential in the URL's "access_token" parameter`);
    expect(text).toContain("sources[2].config.api_base");
    expect(text).toContain("holds a Stripe API key");
    expect(text).toContain(`kpis[0].query.url`);
    for (const secret of ["hunter2pass", "abc123def456", "sk_live_51H", "zzzzzzzz"])
      expect(text).not.toContain(secret);
  });

  it("accepts a published sheet and templated days", () => {
    expect(
      checkSources(
        [
          {
            name: "s",
            kind: "http_csv",
            schedule: "0 * * * *",
            config: {
              url: "https://docs.google.com/spreadsheets/d/e/2PACX-x/pub?output=csv&from={since}",
              format: "csv",
            },
          },
        ],
        [],
      ),
    ).toEqual([]);
  });
});
