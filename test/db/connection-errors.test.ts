import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unreachableError } from "../../src/db/connection-errors.ts";
import { openDatabase } from "../../src/db/database.ts";
import { describePgUrl } from "../../src/db/redact-url.ts";
import { ClgError } from "../../src/errors.ts";
import { redactUrlPasswords } from "../../src/redact.ts";

const target = describePgUrl("postgres://app:s3cret@db.internal:6543/metrics");
if (!target) throw new Error("bad test URL");
const coded = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("unreachableError", () => {
  it.each([
    [
      "refused",
      coded("ECONNREFUSED"),
      "Cannot reach PostgreSQL at db.internal:6543 (connection refused). Is the server running? Check DATABASE_URL.",
    ],
    [
      "refused on both addresses",
      new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")]),
      "Cannot reach PostgreSQL at db.internal:6543 (connection refused). Is the server running? Check DATABASE_URL.",
    ],
    [
      "unknown host",
      coded("ENOTFOUND"),
      'Cannot reach PostgreSQL at db.internal:6543 (host "db.internal" not found). Check the host name in DATABASE_URL.',
    ],
    [
      "timeout",
      new Error("timeout expired"),
      "Cannot reach PostgreSQL at db.internal:6543 (no answer within 10 s). Check the host, port and firewall in DATABASE_URL.",
    ],
    [
      "wrong password",
      coded("28P01", 'password authentication failed for user "app"'),
      'PostgreSQL at db.internal:6543 rejected the password for user "app". Check the credentials in DATABASE_URL.',
    ],
    [
      "missing database",
      coded("3D000"),
      'PostgreSQL at db.internal:6543 has no database "metrics". Create it (createdb metrics) or fix DATABASE_URL.',
    ],
    [
      "other error quoting the URL",
      new Error("failed for postgres://app:s3cret@db.internal:6543/metrics"),
      "Cannot connect to PostgreSQL at db.internal:6543: failed for postgres://app:***@db.internal:6543/metrics. Check DATABASE_URL.",
    ],
  ])("maps %s to one line", (_name, error, expected) => {
    const e = unreachableError(error, target, 10_000);
    expect(e.code).toBe("clg_db_unreachable");
    expect(e.message).toBe(expected);
    expect(e.message).not.toContain("s3cret");
    expect(e.message).not.toContain("\n");
  });

  it("redacts passwords and keeps the rest of a URL", () => {
    expect(target.redacted).toBe("postgres://app:***@db.internal:6543/metrics");
    expect(redactUrlPasswords("see postgresql://u:p%40ss@h/db")).toBe("see postgresql://u:***@h/db");
  });
});

describe("openDatabase against servers that misbehave", () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  const listen = async (onConnect: (s: Socket) => void): Promise<number> => {
    const server = createServer((s) => {
      sockets.push(s);
      onConnect(s);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return (server.address() as { port: number }).port;
  };
  let silent = 0;
  let hangUp = 0;
  beforeAll(async () => {
    silent = await listen(() => {}); // accepts and never answers
    hangUp = await listen((s) => s.destroy());
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const s of servers) await new Promise((r) => s.close(r));
  });

  it("gives up on a silent server after the connect timeout", async () => {
    const started = performance.now();
    const e = await openDatabase({
      url: `postgres://u:pw@127.0.0.1:${silent}/db`,
      connectTimeoutMs: 500,
    }).catch((x) => x);
    expect(e).toBeInstanceOf(ClgError);
    expect(e.message).toBe(
      `Cannot reach PostgreSQL at 127.0.0.1:${silent} (no answer within 0.5 s). Check the host, port and firewall in DATABASE_URL.`,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("explains a server that hangs up", async () => {
    const e = await openDatabase({ url: `postgres://u:pw@127.0.0.1:${hangUp}/db` }).catch((x) => x);
    expect(e).toBeInstanceOf(ClgError);
    expect(e.code).toBe("clg_db_unreachable");
    expect(e.message).toBe(
      `Cannot reach PostgreSQL at 127.0.0.1:${hangUp} (the server closed the connection). Check that DATABASE_URL points at a PostgreSQL server and whether it needs ?sslmode=require.`,
    );
    expect(e.message).not.toContain("pw@");
  });
});
