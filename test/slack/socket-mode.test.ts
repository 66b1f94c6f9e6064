import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { fixedClock } from "../../src/app/clock.ts";
import { createRuntime, type LocalRuntime } from "../../src/compose/runtime.ts";
import { type RunningService, startService } from "../../src/compose/service.ts";
import { parseConfig } from "../../src/config/config.ts";
import { createLogger } from "../../src/logging/create-logger.ts";
import { type SlackApiStandIn, startSlackApiStandIn } from "../support/slack-api-stand-in.ts";
import { openTestDb } from "../support/test-db.ts";
import { TEST_NOW } from "../support/test-runtime.ts";
import { responsesTo, waitUntil } from "./slack-fixture.ts";

/**
 * Socket Mode against local stand-ins: apps.connections.open (answered by the Web API stand-in with the
 * app token) hands out the address of a local WebSocket server, which says hello and then sends a
 * slash command envelope, as Slack does; the app acks the envelope and answers through response_url.
 */
let api: SlackApiStandIn;
let wss: WebSocketServer;
let rt: LocalRuntime;
let service: RunningService;
let dataDir: string;
const sockets: WebSocket[] = [];
const received: Record<string, unknown>[] = [];

beforeAll(async () => {
  api = await startSlackApiStandIn();
  wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  wss.on("connection", (socket) => {
    sockets.push(socket);
    socket.on("message", (data) => received.push(JSON.parse(String(data))));
    socket.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A1" } }));
  });
  const address = wss.address();
  api.setSocketUrl(`ws://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/link`);
  dataDir = mkdtempSync(join(tmpdir(), "clg-socket-"));
  const config = parseConfig({
    CLG_DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    SLACK_APP_TOKEN: "xapp-test",
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_API_URL: api.apiUrl,
  });
  rt = createRuntime(config, await openTestDb(), {
    clock: fixedClock(TEST_NOW),
    logger: createLogger("silent"),
    print: null,
    charts: false,
    sinkFolder: null,
  });
  service = await startService(rt);
  await service.ready;
}, 60_000);

afterAll(async () => {
  await service?.stop();
  await rt?.close();
  for (const s of sockets) s.terminate();
  await new Promise((resolve) => wss?.close(resolve));
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("Socket Mode (SLACK_APP_TOKEN)", () => {
  it("opens the connection with the app token and answers a slash command sent over it", async () => {
    const [open] = api.callsOf("apps.connections.open");
    expect(open?.token).toBe("xapp-test");
    const socket = await waitUntil(() => sockets[0]);
    socket.send(
      JSON.stringify({
        envelope_id: "env-1",
        type: "slash_commands",
        accepts_response_payload: true,
        payload: {
          token: "unused",
          team_id: "T1",
          team_domain: "acme",
          channel_id: "C1",
          channel_name: "growth",
          user_id: "U1",
          user_name: "dana",
          command: "/clg",
          text: "activation 28d",
          response_url: api.responseUrl("sock"),
          trigger_id: "1.2.3",
        },
      }),
    );
    // The ack goes back over the socket, then the answer arrives through response_url.
    const ack = await waitUntil(() => received.find((m) => m.envelope_id === "env-1"));
    expect(ack).toBeDefined();
    const [answer] = await waitUntil(() => responsesTo(api, "sock").length > 0 && responsesTo(api, "sock"));
    expect(answer?.params.response_type).toBe("ephemeral");
    expect(String(answer?.params.text)).toMatch(/Activation/);
  });

  it("has no public route: /slack/events is not served", async () => {
    const res = await fetch(`http://127.0.0.1:${service.port}/slack/events`, { method: "POST", body: "x" });
    expect(res.status).toBe(404);
  });
});
