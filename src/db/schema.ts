import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/**
 * Table types for Kysely. Every workspace-scoped table carries `workspace` in its key and every
 * repository query filters by it. `date` columns come back as `YYYY-MM-DD` strings (see type parsers in
 * database.ts); timestamps come back as `Date`.
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type TimestampDefault = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: any JSON value in, parsed value out. */
type Json<T> = ColumnType<T, T | string, T | string>;
type JsonObject = Record<string, unknown>;

export interface WorkspacesTable {
  id: string;
  name: string;
  timezone: ColumnType<string, string | undefined, string>;
  created_at: TimestampDefault;
  /** User ids allowed to run admin commands; null = the deployment's defaults (local workspace only). */
  admins: ColumnType<string[] | null, string | null | undefined, string | null>;
  /** Where this workspace's admins are told about failures: their platform and channel. */
  admin_platform: string | null;
  admin_channel: string | null;
  locale: string | null;
  /**
   * Changes with every change of the workspace's catalog (KPIs, thresholds, targets, timezone), set by
   * triggers in the same transaction; never written by the application.
   */
  catalog_version: ColumnType<string | number | bigint, never, never>;
}

export interface SourcesTable {
  workspace: string;
  name: string;
  kind: string;
  schedule: string;
  config: Json<JsonObject>;
  /** Environment variable the secret came from (kept for export; never the secret). */
  secret_env: string | null;
  secret_ciphertext: string | null;
  last_polled_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
  last_error_at: Timestamp | null;
  error_notified_at: Timestamp | null;
  /** The last day whose data the source reports as final (YYYY-MM-DD). */
  complete_through: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: TimestampDefault;
}

/** The days one KPI has fetched from its source, so each KPI gets its own history. */
export interface KpiWatermarksTable {
  workspace: string;
  kpi: string;
  source: string;
  fetched_from: string;
  fetched_until: string;
  updated_at: TimestampDefault;
}

export interface KpisTable {
  workspace: string;
  slug: string;
  name: string;
  stage: string;
  source: string | null;
  /** The validated KpiDefinition without `thresholds` and `targets` (those live in their own tables). */
  definition: Json<JsonObject>;
  position: number;
  updated_at: TimestampDefault;
}

export type ThresholdOp = "below" | "above";

export interface ThresholdsTable {
  workspace: string;
  kpi: string;
  position: number;
  status: string;
  op: ThresholdOp;
  value: number;
  window: string | null;
}

export interface TargetsTable {
  workspace: string;
  kpi: string;
  position: number;
  period: string;
  value: number;
  from_day: string | null;
}

export interface SamplesTable {
  workspace: string;
  kpi: string;
  segment: ColumnType<string, string | undefined, string>;
  day: string;
  value: number | null;
  num: number | null;
  den: number | null;
  dist: Json<Record<string, number>> | null;
  updated_at: TimestampDefault;
}

export interface KpiStatusTable {
  workspace: string;
  kpi: string;
  window: string;
  segment: ColumnType<string, string | undefined, string>;
  status: string;
  since: Timestamp;
  pending_status: string | null;
  pending_count: ColumnType<number, number | undefined, number>;
  value: number | null;
  evaluated_at: Timestamp;
  /** The data day of `state`. */
  day: string | null;
  /** The status machine's state after `day`, and the state before it (see src/kpi/status-machine.ts). */
  state: Json<unknown> | null;
  base: Json<unknown> | null;
}

/** What the thresholds said about one data day of a KPI, window and segment; a new run replaces it. */
export interface ObservationsTable {
  workspace: string;
  kpi: string;
  window: string;
  segment: ColumnType<string, string | undefined, string>;
  day: string;
  value: number | null;
  observed: string;
  confirmed: string | null;
  evaluated_at: Timestamp;
}

export interface IncidentsTable {
  id: Generated<number>;
  workspace: string;
  kpi: string;
  window: string;
  segment: ColumnType<string, string | undefined, string>;
  /** The confirmed status now. */
  status: string;
  worst: string;
  /** Counts the incident's confirmed changes; each channel is told each one once. */
  seq: ColumnType<number, number | undefined, number>;
  opened_at: Timestamp;
  resolved_at: Timestamp | null;
  acked_by: string | null;
  acked_at: Timestamp | null;
  snoozed_by: string | null;
  snoozed_until: Timestamp | null;
  updated_at: TimestampDefault;
}

export type NoticeKind = "post" | "reply";

/** One announcement of an incident's change to one channel. */
export interface IncidentNoticesTable {
  incident_id: number;
  platform: string;
  channel: string;
  seq: number;
  /** The status the channel was told. */
  status: string;
  kind: NoticeKind;
  /** The delivery that carries it (its idempotency key). */
  delivery_key: string;
  /** The delivery whose message is the thread root: replies go under it, updates edit it. */
  root_key: string;
  /** A post's message, kept to re-render its header on an update. */
  message: Json<unknown> | null;
  created_at: TimestampDefault;
}

/** Anomalies and forecasts already told, by a key of what they were about. */
export interface AlertKeysTable {
  workspace: string;
  kind: string;
  kpi: string;
  key: string;
  at: Timestamp;
}

export type StatusChangeKind = "status" | "anomaly" | "forecast";

export interface StatusChangesTable {
  id: Generated<number>;
  workspace: string;
  kpi: string;
  window: string;
  segment: ColumnType<string, string | undefined, string>;
  kind: StatusChangeKind;
  from_status: string | null;
  to_status: string | null;
  value: number | null;
  detail: Json<JsonObject>;
  at: Timestamp;
}

export type SubscriptionKind = "digest" | "alerts";

export interface SubscriptionsTable {
  id: Generated<number>;
  workspace: string;
  platform: string;
  channel: string;
  kind: SubscriptionKind;
  cron: string | null;
  timezone: string | null;
  /** Number and date formatting; null: the workspace's locale. */
  locale: string | null;
  filter: Json<JsonObject>;
  created_by: string;
  created_at: TimestampDefault;
  from_catalog: ColumnType<boolean, boolean | undefined, boolean>;
  /** Set when the platform said the channel cannot be reached (archived, bot removed, token revoked). */
  paused_at: Timestamp | null;
  paused_reason: string | null;
}

export interface ScheduleRunsTable {
  job: string;
  slot: Timestamp;
  claimed_by: string;
  claimed_at: TimestampDefault;
}

/** `sending`: a worker holds the claim token and lease; `skipped`: stale, or an update whose parent failed. */
export type DeliveryState = "pending" | "sending" | "sent" | "failed" | "skipped";
export type DeliveryKind = "post" | "reply" | "update";

export interface DeliveriesTable {
  id: Generated<number>;
  idempotency_key: string;
  workspace: string;
  platform: string;
  channel: string;
  payload: Json<unknown>;
  state: ColumnType<DeliveryState, DeliveryState | undefined, DeliveryState>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: TimestampDefault;
  /** Set while a worker holds the delivery; a claim older than the lease may be taken again. */
  locked_until: Timestamp | null;
  last_error: string | null;
  platform_message_id: string | null;
  created_at: TimestampDefault;
  sent_at: Timestamp | null;
  kind: ColumnType<DeliveryKind, DeliveryKind | undefined, DeliveryKind>;
  /** Idempotency key of the delivery whose platform message is the thread root or the message updated. */
  parent_key: string | null;
  /** The platform message to reply to or update when the caller already knows it (no parent row). */
  parent_message_id: string | null;
  /** An alert not sent by then is skipped, not posted late as if new. */
  stale_at: Timestamp | null;
  /** Token of the current claim; only its holder may mark the row sent or failed. */
  claim_token: string | null;
  subscription_id: number | null;
  /** Why the last attempt failed, as a short code (metrics label). */
  failure_reason: string | null;
}

export interface ChannelPaceTable {
  platform: string;
  workspace: string;
  channel: string;
  /** The channel may be claimed for a send from this time on (pace, or held by a send in flight). */
  free_at: Timestamp;
  /** Set by a 429: nothing goes to this channel before it. */
  paused_until: Timestamp | null;
}

/** A Slack OAuth installation; '' stands for an id Slack did not send (see the migration). */
export interface SlackInstallationsTable {
  id: Generated<number>;
  team_id: string;
  enterprise_id: string;
  is_enterprise_install: boolean;
  workspace: string;
  team_name: string | null;
  enterprise_name: string | null;
  app_id: string | null;
  bot_id: string | null;
  bot_user_id: string | null;
  /** Comma-separated, as Slack lists them. */
  bot_scopes: string;
  installer_user_id: string | null;
  bot_token_ciphertext: string | null;
  installation_ciphertext: string;
  installed_at: TimestampDefault;
  updated_at: TimestampDefault;
}

export interface MutesTable {
  id: Generated<number>;
  workspace: string;
  kpi: string;
  until: Timestamp;
  created_by: string;
  created_at: TimestampDefault;
}

export interface AuditLogTable {
  id: Generated<number>;
  workspace: string;
  actor: string;
  action: string;
  entity: string;
  entity_key: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  at: TimestampDefault;
}

/** A Teams conversation the bot was added to: what a proactive post needs, and whether it is paused. */
export interface TeamsConversationsTable {
  workspace: string;
  conversation_id: string;
  tenant_id: string;
  /** "channel", "groupChat" or "personal". */
  conversation_type: string;
  /** The team of a channel conversation (its General channel has the same id); null in chats. */
  team_id: string | null;
  reference: Json<JsonObject>;
  installed_at: Timestamp;
  updated_at: Timestamp;
  /** Set when the bot was removed from the conversation (or the app uninstalled). */
  paused_at: Timestamp | null;
}

/** A chart PNG published for a chat platform to fetch by URL, until it expires. */
export interface ChartImagesTable {
  token: string;
  workspace: string;
  chart_id: string;
  png: Buffer;
  width: number;
  height: number;
  created_at: TimestampDefault;
  expires_at: Timestamp;
}

export interface Database {
  workspaces: WorkspacesTable;
  sources: SourcesTable;
  kpi_watermarks: KpiWatermarksTable;
  kpis: KpisTable;
  thresholds: ThresholdsTable;
  targets: TargetsTable;
  samples: SamplesTable;
  kpi_status: KpiStatusTable;
  observations: ObservationsTable;
  incidents: IncidentsTable;
  incident_notices: IncidentNoticesTable;
  alert_keys: AlertKeysTable;
  status_changes: StatusChangesTable;
  subscriptions: SubscriptionsTable;
  schedule_runs: ScheduleRunsTable;
  deliveries: DeliveriesTable;
  channel_pace: ChannelPaceTable;
  slack_installations: SlackInstallationsTable;
  mutes: MutesTable;
  audit_log: AuditLogTable;
  teams_conversations: TeamsConversationsTable;
  chart_images: ChartImagesTable;
}

export type WorkspaceRow = Selectable<WorkspacesTable>;
export type TeamsConversationRow = Selectable<TeamsConversationsTable>;
export type SourceRow = Selectable<SourcesTable>;
export type KpiWatermarkRow = Selectable<KpiWatermarksTable>;
export type NewSource = Insertable<SourcesTable>;
export type SourceUpdate = Updateable<SourcesTable>;
export type KpiRow = Selectable<KpisTable>;
export type NewKpi = Insertable<KpisTable>;
export type ThresholdRow = Selectable<ThresholdsTable>;
export type TargetRow = Selectable<TargetsTable>;
export type SampleRow = Selectable<SamplesTable>;
export type NewSample = Insertable<SamplesTable>;
export type KpiStatusRow = Selectable<KpiStatusTable>;
export type NewKpiStatus = Insertable<KpiStatusTable>;
export type ObservationRow = Selectable<ObservationsTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type IncidentNoticeRow = Selectable<IncidentNoticesTable>;
export type StatusChangeRow = Selectable<StatusChangesTable>;
export type NewStatusChange = Insertable<StatusChangesTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type NewSubscription = Insertable<SubscriptionsTable>;
export type ScheduleRunRow = Selectable<ScheduleRunsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type NewDelivery = Insertable<DeliveriesTable>;
export type SlackInstallationRow = Selectable<SlackInstallationsTable>;
export type MuteRow = Selectable<MutesTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLog = Insertable<AuditLogTable>;
export type ChartImageRow = Selectable<ChartImagesTable>;
