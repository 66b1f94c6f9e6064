import { describe, expect, it } from "vitest";
import { SOURCE_KINDS } from "../../src/catalog/catalog-schema.ts";
import { availableSourceKinds, connectorFor } from "../../src/connectors/registry.ts";
import { ClgError } from "../../src/errors.ts";

describe("connectorFor", () => {
  it("returns the demo connector for demo sources", () => {
    expect(connectorFor("demo").kind).toBe("demo");
    expect(availableSourceKinds()).toContain("demo");
  });

  it.each(SOURCE_KINDS.filter((k) => !availableSourceKinds().includes(k)))(
    "says the %s connector is not available yet",
    (kind) => {
      let error: unknown;
      try {
        connectorFor(kind);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ClgError);
      expect((error as ClgError).code).toBe("clg_source_failed");
      expect((error as ClgError).message).toContain(`"${kind}"`);
      expect((error as ClgError).message).toContain("not available yet");
    },
  );
});
