import { createHmac } from "node:crypto";
import { createInterface } from "node:readline";
import { startSlackApiStandIn } from "../test/support/slack-api-stand-in.ts";

/**
 * The Slack side of the Slack bench, in its own process so its work never sits on the service's event
 * loop: the Web API stand-in (uploads, response_url) and the people sending signed `/clg` requests.
 * Prints `{"apiUrl"}`, reads one line `{"base","secret","users","perUser","text"}`, runs, prints results.
 */
interface Timing {
  ackMs: number;
  fullMs: number;
  image: boolean;
  /** Which of the person's requests it was (0 = the first, sent by everyone in the same instant). */
  round?: number;
}

const api = await startSlackApiStandIn();
process.stdout.write(`${JSON.stringify({ apiUrl: api.apiUrl })}\n`);
const lines = createInterface({ input: process.stdin });
const job = JSON.parse(await new Promise<string>((resolve) => lines.once("line", resolve))) as {
  base: string;
  secret: string;
  users: number;
  perUser: number;
  text: string;
};

/** The response_url posts seen so far by path, read from the stand-in's log once each, not on every poll. */
const answers = new Map<string, (typeof api.calls)[number]>();
let scanned = 0;
function answerAt(path: string) {
  for (; scanned < api.calls.length; scanned++) {
    const call = api.calls[scanned];
    if (call?.method === "response_url") answers.set(call.path, call);
  }
  return answers.get(path);
}

let next = 0;
async function ask(user: string): Promise<Timing> {
  const id = `q${next++}`;
  const body = new URLSearchParams({
    team_id: "TBENCH",
    channel_id: "C1",
    user_id: user,
    command: "/clg",
    text: job.text,
    response_url: api.responseUrl(id),
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", job.secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  const started = Date.now();
  const res = await fetch(`${job.base}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": signature,
    },
    body,
  });
  await res.arrayBuffer();
  const ackMs = Date.now() - started;
  if (res.status !== 200) throw new Error(`answered ${res.status}`);
  for (;;) {
    const answer = answerAt(`/response/${id}`);
    if (answer) {
      const image = JSON.stringify(answer.params.blocks ?? []).includes('"slack_file"');
      return { ackMs, fullMs: answer.at - started, image };
    }
    if (Date.now() - started > 30_000) throw new Error(`no answer to ${id} within 30 s`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const cold = await ask("U0");
for (let i = 0; i < 3; i++) await ask("U0");
const alone: Timing[] = [];
for (let i = 0; i < 10; i++) alone.push(await ask("U0"));
const together: Timing[] = [];
const wall = Date.now();
await Promise.all(
  Array.from({ length: job.users }, async (_, u) => {
    for (let i = 0; i < job.perUser; i++) together.push({ ...(await ask(`U${u + 1}`)), round: i });
  }),
);
const seconds = (Date.now() - wall) / 1000;
const cpu = process.cpuUsage();
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(`${JSON.stringify({ cold, alone, together, seconds, cpuMs })}\n`);
await api.close();
process.exit(0);
