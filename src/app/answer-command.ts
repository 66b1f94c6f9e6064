import { randomUUID } from "node:crypto";
import type { Command } from "../commands/command.ts";
import { helpMessage } from "../commands/help.ts";
import { parseCommand } from "../commands/parse-command.ts";
import { ClgError, isClgError } from "../errors.ts";
import type { Message } from "../messages/message.ts";
import { renderErrorMessage } from "../messages/render-error.ts";
import { answerSnooze, answerThreshold } from "./answers/admin-answers.ts";
import type { AnswerDeps, Asker } from "./answers/answer-context.ts";
import { composeDigest } from "./answers/digest-answer.ts";
import { answerAck } from "./answers/incident-answers.ts";
import { answerKpi } from "./answers/kpi-answer.ts";
import { kpiForTopic, kpiHelp } from "./answers/kpi-help.ts";
import { answerBoard, answerList, answerStage } from "./answers/overview-answers.ts";
import { answerBreakdown, answerSegment } from "./answers/segment-answers.ts";
import { answerSources } from "./answers/sources-answer.ts";
import {
  answerSubscribeAlerts,
  answerSubscribeDigest,
  answerUnsubscribe,
} from "./answers/subscription-answers.ts";
import type { Metrics } from "./metrics.ts";

/** Every command of the grammar, answered once for every platform. */
export async function answerCommand(deps: AnswerDeps, asker: Asker, command: Command): Promise<Message> {
  switch (command.kind) {
    case "help": {
      const def = command.topic ? kpiForTopic(deps.catalog, command.topic) : null;
      return def ? kpiHelp(def) : helpMessage(command.topic);
    }
    case "list":
      return answerList(deps, asker, command.stage);
    case "kpi":
      if (command.by)
        return answerBreakdown(deps, asker, {
          kpi: command.kpi,
          window: command.window,
          by: command.by,
          segment: command.segment,
          compare: command.compare,
        });
      if (command.segment)
        return answerSegment(deps, asker, {
          kpi: command.kpi,
          window: command.window,
          segment: command.segment,
          compare: command.compare,
        });
      return answerKpi(deps, asker, command);
    case "stage":
      return answerStage(deps, asker, command.stage, command.window);
    case "board":
      return answerBoard(deps, asker, command.window);
    case "digest":
      return composeDigest(deps, asker.locale);
    case "subscribe_digest":
      return answerSubscribeDigest(deps, asker, command.cron, command.timezone);
    case "subscribe_alerts":
      return answerSubscribeAlerts(deps, asker, command.scope, command.segment);
    case "unsubscribe":
      return answerUnsubscribe(deps, asker, command.what, command.scope);
    case "threshold":
      return answerThreshold(deps, asker, command);
    case "snooze":
      return answerSnooze(deps, asker, command);
    case "ack":
      return answerAck(deps, asker, command);
    case "sources":
      return answerSources(deps);
  }
}

/**
 * Text in, message out. Never throws: a parse error or a coded error becomes a friendly reply, and an
 * unexpected failure becomes a reply with an id the admins can find in the log.
 */
export async function answerText(
  deps: AnswerDeps & { metrics?: Metrics },
  asker: Asker,
  text: string,
): Promise<{ message: Message; command: Command | null }> {
  const started = performance.now();
  const parsed = parseCommand(text, deps.catalog.vocabulary);
  if (!parsed.ok) {
    deps.metrics?.commands.inc({ kind: "parse", outcome: "user_error" });
    return { message: renderErrorMessage(parsed.error), command: null };
  }
  const command = parsed.value;
  try {
    const answer = await answerCommand(deps, asker, command);
    const message: Message =
      command.share && answer.tone !== "error" ? { ...answer, audience: "channel" } : answer;
    deps.metrics?.commands.inc({ kind: command.kind, outcome: "ok" });
    return { message, command };
  } catch (error) {
    if (isClgError(error)) {
      deps.metrics?.commands.inc({ kind: command.kind, outcome: "user_error" });
      return { message: renderErrorMessage(error), command };
    }
    const id = randomUUID().slice(0, 8);
    deps.logger.error(
      { err: error, id, command: command.kind, workspace: asker.workspace },
      "command failed",
    );
    deps.metrics?.commands.inc({ kind: command.kind, outcome: "error" });
    const wrapped = new ClgError("clg_internal", `Something went wrong answering "${text.slice(0, 80)}".`, {
      hint: `Try again in a minute; if it keeps failing, give an admin the id ${id} (it is in the service log).`,
    });
    return { message: renderErrorMessage(wrapped), command };
  } finally {
    deps.metrics?.commandSeconds.observe((performance.now() - started) / 1000);
  }
}
