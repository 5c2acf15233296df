import { rename, writeFile } from 'node:fs/promises';

// What systemd or a monitoring probe reads: is the agent polling, and what is it doing.
export interface AgentHealth {
  pid: number;
  agent: string;
  startedAt: string;
  lastPollAt: string | null;
  running: Array<{ changeId: string; step: string; site: string; startedAt: string }>;
  completed: number;
  failed: number;
  state: 'starting' | 'polling' | 'stopping' | 'stopped';
}

export class HealthReporter {
  readonly health: AgentHealth;
  private writing: Promise<void> = Promise.resolve();

  constructor(agent: string, private readonly file: string | undefined, now: Date) {
    this.health = { pid: process.pid, agent, startedAt: now.toISOString(), lastPollAt: null, running: [], completed: 0, failed: 0, state: 'starting' };
  }

  /** Writes the health file atomically (tmp + rename); writes are serialised. */
  flush(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const body = JSON.stringify(this.health, null, 2);
    this.writing = this.writing.then(async () => {
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, file);
    });
    return this.writing;
  }
}
