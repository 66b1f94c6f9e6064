import { startChatStandIn } from "../test/support/chat-stand-in.ts";

/** The chat stand-in in its own process, so the bench's CPU figure is the service's alone. */
const standIn = await startChatStandIn({ minGapMs: 1_000 });
process.stdout.write(`${standIn.url}\n`);
process.on("SIGTERM", () => void standIn.close().then(() => process.exit(0)));
