import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

// What operators count and alarm on, as CloudWatch embedded-metric-format lines (Powertools
// Metrics: no API call, the log line is the metric). Namespace `changeflow`; every metric also
// carries Powertools' `service` dimension. Each count is written at once as its own line with
// its own dimensions, so a handler that fails half-way loses none it counted.

export const metricsNamespace = 'changeflow';
export const serviceName = 'changeflow';

/** The metric names this product writes; cdk/alarms.ts and the runbook name them. */
export const metricNames = {
  /** A workflow execution started for a change; dimension `source` (servicenow, jira, cli, api, console). */
  changeStarted: 'ChangesStarted',
  /** A change reached its final status; dimension `status` (SUCCEEDED, ROLLED_BACK, REJECTED, …). */
  changeFinished: 'ChangesFinished',
  /** A webhook delivery intake refused (4xx); dimensions `system` and `code`. */
  intakeRefused: 'IntakeRefusals',
  /** A delivery intake ignored (not approved, not ours, window over); dimension `system`. */
  intakeIgnored: 'IntakeIgnored',
  /** A delivery whose signed key was already settled; dimension `system`. */
  intakeDuplicate: 'IntakeDuplicates',
  /** A change that found a target busy and queued behind it; dimension `target` (fabric, cluster). */
  lockWait: 'LockWaits',
  /** A ticket write-back that failed (the TicketWriteBackFailed alarm). */
  ticketWriteBackFailed: 'TicketWriteBackFailed',
} as const;

export type MetricName = (typeof metricNames)[keyof typeof metricNames];

export type ChangeMetrics = Metrics;

export function createMetrics(): ChangeMetrics {
  return new Metrics({ namespace: metricsNamespace, serviceName });
}

/** The container's metrics. */
export const metrics = createMetrics();

/**
 * One count of `name` with these dimensions, written now. Synchronous from the first dimension to
 * the flush, so concurrent requests of one local process cannot mix their dimensions; not
 * `singleMetric()`, which builds a Metrics (env reads, a Console) per count — a third of a
 * millisecond of CPU for each webhook at 200 deliveries a second.
 */
export function count(into: ChangeMetrics, name: MetricName, dimensions: Readonly<Record<string, string>> = {}, value = 1): void {
  into.addDimensions({ ...dimensions });
  into.addMetric(name, MetricUnit.Count, value);
  into.publishStoredMetrics();
}
