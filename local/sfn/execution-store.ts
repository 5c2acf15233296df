import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '../../shared/zod.js';
import { sha256Hex } from '../../shared/canonical-json.js';
import { PayloadCorrupt } from './errors.js';
import { ExecutionRecord } from './execution-record.js';
import type { HistoryEvent } from './history.js';

// One JSON file per execution under <dataDir>/sfn/executions/, each written to a temporary file
// and renamed into place so a crash never leaves half a record. Enough for a dev session; AWS
// keeps history 90 days, we keep it until the data dir is removed.
//
// Large payloads (a state's input or output, the execution's input and output) are kept by
// reference: written once under <dataDir>/sfn/payloads/<sha256>.json and named from the record.
// A change's gathered facts pass through half a dozen history events (activity output, the
// task's exit, the next states' input); embedded, every save of the record rewrote each copy.

/** Payload text at or above this size is stored once beside the record instead of inside it. */
export const payloadByReferenceBytes = 8 * 1024;

/** What a large payload field holds in the stored record. */
const PayloadRef = z.strictObject({ payload: z.string().check(z.regex(/^[0-9a-f]{64}$/)), bytes: z.int() });
type PayloadRef = z.infer<typeof PayloadRef>;

const payloadFields = ['input', 'output'] as const;

export class ExecutionStore {
  private readonly dir: string;
  private readonly payloadDir: string;
  private readonly written = new Set<string>();
  /** Each history event's stored form, made once: events never change after they are recorded. */
  private readonly storedEvents = new WeakMap<HistoryEvent, HistoryEvent>();

  constructor(dataDir: string, private readonly log: (line: string) => void) {
    this.dir = join(dataDir, 'sfn', 'executions');
    this.payloadDir = join(dataDir, 'sfn', 'payloads');
    mkdirSync(this.dir, { recursive: true });
    mkdirSync(this.payloadDir, { recursive: true });
  }

  private fileOf(executionArn: string): string {
    return join(this.dir, `${sha256Hex(executionArn).slice(0, 40)}.json`);
  }

  save(record: ExecutionRecord): void {
    const file = this.fileOf(record.executionArn);
    const stored = {
      ...record,
      input: this.byReference(record.input),
      ...(record.output !== undefined ? { output: this.byReference(record.output) } : {}),
      events: record.events.map((event) => this.storedEvent(event)),
    };
    writeAtomically(file, JSON.stringify(stored));
  }

  private storedEvent(event: HistoryEvent): HistoryEvent {
    const known = this.storedEvents.get(event);
    if (known) return known;
    let stored = event;
    for (const [key, value] of Object.entries(event)) {
      if (!key.endsWith('EventDetails') || !value || typeof value !== 'object') continue;
      const details = value as Record<string, unknown>;
      const large = payloadFields.filter((f) => typeof details[f] === 'string' && Buffer.byteLength(details[f] as string) >= payloadByReferenceBytes);
      if (large.length === 0) continue;
      stored = { ...stored, [key]: { ...details, ...Object.fromEntries(large.map((f) => [f, this.byReference(details[f] as string)])) } };
    }
    this.storedEvents.set(event, stored);
    return stored;
  }

  private byReference(text: string): string | PayloadRef {
    const bytes = Buffer.byteLength(text);
    if (bytes < payloadByReferenceBytes) return text;
    const payload = sha256Hex(text);
    if (!this.written.has(payload)) {
      const file = join(this.payloadDir, `${payload}.json`);
      // Content-addressed: a file that is there already holds exactly this text.
      if (!existsSync(file)) writeAtomically(file, text);
      this.written.add(payload);
    }
    return { payload, bytes };
  }

  private resolve(value: unknown, where: string): unknown {
    const ref = PayloadRef.safeParse(value);
    if (!ref.success) return value;
    const text = readFileSync(join(this.payloadDir, `${ref.data.payload}.json`), 'utf8');
    if (sha256Hex(text) !== ref.data.payload) throw new PayloadCorrupt(`sfn: payload ${ref.data.payload} of ${where} in ${this.payloadDir} does not match its digest`);
    return text;
  }

  /** The record as saved, with every payload reference replaced by its text again. */
  private restored(raw: unknown, name: string): unknown {
    if (!raw || typeof raw !== 'object') return raw;
    const record = raw as Record<string, unknown>;
    const events = Array.isArray(record['events']) ? (record['events'] as unknown[]) : [];
    return {
      ...record,
      input: this.resolve(record['input'], name),
      ...(record['output'] !== undefined ? { output: this.resolve(record['output'], name) } : {}),
      events: events.map((event) => {
        if (!event || typeof event !== 'object') return event;
        return Object.fromEntries(
          Object.entries(event).map(([key, value]) => {
            if (!key.endsWith('EventDetails') || !value || typeof value !== 'object') return [key, value];
            const details = value as Record<string, unknown>;
            return [key, { ...details, ...Object.fromEntries(payloadFields.filter((f) => f in details).map((f) => [f, this.resolve(details[f], name)])) }];
          }),
        );
      }),
    };
  }

  /**
   * Every stored execution. One that was RUNNING when the process died is closed as ABORTED:
   * nothing can resume it, and leaving it RUNNING is the "stuck forever" users complain about —
   * unless `canResume` says the runtime can pick it up again (it waits for a callback token).
   */
  load(now: number, canResume: (record: ExecutionRecord) => boolean = () => false): ExecutionRecord[] {
    const records: ExecutionRecord[] = [];
    for (const name of readdirSync(this.dir).filter((n) => n.endsWith('.json'))) {
      let raw: unknown;
      try {
        raw = this.restored(readJson(join(this.dir, name)), name);
      } catch (error) {
        // A payload file that is gone or altered: the record cannot be shown as it was.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof PayloadCorrupt)) throw error;
        this.log(`sfn: ignoring ${name} in ${this.dir}: ${(error as Error).message}`);
        continue;
      }
      const parsed = ExecutionRecord.safeParse(raw);
      if (!parsed.success) {
        this.log(`sfn: ignoring ${name} in ${this.dir}: not an execution record (${parsed.error.issues[0]?.message ?? 'invalid'})`);
        continue;
      }
      const record = parsed.data;
      if (record.status === 'RUNNING' && !canResume(record)) this.abort(record, now, 'local runtime restarted');
      records.push(record);
    }
    return records.sort((a, b) => a.startDate - b.startDate);
  }

  /** Closes a RUNNING record as ABORTED with the closing history event, and saves it. */
  abort(record: ExecutionRecord, now: number, cause: string): void {
    const last = record.events.at(-1);
    record.events.push({
      id: (last?.id ?? 0) + 1,
      previousEventId: last?.id ?? 0,
      timestamp: now,
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'States.Runtime', cause },
    });
    Object.assign(record, { status: 'ABORTED', stopDate: now, error: 'States.Runtime', cause });
    delete record.callbacks;
    this.save(record);
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
