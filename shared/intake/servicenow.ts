import * as z from '../zod.js';

// The change_request record as the Table API returns it (docs/architecture.md §3.2, reference/aws.md §2).
// Every value is a string there; outbound REST scripts sometimes send numbers for state and
// sys_mod_count, which are read as their string form. Fields we do not use pass through untouched.
const TableString = z.pipe(z.union([z.string(), z.number()]), z.transform(String));

/** A reference field: `{link, value}` from the Table API, or the bare sys_id from a script. */
export const ReferenceField = z.union([z.looseObject({ link: z.optional(z.string()), value: z.string() }), z.string()]);
export type ReferenceField = z.infer<typeof ReferenceField>;

export const ServiceNowChangeRequest = z.looseObject({
  sys_id: z.string().check(z.regex(/^[0-9a-f]{32}$/, 'expected a 32-character lowercase hex sys_id')),
  number: z.string().check(z.regex(/^[A-Z]{2,10}\d{4,12}$/, 'expected a record number like CHG0030012')),
  state: TableString,
  approval: z.string(),
  type: z._default(z.string(), ''),
  start_date: z._default(z.string(), ''),
  end_date: z._default(z.string(), ''),
  sys_mod_count: z.pipe(TableString, z.string().check(z.regex(/^\d{1,9}$/, 'expected a non-negative integer'))),
  short_description: z._default(z.string(), ''),
  u_change_spec: z._default(z.string(), ''),
  requested_by: z.optional(ReferenceField),
  assignment_group: z.optional(ReferenceField),
  assigned_to: z.optional(ReferenceField),
  cmdb_ci: z.optional(ReferenceField),
});
export type ServiceNowChangeRequest = z.infer<typeof ServiceNowChangeRequest>;

/** Labels of the change_request state choices (Yokohama state model). */
export const serviceNowStateNames: Readonly<Record<string, string>> = {
  '-5': 'New',
  '-4': 'Assess',
  '-3': 'Authorize',
  '-2': 'Scheduled',
  '-1': 'Implement',
  '0': 'Review',
  '3': 'Closed',
  '4': 'Canceled',
};

export function stateLabel(state: string): string {
  const name = serviceNowStateNames[state];
  return name === undefined ? `state ${state}` : `${name} (${state})`;
}

export type Approval = { approved: true } | { approved: false; reason: string };

/** docs/architecture.md §3.2: approved means approval == "approved" and state Scheduled (-2) or Implement (-1). */
export function serviceNowApproval(record: ServiceNowChangeRequest): Approval {
  if (record.approval !== 'approved') {
    return { approved: false, reason: `${record.number} has approval "${record.approval}", not "approved"` };
  }
  if (record.state !== '-2' && record.state !== '-1') {
    return { approved: false, reason: `${record.number} is in ${stateLabel(record.state)}, not Scheduled (-2) or Implement (-1)` };
  }
  return { approved: true };
}

/** Every update bumps sys_mod_count, so sys_id + sys_mod_count names one revision of one ticket. */
export function serviceNowDeliveryKey(record: ServiceNowChangeRequest): string {
  return `servicenow:${record.sys_id}:${record.sys_mod_count}`;
}

export function referenceValue(field: ReferenceField | undefined): string | undefined {
  if (field === undefined) return undefined;
  const value = typeof field === 'string' ? field : field.value;
  return value === '' ? undefined : value;
}
