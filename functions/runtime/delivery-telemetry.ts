import type { DeliveryObservation } from '../../shared/intake/webhook-delivery.js';
import type { ChangeLogger } from './logger.js';
import { count, metricNames, type ChangeMetrics } from './metrics.js';

// The webhook's telemetry: what shared/intake/webhook-delivery.ts observed about a delivery, as
// one log line and one EMF metric (IntakeRefusals by system and code, IntakeIgnored,
// IntakeDuplicates, ChangesStarted by source — test/unit/functions/telemetry.test.ts reads them).

/** Each outcome as the log line and the metric the runbook's dashboards read. */
export function observeDelivery(o: DeliveryObservation, system: 'servicenow' | 'jira', { logger, metrics }: { logger: ChangeLogger; metrics: ChangeMetrics }): void {
  switch (o.kind) {
    case 'refused-unauthenticated':
      logger.warn('delivery refused before authentication', { system, code: o.code, bodyDigest: o.bodyDigest, bytes: o.bytes });
      return count(metrics, metricNames.intakeRefused, { system, code: o.code });
    case 'refused':
      logger.info('delivery refused', { system, key: o.key, reason: o.reason });
      return count(metrics, metricNames.intakeRefused, { system, code: o.code });
    case 'ignored':
      logger.info('delivery ignored', { system, key: o.key, reason: o.reason, sampled: o.sampled });
      return count(metrics, metricNames.intakeIgnored, { system });
    case 'duplicate':
      logger.info(o.why === 'ticket has an open change' ? 'delivery for a ticket with a change in progress' : 'delivery duplicate', { system, key: o.key, changeId: o.changeId, why: o.why });
      return count(metrics, metricNames.intakeDuplicate, { system });
    case 'started':
      logger.info('delivery started', { system, key: o.key, changeId: o.changeId });
      return count(metrics, metricNames.changeStarted, { source: system });
  }
}
