import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withRetry } from "../../../src/connectors/common/retry.ts";
import { withTimeout } from "../../../src/connectors/common/timeout.ts";
import { backoffMs, retryAfterMs } from "../../../src/retry-timing.ts";

let server: Server;
let base = "";
const script: { status: number; headers?: Record<string, string> }[] = [];
let calls = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    calls++;
    const next = script.shift() ?? { status: 200 };
    res.writeHead(next.status, { "content-type": "application/json", ...next.headers });
    res.end(JSON.stringify({ status: next.status }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("withRetry", () => {
  it("waits as Retry-After says on 429, backs off with jitter on 503, then returns the good answer", async () => {
    calls = 0;
    script.push({ status: 429, headers: { "retry-after": "2" } }, { status: 503 });
    const waits: number[] = [];
    const r = await withRetry(() => fetch(base), {
      what: "Test API",
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0.5,
    });
    expect(r.status).toBe(200);
    expect(calls).toBe(3);
    expect(waits).toEqual([2000, 750]); // Retry-After, then the second step (2 x 500 ms): half fixed, half random
  });

  it("gives the last answer back after the attempts run out, so the caller can read its error body", async () => {
    script.push({ status: 500 }, { status: 500 });
    const r = await withRetry(() => fetch(base), { what: "Test API", attempts: 2, sleep: async () => {} });
    expect(r.status).toBe(500);
  });

  it("does not wait out a long Retry-After: it says the quota is reached and how long to wait", async () => {
    script.push({ status: 429, headers: { "retry-after": "3600" } });
    await expect(withRetry(() => fetch(base), { what: "Test API", sleep: async () => {} })).rejects.toThrow(
      "Test API answered 429 (rate limit or quota reached) and asks to wait 3600 s",
    );
  });

  it("names the network failure after retrying it", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(
      withRetry(() => fetch(`http://127.0.0.1:${port}/`), {
        what: "Test API",
        attempts: 2,
        sleep: async () => {},
      }),
    ).rejects.toThrow(/Test API could not be reached after 2 tries: .*ECONNREFUSED/);
  });

  it("reads Retry-After as seconds or a date, and caps the backoff", () => {
    expect(retryAfterMs("7")).toBe(7000);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(
      10_000,
    );
    expect(retryAfterMs("soon")).toBeNull();
    expect(backoffMs(10, 500, 20_000, () => 0.999)).toBeLessThan(20_000);
  });
});

describe("withTimeout", () => {
  it("stops a poll that takes too long and aborts its signal", async () => {
    let aborted = false;
    await expect(
      withTimeout(50, "slow", (signal) => {
        signal.addEventListener("abort", () => {
          aborted = true;
        });
        return new Promise(() => {});
      }),
    ).rejects.toThrow('Source "slow" did not finish its poll within 0 s');
    expect(aborted).toBe(true);
  });
});
