/**
 * The logging port the application writes to. The composition root hands in an implementation (pino in
 * the service); tests hand in a silent one. Objects logged under `err` keep their cause and stack.
 */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

export interface Logger {
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}
