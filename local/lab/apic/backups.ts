import { childDn, parentDn } from '../../../shared/aci/dn.js';
import { aciClass } from '../../../shared/aci/classes.js';
import type { Mit, Mo } from './mit.js';
import { isPolicyMo, policyMos } from './policy-scope.js';
import type { Change } from './write.js';

// Config snapshots and rollback imports. Triggering configExportP (adminSt=triggered,
// snapshot=yes) records a job at once (Ansible reads it right after the POST) and, after a delay,
// publishes a configSnapshot under uni/backupst/snapshots-[<policy dn>]; configImportP with
// fileName=ce2_<policy>-<stamp>.tar.gz replaces (or merges) the configuration with it.

export interface BackupOptions {
  delayMs: number;
  now: () => Date;
  onSettled?: () => void;
}

function stamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/:/g, '-');
}

function seed(mit: Mit, className: string, dn: string, attrs: Record<string, string>, now: string): void {
  const def = aciClass(className);
  const old = mit.get(dn);
  mit.put({ className, dn, attrs: { ...def?.config, ...def?.oper, ...old?.attrs, ...attrs }, modTs: now });
}

export class BackupJobs {
  private files = new Map<string, Mo[]>();
  private timers = new Set<NodeJS.Timeout>();
  private lastStamp = 0;

  constructor(
    private readonly mit: Mit,
    private readonly opts: BackupOptions,
  ) {}

  /** Number of jobs still running. */
  get pending(): number {
    return this.timers.size;
  }

  onCommit(changes: ReadonlyArray<Change>): void {
    for (const c of changes) {
      if (c.status === 'deleted') continue;
      const mo = this.mit.get(c.dn);
      if (!mo || mo.attrs.adminSt !== 'triggered') continue;
      if (c.className === 'configExportP') this.startExport(mo);
      if (c.className === 'configImportP') this.startImport(mo);
    }
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private nowIso(): string {
    return this.opts.now().toISOString().replace('Z', '+00:00');
  }

  // Snapshot names have one-second resolution; keep them unique when jobs come faster.
  private nextStamp(): string {
    const t = Math.max(Math.floor(this.opts.now().getTime() / 1000), this.lastStamp + 1);
    this.lastStamp = t;
    return stamp(new Date(t * 1000));
  }

  private job(policy: Mo, type: string, name: string, operSt: string, details: string): void {
    const now = this.nowIso();
    if (!this.mit.get('uni/backupst')) seed(this.mit, 'configBackupStatusCont', 'uni/backupst', {}, now);
    const cont = `uni/backupst/jobs-[${policy.dn}]`;
    seed(this.mit, 'configJobCont', cont, { target: policy.dn, lastJobName: name }, now);
    seed(this.mit, 'configJob', childDn(cont, `run-${name}`), {
      name, type, operSt, details, executeTime: now, lastStepDescr: details,
    }, now);
  }

  private later(fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
      this.opts.onSettled?.();
    }, this.opts.delayMs);
    this.timers.add(t);
  }

  private startExport(policy: Mo): void {
    const name = this.nextStamp();
    const content = policyMos(this.mit).map((mo) => ({ ...mo, attrs: { ...mo.attrs } }));
    this.job(policy, 'export', name, 'pending', 'Job queued');
    this.later(() => {
      const now = this.nowIso();
      const fileName = `ce2_${policy.attrs.name}-${name}.tar.gz`;
      this.files.set(fileName, content);
      const cont = `uni/backupst/snapshots-[${policy.dn}]`;
      seed(this.mit, 'configSnapshotCont', cont, { target: policy.dn, rootDn: 'uni' }, now);
      seed(this.mit, 'configSnapshot', childDn(cont, `snapshot-run-${name}`), {
        name: `run-${name}`, fileName, createTime: now, rootDn: 'uni', targetDn: '', descr: policy.attrs.descr ?? '',
      }, now);
      this.finish(policy, 'export', name, fileName);
    });
  }

  private startImport(policy: Mo): void {
    const name = this.nextStamp();
    const fileName = policy.attrs.fileName ?? '';
    this.job(policy, 'import', name, 'pending', 'Job queued');
    this.later(() => {
      const content = this.files.get(fileName);
      if (!content) {
        this.job(policy, 'import', name, 'failed', `file ${fileName} not found`);
        this.untrigger(policy.dn);
        return;
      }
      this.restore(content, policy.attrs.importType === 'replace');
      this.finish(policy, 'import', name, fileName);
    });
  }

  /** Atomic: runs between two requests, so no reader sees a half-restored tree. */
  private restore(content: ReadonlyArray<Mo>, replace: boolean): void {
    if (replace) {
      const keep = new Set(content.map((mo) => mo.dn));
      for (const mo of policyMos(this.mit)) if (!keep.has(mo.dn) && this.mit.get(mo.dn)) this.mit.deleteSubtree(mo.dn);
    }
    for (const mo of content) this.mit.put({ ...mo, attrs: { ...mo.attrs } });
    // Operational children (learned endpoints) go with a parent the snapshot did not have.
    for (const mo of this.mit.subtree('uni')) {
      if (!isPolicyMo(mo) && parentDn(mo.dn) !== '' && !this.mit.get(parentDn(mo.dn))) this.mit.deleteSubtree(mo.dn);
    }
  }

  private finish(policy: Mo, type: string, name: string, fileName: string): void {
    this.job(policy, type, name, 'success', 'Success');
    const job = this.mit.get(childDn(`uni/backupst/jobs-[${policy.dn}]`, `run-${name}`));
    if (job) job.attrs.fileName = fileName;
    this.untrigger(policy.dn);
  }

  private untrigger(dn: string): void {
    const policy = this.mit.get(dn);
    if (policy) policy.attrs.adminSt = 'untriggered';
  }
}
