import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askRunningService } from "../../src/cli/ask-command.ts";
import { askLocal } from "../../src/local/ask-local.ts";
import { isLoopback } from "../../src/server/loopback.ts";
import { startTestService, type TestService } from "../support/test-service.ts";

let t: TestService;
/** This start's token for the local endpoints, as clg ask reads it. */
const token = () => ({
  "x-clg-token": JSON.parse(readFileSync(join(t.dataDir, "service.json"), "utf8")).token,
});

beforeAll(async () => {
  t = await startTestService({ charts: true });
});
afterAll(async () => {
  await t?.stop();
});

describe("the local service", () => {
  it("GET /healthz: database reachable, migrations current", async () => {
    const res = await fetch(`${t.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ok: true,
      checks: { database: "reachable", migrations: "current" },
    });
  });

  it("the first start posts the digest to the local channel that subscribed to it", () => {
    const growth = t.rt.channelLog.since(0, "growth");
    expect(growth.some((e) => e.message?.summary.startsWith("CLG digest"))).toBe(true);
    expect(t.printed.some((p) => p.includes("#growth") && p.includes("CLG digest"))).toBe(true);
    expect(existsSync(join(t.dataDir, "local-sink", "growth.txt"))).toBe(true);
  });

  it("POST /api/local/ask answers with the message, its text and chart URLs that serve PNGs", async () => {
    const res = await fetch(`${t.base}/api/local/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", ...token() },
      body: JSON.stringify({ text: "activation 28d", channel: "general" }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { text: string; charts: { url: string | null; altText: string }[] };
    expect(body.text).toContain("Activation rate");
    const url = body.charts[0]?.url;
    expect(url).toMatch(/^\/charts\/[a-f0-9]+\.png$/);
    const png = Buffer.from(await (await fetch(`${t.base}${url}`)).arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(t.rt.channelLog.since(0, "general").map((e) => e.author)).toEqual(["user", "bot"]);
  });

  it("bad requests get a clear 400, never a crash", async () => {
    const bad = await fetch(`${t.base}/api/local/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", ...token() },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/JSON/);
    const missing = await fetch(`${t.base}/api/local/ask`, {
      method: "POST",
      headers: { "content-type": "application/json", ...token() },
      body: JSON.stringify({ channel: "x" }),
    });
    expect(missing.status).toBe(400);
    expect((await fetch(`${t.base}/charts/nothing.png`)).status).toBe(404);
  });

  it("GET /metrics speaks Prometheus", async () => {
    const text = await (await fetch(`${t.base}/metrics`)).text();
    expect(text).toContain("clg_commands_total");
    expect(text).toContain("clg_source_polls_total");
    // The outbox's shared numbers, read from the database at scrape time.
    expect(text).toMatch(/clg_outbox_queue_depth\{state="pending"\} \d+/);
    expect(text).toMatch(/clg_outbox_oldest_due_seconds \d+/);
    expect(text).toMatch(/clg_incidents_open \d+/);
    expect(text).toMatch(/clg_deliveries_total\{platform="local",outcome="sent",reason=""\} [1-9]/);
  });

  it("clg ask reaches the running service through its service file and gets the bot's answer", async () => {
    const file = JSON.parse(readFileSync(join(t.dataDir, "service.json"), "utf8"));
    expect(file.port).toBe(t.service.port);
    const viaService = await askRunningService(t.dataDir, "churn by owner", "general");
    const direct = await askLocal(t.rt, { text: "churn by owner", channel: "general", user: "x" });
    expect(viaService?.via).toBe("service");
    expect(viaService?.text).toBe(direct.text);
    expect(viaService?.charts[0]?.png?.subarray(1, 4).toString()).toBe("PNG");
  });

  it("only loopback addresses count as local", () => {
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("::1")).toBe(true);
    expect(isLoopback("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopback("10.0.0.5")).toBe(false);
    expect(isLoopback("::ffff:192.168.1.2")).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});
