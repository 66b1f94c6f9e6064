import { spawn } from "node:child_process";

export interface ClgRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real `clg` binary as a user would, with only the environment given. */
export function runClg(args: string[], env: Record<string, string>): Promise<ClgRun> {
  return runNode(["bin/clg.js", ...args], env);
}

/** Runs node with these arguments (a script of the project and its own), with only the environment given. */
export function runNode(args: string[], env: Record<string, string>): Promise<ClgRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}
