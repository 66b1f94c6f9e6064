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
