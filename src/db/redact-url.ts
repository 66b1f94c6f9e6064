/** host:port and database of a PostgreSQL URL, for messages. Never includes the password. */
export interface PgTarget {
  host: string;
  port: string;
  database: string;
  user: string;
  redacted: string;
}

export function describePgUrl(url: string): PgTarget | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") return null;
  const host = decodeURIComponent(u.hostname) || "localhost";
  const port = u.port || "5432";
  const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || decodeURIComponent(u.username);
  const user = decodeURIComponent(u.username);
  if (u.password) u.password = "***";
  return { host, port, database, user, redacted: u.toString() };
}
