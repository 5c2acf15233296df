import type { ChangeWindow } from '../spec/change-request.js';
import type { Admission } from './admission.js';
import type { IntakeConfig } from './config.js';
import { invalidTicket, type Refusal } from './delivery-verdict.js';
import { executionName } from './execution-name.js';
import { parseInstanceTime } from './instance-time.js';
import { referenceValue, serviceNowApproval, serviceNowDeliveryKey, ServiceNowChangeRequest } from './servicenow.js';
import { windowEnded } from './ticket-spec.js';

/** A change_request delivery → its admission (the signature has already been checked; no YAML yet). */
export function admitServiceNow(body: unknown, config: IntakeConfig, now: Date): Admission {
  const parsed = ServiceNowChangeRequest.safeParse(body);
  if (!parsed.success) return invalidTicket('a change_request record as the Table API returns it', parsed.error);
  const record = parsed.data;
  const deliveryKey = serviceNowDeliveryKey(record);
  const approval = serviceNowApproval(record);
  if (!approval.approved) return { kind: 'ignored', reason: approval.reason, deliveryKey };
  if (record.u_change_spec.trim() === '') {
    return { kind: 'ignored', reason: `${record.number} is approved but u_change_spec is empty, so there is nothing for changeflow to run`, deliveryKey };
  }
  const window = serviceNowWindow(record, config.serviceNowTimeZone);
  if (!window.ok) return { ...window.verdict, deliveryKey };
  const ended = windowEnded(window.window, now);
  if (ended) return { kind: 'ignored', reason: `${record.number}: ${ended}`, deliveryKey };
  return {
    kind: 'admitted',
    deliveryKey,
    executionName: executionName('snow', record.number, record.sys_mod_count),
    envelope: {
      source: 'servicenow',
      ticket: { system: 'servicenow', key: record.sys_id, number: record.number, revision: record.sys_mod_count },
      requestedBy: referenceValue(record.requested_by) ?? stringField(record, 'sys_updated_by') ?? 'servicenow',
      ...(window.window ? { window: window.window } : {}),
    },
    specSource: 'u_change_spec',
    specText: record.u_change_spec,
  };
}

type WindowResult = { ok: true; window: ChangeWindow | undefined } | { ok: false; verdict: Refusal };

function serviceNowWindow(record: ServiceNowChangeRequest, timeZone: string): WindowResult {
  if (record.start_date === '' && record.end_date === '') return { ok: true, window: undefined };
  const start = parseInstanceTime(record.start_date, timeZone);
  const end = parseInstanceTime(record.end_date, timeZone);
  const issues = [
    ...(start.ok ? [] : [{ path: 'start_date', message: start.message }]),
    ...(end.ok ? [] : [{ path: 'end_date', message: end.message }]),
  ];
  if (start.ok && end.ok && end.epochMs <= start.epochMs) {
    issues.push({ path: 'end_date', message: `the window must end after it starts (${record.start_date} → ${record.end_date})` });
  }
  if (!start.ok || !end.ok || issues.length > 0) {
    return {
      ok: false,
      verdict: {
        kind: 'refused',
        httpStatus: 400,
        code: 'InvalidWindow',
        message: `${record.number} has an unusable planned window: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      },
    };
  }
  return { ok: true, window: { start: start.iso, end: end.iso } };
}

function stringField(record: Record<string, unknown>, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
