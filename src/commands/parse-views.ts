import { ClgError, err, ok, type Result } from "../errors.ts";
import type { Command } from "./command.ts";
import { usageHint } from "./grammar.ts";
import { badWindow, looksLikeWindow, readWindow } from "./parse-window.ts";
import { matchStagePrefix, unknownStageError } from "./resolve-stage.ts";
import { joinRaw, normalizePhrase, type Token } from "./tokenize.ts";

/** Commands that take no words after them (`digest`, `sources`). */
export function noExtras(command: Command, tokens: readonly Token[]): Result<Command, ClgError> {
  if (tokens.length === 0) return ok(command);
  return err(
    new ClgError(
      "clg_unknown_command",
      `\`${command.kind}\` takes nothing more; I don't understand "${joinRaw(tokens)}".`,
      {
        hint: usageHint(command.kind),
      },
    ),
  );
}

/** An optional window and nothing else. */
export function windowOnly(tokens: readonly Token[], topic: string): Result<string | null, ClgError> {
  if (tokens.length === 0) return ok(null);
  const w = readWindow(tokens, 0);
  if (w instanceof ClgError) return err(w);
  const first = tokens[0] as Token;
  if (w === null && looksLikeWindow(first.word)) return err(badWindow(first.raw));
  if (w === null || w.used < tokens.length) {
    const extra = joinRaw(tokens.slice(w?.used ?? 0));
    return err(
      new ClgError("clg_unknown_command", `I don't understand "${extra}".`, { hint: usageHint(topic) }),
    );
  }
  return ok(w.window);
}

/** `list [stage]` */
export function parseList(tokens: readonly Token[]): Result<Command, ClgError> {
  const p = normalizePhrase(joinRaw(tokens));
  if (p === "" || p === "all" || p === "kpis") return ok({ kind: "list", stage: null });
  const m = matchStagePrefix(tokens, 0);
  if (m === null || m.used < tokens.length) return err(unknownStageError(joinRaw(tokens)));
  return ok({ kind: "list", stage: m.value });
}

/** `stage <stage> [window]` */
export function parseStage(tokens: readonly Token[]): Result<Command, ClgError> {
  const m = matchStagePrefix(tokens, 0);
  if (m === null) {
    const w = tokens.findIndex((_t, i) => readWindow(tokens, i) !== null);
    return err(unknownStageError(joinRaw(w === -1 ? tokens : tokens.slice(0, w))));
  }
  const window = windowOnly(tokens.slice(m.used), "stage");
  return window.ok ? ok({ kind: "stage", stage: m.value, window: window.value }) : window;
}

/** `board [window]` */
export function parseBoard(tokens: readonly Token[]): Result<Command, ClgError> {
  const window = windowOnly(tokens, "board");
  return window.ok ? ok({ kind: "board", window: window.value }) : window;
}
