import { createHash } from 'node:crypto';
import { canMove, changeStates, closeCodes } from './state-model.js';
import { tableErrors } from './table-error.js';
import { labUsers, type SysUser } from './users.js';

// The change_request table and its work-note journal, in memory. Values are strings as on a real
// instance; reference fields are stored as sys_ids and returned as {link, value}. Like the real
// Table API, a record read back shows `work_notes: ""` — the notes live in sys_journal_field.

export type Row = Record<string, string>;
export interface JournalEntry {
  sys_id: string;
  name: 'change_request';
  element: 'work_notes' | 'comments';
  element_id: string;
  value: string;
  sys_created_on: string;
  sys_created_by: string;
}

const referenceTables: Readonly<Record<string, string>> = {
  requested_by: 'sys_user',
  assigned_to: 'sys_user',
  opened_by: 'sys_user',
  assignment_group: 'sys_user_group',
  cmdb_ci: 'cmdb_ci',
};
const journalFields = ['work_notes', 'comments'] as const;
const readOnly = new Set(['sys_id', 'number', 'sys_mod_count', 'sys_created_on', 'sys_created_by', 'sys_updated_on', 'sys_updated_by']);
/** Timestamps change on every run; the dump leaves them out so before/after compare byte for byte. */
export const volatileFields = ['sys_created_on', 'sys_updated_on'] as const;

export class ChangeRequestTable {
  private readonly rows = new Map<string, Row>();
  private readonly journal: JournalEntry[] = [];
  private counter = 0;
  /** The instance's sys_user rows (read-only), for requester names. */
  readonly users: readonly SysUser[];

  constructor(
    private readonly user: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.users = labUsers(user);
  }

  create(fields: Record<string, unknown>): Row {
    const values = this.values(fields, true);
    this.counter++;
    const sysId = values.sys_id ?? createHash('sha256').update(`change_request:${this.counter}`).digest('hex').slice(0, 32);
    if (!/^[0-9a-f]{32}$/.test(sysId)) throw tableErrors.badRequest('Invalid sys_id', `'${sysId}' is not a 32-character hex sys_id`);
    if (this.rows.has(sysId)) throw tableErrors.badRequest('Operation Failed', `Duplicate sys_id ${sysId}`);
    const now = glideTime(this.clock());
    const row: Row = {
      active: 'true',
      approval: 'not requested',
      type: 'normal',
      state: '-5',
      short_description: '',
      description: '',
      start_date: '',
      end_date: '',
      close_code: '',
      close_notes: '',
      u_change_spec: '',
      ...values,
      sys_id: sysId,
      number: values.number ?? `CHG${String(30000 + this.counter).padStart(7, '0')}`,
      sys_mod_count: '0',
      sys_created_on: now,
      sys_created_by: this.user,
      sys_updated_on: now,
      sys_updated_by: this.user,
      work_notes: '',
      comments: '',
    };
    if (!changeStates.includes(row.state as (typeof changeStates)[number])) {
      throw tableErrors.invalidChoice('state', row.state ?? '', changeStates);
    }
    this.rows.set(sysId, row);
    this.appendJournal(sysId, values, now);
    return row;
  }

  get(sysId: string): Row | undefined {
    return this.rows.get(sysId);
  }

  all(): Row[] {
    return [...this.rows.values()];
  }

  update(sysId: string, fields: Record<string, unknown>): Row {
    const row = this.rows.get(sysId);
    if (!row) throw tableErrors.noRecord();
    const values = this.values(fields, false);
    const to = values.state ?? row.state ?? '-5';
    const from = row.state ?? '-5';
    if (!changeStates.includes(to as (typeof changeStates)[number])) throw tableErrors.invalidChoice('state', to, changeStates);
    if (!canMove(row.type ?? 'normal', from, to)) throw tableErrors.stateModel(sysId, from, to);
    const merged = { ...row, ...values };
    if (to === '3' && from !== '3') {
      const missing = [...(merged.close_code ? [] : ['Close code']), ...(merged.close_notes ? [] : ['Close notes'])];
      if (missing.length > 0) throw tableErrors.dataPolicy(missing);
    }
    if (merged.close_code && !(closeCodes as readonly string[]).includes(merged.close_code)) {
      throw tableErrors.invalidChoice('close_code', merged.close_code, closeCodes);
    }
    const now = glideTime(this.clock());
    const updated: Row = {
      ...merged,
      active: to === '3' || to === '4' ? 'false' : 'true',
      work_notes: '',
      comments: '',
      sys_mod_count: String(Number(row.sys_mod_count ?? '0') + 1),
      sys_updated_on: now,
      sys_updated_by: this.user,
    };
    this.rows.set(sysId, updated);
    this.appendJournal(sysId, values, now);
    return updated;
  }

  delete(sysId: string): void {
    if (!this.rows.delete(sysId)) throw tableErrors.noRecord();
  }

  journalFor(sysId?: string, element?: string): JournalEntry[] {
    return this.journal.filter((j) => (sysId === undefined || j.element_id === sysId) && (element === undefined || j.element === element));
  }

  /** Plain string values for storage; reference objects become their sys_id. */
  private values(fields: Record<string, unknown>, creating: boolean): Row {
    const out: Row = {};
    for (const [name, value] of Object.entries(fields)) {
      if (!creating && readOnly.has(name)) continue;
      if (creating && readOnly.has(name) && name !== 'sys_id' && name !== 'number') continue;
      if (value === null || value === undefined) out[name] = '';
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
      else if (name in referenceTables && typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string') {
        out[name] = (value as { value: string }).value;
      } else throw tableErrors.badRequest('Invalid field value', `field ${name} must be a string, found ${JSON.stringify(value).slice(0, 60)}`);
    }
    return out;
  }

  private appendJournal(sysId: string, values: Row, now: string): void {
    for (const element of journalFields) {
      const value = values[element];
      if (!value) continue;
      const n = this.journal.length + 1;
      this.journal.push({
        sys_id: createHash('sha256').update(`sys_journal_field:${n}`).digest('hex').slice(0, 32),
        name: 'change_request',
        element,
        element_id: sysId,
        value,
        sys_created_on: now,
        sys_created_by: this.user,
      });
    }
  }
}

/** Renders a row as the Table API does: reference fields as {link, value}. */
export function presentRow(row: Row, baseUrl: string, fields?: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (fields && !fields.includes(name)) continue;
    const table = referenceTables[name];
    out[name] = table && value !== '' ? { link: `${baseUrl}/api/now/table/${table}/${value}`, value } : value;
  }
  return out;
}

function glideTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
