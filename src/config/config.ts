import { z } from "zod";
import { ClgError } from "../errors.ts";

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

/** A whole number of seconds (or minutes, days: the variable's name says) with a default and a floor. */
const seconds = (fallback: number, min: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: "must be a whole number" })
      .int("must be a whole number")
      .min(min)
      .default(fallback),
  );

/** http://localhost, 127.x and [::1]: addresses that only this machine reaches (local testing). */
function isLoopbackUrl(u: string): boolean {
  if (!URL.canParse(u)) return false;
  const host = new URL(u).hostname;
  return (
    u.startsWith("http://") && (host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host))
  );
}

const SECRET_NAMES = /SECRET|PASSWORD|TOKEN|KEY|DATABASE_URL/;

const envSchema = z.object({
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  CLG_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".clg-data")),
  CLG_CATALOG: optionalString,
  CLG_DEMO: z.preprocess(emptyToUndefined, z.enum(["auto", "on", "off"]).default("auto")),
  PORT: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: "must be a port number from 0 to 65535" })
      .int("must be a whole number")
      .min(0, "must be 0 or more")
      .max(65535, "must be at most 65535")
      .default(3000),
  ),
  HOST: z.preprocess(emptyToUndefined, z.string().default("0.0.0.0")),
  CLG_SECRET_KEY: z.preprocess(
    emptyToUndefined,
    z.string().min(16, "must be at least 16 characters").optional(),
  ),
  CLG_NEW_SECRET_KEY: z.preprocess(
    emptyToUndefined,
    z.string().min(16, "must be at least 16 characters").optional(),
  ),
  CLG_WORKSPACE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
      .default("local"),
  ),
  CLG_ADMINS: z.preprocess(emptyToUndefined, z.string().default("")),
  CLG_ADMIN_CHANNEL: z.preprocess(emptyToUndefined, z.string().min(1).default("clg-admins")),
  CLG_REPLICA_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,80}$/)
      .optional(),
  ),
  CLG_DELIVERY_LEASE_SECONDS: seconds(60, 5),
  CLG_DELIVERY_MAX_ATTEMPTS: z.preprocess(
    emptyToUndefined,
    z.coerce.number().int().min(1).max(50).default(6),
  ),
  CLG_ALERT_MAX_AGE_MINUTES: seconds(360, 1),
  CLG_SCHEDULE_CATCH_UP_MINUTES: seconds(60, 0),
  CLG_SHUTDOWN_GRACE_SECONDS: seconds(10, 0),
  CLG_RETENTION_DAYS: seconds(90, 1),
  CLG_TEST_CHAT_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z
      .url()
      .refine(
        (u) => !URL.canParse(u) || u.startsWith("https://") || isLoopbackUrl(u),
        "must start with https:// (chat platforms fetch chart images only over HTTPS; http:// is accepted for localhost alone)",
      )
      .optional(),
  ),
  CLG_CHART_IMAGE_DAYS: seconds(30, 1),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  SLACK_ADMINS: z.preprocess(emptyToUndefined, z.string().default("")),
  SLACK_SCOPES: optionalString,
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.preprocess(
    emptyToUndefined,
    z
      .enum(["SingleTenant", "UserAssignedMSI"], {
        message:
          "must be SingleTenant or UserAssignedMSI (new multi-tenant Azure Bot registrations are no longer possible)",
      })
      .default("SingleTenant"),
  ),
  MicrosoftAppTenantId: optionalString,
  TEAMS_CERT_PEM_FILE: optionalString,
  TEAMS_CERT_KEY_FILE: optionalString,
  TEAMS_AUTHORITY: z.preprocess(emptyToUndefined, z.url().optional()),
  TEAMS_TRUSTED_SERVICE_URLS: z.preprocess(emptyToUndefined, z.string().default("")),
  TEAMS_ADMINS: z.preprocess(emptyToUndefined, z.string().default("")),
  TEAMS_LOCAL: z.preprocess(emptyToUndefined, z.enum(["on", "off"]).default("off")),
});

/**
 * Microsoft Teams (the Agents SDK's CloudAdapter). `clientId` set: every incoming activity carries a token
 * the SDK verifies. Unset: the endpoint is off, unless `local` lets unauthenticated activities in from this
 * machine only (the Microsoft 365 Agents Playground, tests).
 */
export interface TeamsConfig {
  readonly clientId: string | null;
  readonly clientSecret: string | null;
  readonly certPemFile: string | null;
  readonly certKeyFile: string | null;
  readonly tenantId: string | null;
  readonly authType: "SingleTenant" | "UserAssignedMSI";
  /** Entra authority for token checks and outbound tokens; null: https://login.microsoftonline.com. */
  readonly authority: string | null;
  /** Hosts (or host suffixes) a `serviceUrl` may name besides the Bot Framework's own. */
  readonly trustedServiceHosts: readonly string[];
  /** Entra user object ids allowed to run admin commands in any tenant this bot serves. */
  readonly admins: readonly string[];
  readonly local: boolean;
}

export interface Config {
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  /** Catalog file applied at start when the database has no catalog yet; null = the shipped default. */
  readonly catalogFile: string | null;
  /** auto: load the demo history when the catalog uses the demo source and has no samples. */
  readonly demo: "auto" | "on" | "off";
  readonly port: number;
  readonly host: string;
  readonly secretKey: string | null;
  /** Only for `clg secrets rotate`: the key every stored secret is encrypted under next. */
  readonly newSecretKey: string | null;
  readonly workspace: string;
  /** User ids allowed to run admin commands (threshold). The local user is always admin. */
  readonly admins: readonly string[];
  /** Local channel told (once per outage) when a source fails. */
  readonly adminChannel: string;
  readonly logLevel: string;
  /** The service's public address (HTTPS, or http on loopback for local tests); chart image URLs live under it. */
  readonly publicUrl: string | null;
  /** How long a chart image published for Teams stays at its URL. */
  readonly chartImageTtlMs: number;
  /** Names this process in schedule claims and logs; default: host name, pid and a random suffix. */
  readonly replicaId: string | null;
  /** Outbox: a claim's lease (renewed while sending) and how often a transient failure is retried. */
  readonly deliveryLeaseMs: number;
  readonly deliveryMaxAttempts: number;
  /** An alert older than this is skipped instead of posted late as if new. */
  readonly alertMaxAgeMs: number;
  /** After downtime, missed schedule slots this recent are caught up (once each); older ones are skipped. */
  readonly scheduleCatchUpMinutes: number;
  /** On SIGTERM, sends in flight get this long to finish before their claims are given back. */
  readonly shutdownGraceMs: number;
  /** Schedule claims, finished deliveries, observations and status changes older than this are deleted. */
  readonly retentionDays: number;
  /** Test platform: deliveries for Slack go as JSON to this URL (a stand-in for the chat platform). */
  readonly testChatUrl: string | null;
  /** Slack, when configured (a bot token with a signing secret for HTTP, or an app token for Socket Mode). */
  readonly slack: SlackConfig | null;
  /** Slack OAuth (install in many workspaces), when SLACK_CLIENT_ID is set. */
  readonly slackOAuth: SlackOAuthConfig | null;
  readonly teams: TeamsConfig;
}

export interface SlackConfig {
  /** Verifies requests to POST /slack/events; null in Socket Mode only. */
  readonly signingSecret: string | null;
  /** The bot token of the one workspace this deployment serves (single-workspace install). */
  readonly botToken: string | null;
  /** Socket Mode: the app-level token (xapp-...); null answers over HTTP. */
  readonly appToken: string | null;
  /** The Web API base URL, ending in "/" (https://slack.com/api/ unless pointed elsewhere). */
  readonly apiUrl: string;
  /** Slack user ids that count as admins in every Slack workspace, beside its own admins and owners. */
  readonly admins: readonly string[];
}

export const SLACK_DEFAULT_API_URL = "https://slack.com/api/";

const commaList = (text: string): readonly string[] =>
  Object.freeze(
    text
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Slack is on when a token and a way in are both set; half a configuration is refused by name. */
function slackConfig(e: z.infer<typeof envSchema>): SlackConfig | null {
  const token = e.SLACK_BOT_TOKEN ?? null;
  const way = e.SLACK_SIGNING_SECRET ?? e.SLACK_APP_TOKEN ?? null;
  if (token === null && way === null) return null;
  if (token === null && e.SLACK_CLIENT_ID === undefined)
    throw new ClgError(
      "clg_config_invalid",
      "Invalid environment:\n  SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set",
      { hint: "Set the bot token (xoxb-...) from the app's OAuth & Permissions page (see docs/slack.md)." },
    );
  if (way === null)
    throw new ClgError(
      "clg_config_invalid",
      "Invalid environment:\n  SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or SLACK_APP_TOKEN for Socket Mode)",
      { hint: "Copy the signing secret from the app's Basic Information page (see docs/slack.md)." },
    );
  const api = e.SLACK_API_URL ?? SLACK_DEFAULT_API_URL;
  return Object.freeze({
    signingSecret: e.SLACK_SIGNING_SECRET ?? null,
    botToken: token,
    appToken: e.SLACK_APP_TOKEN ?? null,
    apiUrl: api.endsWith("/") ? api : `${api}/`,
    admins: commaList(e.SLACK_ADMINS),
  });
}

export interface SlackOAuthConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Signs the OAuth `state` (with the browser cookie, it stops a forged or replayed redirect). */
  readonly stateSecret: string;
  /** Bot scopes asked for at install; null: the ones the features use (src/slack/slack-features.ts). */
  readonly scopes: readonly string[] | null;
}

const OAUTH_VARIABLES = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const;

const invalid = (line: string, hint: string) =>
  new ClgError("clg_config_invalid", `Invalid environment:\n  ${line}`, { hint });

/**
 * OAuth mode needs its three variables together, a way for Slack to reach the app (signing secret or
 * Socket Mode), and CLG_SECRET_KEY: the installations' tokens are stored encrypted, never in the clear.
 */
function slackOAuthConfig(e: z.infer<typeof envSchema>): SlackOAuthConfig | null {
  const given = OAUTH_VARIABLES.filter((name) => e[name] !== undefined);
  if (given.length === 0) return null;
  const missing = OAUTH_VARIABLES.filter((name) => e[name] === undefined);
  if (missing.length > 0)
    throw invalid(
      `${missing.join(", ")}: required with ${given.join(", ")} (Slack OAuth install)`,
      "Copy the client id and secret from the app's Basic Information page; the state secret is any random string (see docs/slack.md).",
    );
  if ((e.SLACK_STATE_SECRET ?? "").length < 16)
    throw invalid(
      "SLACK_STATE_SECRET: must be at least 16 characters",
      "Generate one with: openssl rand -base64 32",
    );
  if (e.CLG_SECRET_KEY === undefined)
    throw invalid(
      "CLG_SECRET_KEY: required for Slack OAuth install (installation tokens are stored encrypted with it)",
      "Generate one with: openssl rand -base64 32",
    );
  if (e.SLACK_SIGNING_SECRET === undefined && e.SLACK_APP_TOKEN === undefined)
    throw invalid(
      "SLACK_SIGNING_SECRET: required with SLACK_CLIENT_ID (or SLACK_APP_TOKEN for Socket Mode)",
      "Copy the signing secret from the app's Basic Information page (see docs/slack.md).",
    );
  return Object.freeze({
    clientId: e.SLACK_CLIENT_ID as string,
    clientSecret: e.SLACK_CLIENT_SECRET as string,
    stateSecret: e.SLACK_STATE_SECRET as string,
    scopes: e.SLACK_SCOPES === undefined ? null : commaList(e.SLACK_SCOPES),
  });
}

/** Teams credentials that cannot work together, named so the fix is obvious. */
function teamsProblems(e: z.infer<typeof envSchema>): string[] {
  if (!e.MicrosoftAppId) return [];
  const problems: string[] = [];
  if (!e.MicrosoftAppTenantId)
    problems.push(
      "MicrosoftAppTenantId: must be set with MicrosoftAppId (the bot's own tenant issues its tokens)",
    );
  if (e.MicrosoftAppType === "SingleTenant" && !e.MicrosoftAppPassword && !e.TEAMS_CERT_PEM_FILE)
    problems.push(
      "MicrosoftAppPassword: SingleTenant needs a client secret, or TEAMS_CERT_PEM_FILE and TEAMS_CERT_KEY_FILE",
    );
  if (Boolean(e.TEAMS_CERT_PEM_FILE) !== Boolean(e.TEAMS_CERT_KEY_FILE))
    problems.push("TEAMS_CERT_KEY_FILE: TEAMS_CERT_PEM_FILE and TEAMS_CERT_KEY_FILE go together");
  return problems;
}

/**
 * Reads the environment once. Every problem is reported in one error that names the variable and says
 * what was wrong, so a misconfigured deployment fails at start with an actionable message.
 */
export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? "");
      const raw = env[name];
      // Show what was given so the fix is obvious, except for anything that may hold a secret.
      const shown = raw !== undefined && !SECRET_NAMES.test(name) ? ` (got "${raw.slice(0, 60)}")` : "";
      return `${name}: ${i.message}${shown}`;
    });
    throw new ClgError("clg_config_invalid", `Invalid environment:\n  ${lines.join("\n  ")}`, {
      hint: "Fix the variables above (see docs/configuration.md) and start again.",
    });
  }
  const e = parsed.data;
  const teams = teamsProblems(e);
  if (teams.length > 0)
    throw new ClgError("clg_config_invalid", `Invalid environment:\n  ${teams.join("\n  ")}`, {
      hint: "Fix the variables above (see docs/configuration.md) and start again.",
    });
  return Object.freeze({
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: e.CLG_DATA_DIR,
    catalogFile: e.CLG_CATALOG ?? null,
    demo: e.CLG_DEMO,
    port: e.PORT,
    host: e.HOST,
    secretKey: e.CLG_SECRET_KEY ?? null,
    newSecretKey: e.CLG_NEW_SECRET_KEY ?? null,
    workspace: e.CLG_WORKSPACE,
    admins: commaList(e.CLG_ADMINS),
    adminChannel: e.CLG_ADMIN_CHANNEL,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL ?? null,
    chartImageTtlMs: e.CLG_CHART_IMAGE_DAYS * 86_400_000,
    replicaId: e.CLG_REPLICA_ID ?? null,
    deliveryLeaseMs: e.CLG_DELIVERY_LEASE_SECONDS * 1000,
    deliveryMaxAttempts: e.CLG_DELIVERY_MAX_ATTEMPTS,
    alertMaxAgeMs: e.CLG_ALERT_MAX_AGE_MINUTES * 60_000,
    scheduleCatchUpMinutes: e.CLG_SCHEDULE_CATCH_UP_MINUTES,
    shutdownGraceMs: e.CLG_SHUTDOWN_GRACE_SECONDS * 1000,
    retentionDays: e.CLG_RETENTION_DAYS,
    testChatUrl: e.CLG_TEST_CHAT_URL ?? null,
    slack: slackConfig(e),
    slackOAuth: slackOAuthConfig(e),
    teams: Object.freeze({
      clientId: e.MicrosoftAppId ?? null,
      clientSecret: e.MicrosoftAppPassword ?? null,
      certPemFile: e.TEAMS_CERT_PEM_FILE ?? null,
      certKeyFile: e.TEAMS_CERT_KEY_FILE ?? null,
      tenantId: e.MicrosoftAppTenantId ?? null,
      authType: e.MicrosoftAppType,
      authority: e.TEAMS_AUTHORITY ?? null,
      trustedServiceHosts: commaList(e.TEAMS_TRUSTED_SERVICE_URLS),
      admins: commaList(e.TEAMS_ADMINS),
      local: e.TEAMS_LOCAL === "on",
    }),
  });
}
