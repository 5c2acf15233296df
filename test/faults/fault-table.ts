import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from '../../shared/zod.js';

// The fault table the lead quotes: one row per case (fault, step, terminal state, state restored,
// seconds), printed at the end of the run; written as JSON only where CHANGEFLOW_FAULTS_JSON names a
// file (`npm test` writes nothing into the work tree).

export const FaultRow = z.object({
  case: z.int(),
  fault: z.string(),
  step: z.string(),
  terminal: z.string(),
  expected: z.string(),
  restored: z.string(),
  seconds: z.number(),
});
export type FaultRow = z.infer<typeof FaultRow>;

export const faultsJsonPath = process.env['CHANGEFLOW_FAULTS_JSON'];

export class FaultTable {
  private readonly rows: FaultRow[] = [];

  add(row: FaultRow): void {
    this.rows.push(FaultRow.parse({ ...row, seconds: Math.round(row.seconds * 10) / 10 }));
  }

  sorted(): FaultRow[] {
    return [...this.rows].sort((a, b) => a.case - b.case);
  }

  async save(now: Date, path = faultsJsonPath): Promise<void> {
    if (!path) return;
    await mkdir(join(path, '..'), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ generatedAt: now.toISOString(), rows: this.sorted() }, null, 2)}\n`);
    await rename(tmp, path);
  }

  render(): string {
    const head = ['#', 'fault', 'step', 'terminal', 'restored', 'seconds'];
    const body = this.sorted().map((r) => [
      String(r.case), r.fault, r.step, r.terminal === r.expected ? r.terminal : `${r.terminal} (expected ${r.expected})`, r.restored, r.seconds.toFixed(1),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
    return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
  }
}
