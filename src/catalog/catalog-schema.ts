import { z } from "zod";
import { kpiDefinitionSchema, slugSchema } from "../kpi/definition.ts";
import { stageSchema } from "../kpi/stage.ts";

export const SOURCE_KINDS = ["demo", "sql", "http_csv", "ga4", "mixpanel", "stripe"] as const;
export const sourceKindSchema = z.enum(SOURCE_KINDS);

export const sourceSchema = z
  .object({
    name: slugSchema,
    kind: sourceKindSchema,
    /** Five-field cron expression for polling, in the catalog timezone. */
    schedule: z.string().min(9).default("0 * * * *"),
    config: z.record(z.string(), z.unknown()).default({}),
    /** Name of the environment variable holding the secret; the value is encrypted at rest. Never the secret itself. */
    secret_env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional(),
  })
  .strict();
export type SourceDefinition = z.infer<typeof sourceSchema>;

export const PLATFORMS = ["slack", "teams", "local"] as const;
export const platformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof platformSchema>;

/** What a subscription covers: everything, one stage, or one KPI; optionally one segment ("owner:Dana Ruiz"). */
export const subscriptionFilterSchema = z
  .object({
    stage: stageSchema.optional(),
    kpi: slugSchema.optional(),
    segment: z.string().min(3).optional(),
    /** Alerts only: repeat a red incident in its thread every this many hours until it changes (off when absent). */
    remind_hours: z.number().int().min(1).max(720).optional(),
  })
  .strict();
export type SubscriptionFilter = z.infer<typeof subscriptionFilterSchema>;

export const subscriptionSchema = z
  .object({
    platform: platformSchema.default("local"),
    channel: z.string().min(1),
    kind: z.enum(["digest", "alerts"]),
    cron: z.string().min(9).optional(),
    timezone: z.string().optional(),
    /** Number and date formatting; the workspace's locale when absent. */
    locale: z.string().min(2).optional(),
    filter: subscriptionFilterSchema.default({}),
  })
  .strict()
  .refine((s) => s.kind !== "digest" || s.cron !== undefined, {
    message: "a digest subscription needs a cron schedule",
    path: ["cron"],
  });
export type SubscriptionDefinition = z.infer<typeof subscriptionSchema>;

/**
 * Who runs the workspace and how it speaks: its name, time zone, locale, the user ids allowed to run admin
 * commands, and where its admins hear about failures. Each field given replaces the stored one (an install
 * fills them too); a field left out keeps what is stored.
 */
export const workspaceSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** IANA timezone; the same as the top-level `timezone` (give either). */
    timezone: z.string().min(1).optional(),
    /** Default locale of digests and alerts whose subscription sets none (default en-US). */
    locale: z.string().min(2).optional(),
    /** Platform user ids allowed to run admin commands, beside the platform's own admins. */
    admins: z.array(z.string().min(1)).optional(),
    /** Where the workspace's admins are told about failures (paused subscriptions, failing sources). */
    admin_channel: z
      .object({ platform: platformSchema, channel: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict();
export type WorkspaceDefinition = z.infer<typeof workspaceSchema>;

/**
 * The catalog file (YAML or JSON). It describes one workspace's settings, sources, KPIs and subscriptions;
 * `clg catalog apply` makes the database match it. The time zone may be given at the top or under
 * `workspace`; the parsed catalog has it at the top (default UTC).
 */
export const catalogSchema = z
  .object({
    version: z.literal(1).default(1),
    /** IANA timezone for calendar windows, day boundaries and schedules (default UTC). */
    timezone: z.string().min(1).optional(),
    workspace: workspaceSchema.optional(),
    sources: z.array(sourceSchema).default([]),
    kpis: z.array(kpiDefinitionSchema).default([]),
    subscriptions: z.array(subscriptionSchema).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const inner = c.workspace?.timezone;
    if (c.timezone !== undefined && inner !== undefined && inner !== c.timezone)
      ctx.addIssue({
        code: "custom",
        path: ["workspace", "timezone"],
        message: `differs from the top-level timezone ${c.timezone}; give the timezone once`,
      });
  })
  .transform(({ timezone, ...c }) => ({ ...c, timezone: timezone ?? c.workspace?.timezone ?? "UTC" }));
export type Catalog = z.infer<typeof catalogSchema>;
export type CatalogInput = z.input<typeof catalogSchema>;
