// `npm ci` refuses a lock file that lacks an entry for any optional dependency, including the native
// builds for other platforms (darwin, win32, musl...). When a registry does not serve some of those
// builds, `npm install` leaves them out of the lock and `npm ci` fails. This adds an entry per missing
// platform build, with its os/cpu/libc, so npm ci skips it on every other platform as it normally would.
// Usage: node scripts/complete-lock-platforms.mjs && npm install --package-lock-only
import { readFileSync, writeFileSync } from "node:fs";

const OSES = [
  "android",
  "darwin",
  "linux",
  "win32",
  "freebsd",
  "openbsd",
  "netbsd",
  "sunos",
  "aix",
  "openharmony",
];
const CPUS = ["arm64", "x64", "ia32", "arm", "riscv64", "ppc64", "s390x", "loong64", "mips64el"];

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = OSES.find((o) => parts.includes(o));
  const cpu = CPUS.find((c) => parts.includes(c));
  if (!os || !cpu) return null;
  const libc = os === "linux" ? (parts.includes("musl") ? "musl" : "glibc") : null;
  return { os, cpu, libc };
}

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const added = [];
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const platform = platformOf(name);
    if (lock.packages[key] || !platform) continue;
    lock.packages[key] = {
      version,
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      ...(entry.dev ? { dev: true } : {}),
    };
    added.push(`${name}@${version}`);
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  added.length
    ? `added ${added.length}: ${added.join(", ")}`
    : "the lock file already has every platform build",
);
