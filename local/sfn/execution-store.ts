import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../shared/canonical-json.js';
import { ExecutionRecord } from './execution-record.js';

// One JSON file per execution under <dataDir>/sfn/executions/, each written to a temporary file
// and renamed into place so a crash never leaves half a record. Enough for a dev session; AWS
// keeps history 90 days, we keep it until the data dir is removed.
export class ExecutionStore {
  private readonly dir: string;

  constructor(dataDir: string, private readonly log: (line: string) => void) {
    this.dir = join(dataDir, 'sfn', 'executions');
    mkdirSync(this.dir, { recursive: true });
  }

  private fileOf(executionArn: string): string {
    return join(this.dir, `${sha256Hex(executionArn).slice(0, 40)}.json`);
  }

  save(record: ExecutionRecord): void {
    const file = this.fileOf(record.executionArn);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(record));
    renameSync(temp, file);
  }

  /**
   * Every stored execution. One that was RUNNING when the process died is closed as ABORTED:
   * nothing can resume it, and leaving it RUNNING is the "stuck forever" users complain about —
   * unless `canResume` says the runtime can pick it up again (it waits for a callback token).
   */
  load(now: number, canResume: (record: ExecutionRecord) => boolean = () => false): ExecutionRecord[] {
    const records: ExecutionRecord[] = [];
    for (const name of readdirSync(this.dir).filter((n) => n.endsWith('.json'))) {
      const parsed = ExecutionRecord.safeParse(readJson(join(this.dir, name)));
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

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
