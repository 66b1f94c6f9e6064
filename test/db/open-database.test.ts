import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { ClgError } from "../../src/errors.ts";
import { testDatabaseUrl } from "../support/test-db.ts";

async function failure(p: Promise<unknown>): Promise<ClgError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClgError) return e;
    throw e;
  }
  throw new Error("expected a failure");
}

describe("openDatabase", () => {
  it("reports a closed port in one line within 10 s, without the password", async () => {
    const started = performance.now();
    const e = await failure(openDatabase({ url: "postgres://clg:hunter2@127.0.0.1:1/clg" }));
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(e.code).toBe("clg_db_unreachable");
    expect(e.message).toBe(
      "Cannot reach PostgreSQL at 127.0.0.1:1 (connection refused). Is the server running? Check DATABASE_URL.",
    );
    expect(e.message).not.toContain("hunter2");
  });

  it("refuses a password with an unencoded @ and / instead of taking part of it for the host", async () => {
    const e = await failure(openDatabase({ url: "postgres://clg:hun@ter/2@127.0.0.1:1/clg" }));
    expect(e.code).toBe("clg_config_invalid");
    expect(e.message).toBe(
      'DATABASE_URL has an "@" after its host, so its password holds characters that must be percent-encoded.',
    );
    expect(e.hint).toContain("write @ as %40");
  });

  it("rejects a URL that is not postgres://", async () => {
    const e = await failure(openDatabase({ url: "mysql://x@y/z" }));
    expect(e.code).toBe("clg_config_invalid");
  });

  it.runIf(testDatabaseUrl())("names a missing database", async () => {
    const url = new URL(testDatabaseUrl() ?? "");
    url.pathname = "/clg_no_such_database";
    const e = await failure(openDatabase({ url: url.toString() }));
    expect(e.message).toMatch(/has no database "clg_no_such_database"/);
  });

  it.runIf(testDatabaseUrl())("names a missing user", async () => {
    const url = new URL(testDatabaseUrl() ?? "");
    url.username = "clg_no_such_user";
    const e = await failure(openDatabase({ url: url.toString() }));
    expect(e.message).toMatch(/refused user "clg_no_such_user"/);
  });

  it("opens a PGlite folder once, refuses a second opener, and reopens after close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clg-db-"));
    try {
      const a = await openDatabase({ dataDir: dir });
      await sql`create table t (x int)`.execute(a.db);
      const e = await failure(openDatabase({ dataDir: dir }));
      expect(e.code).toBe("clg_db_unreachable");
      expect(e.message).toMatch(/in use by another clg process/);
      await a.close();
      const b = await openDatabase({ dataDir: dir });
      expect(b.kind).toBe("pglite");
      await sql`insert into t values (1)`.execute(b.db);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
