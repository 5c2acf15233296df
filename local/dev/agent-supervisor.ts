import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

// The bastion agent runs as its own process, as it does on a real bastion under systemd with
// Restart=always: if it dies (the agent.crash lab fault), it is started again and the workflow,
// having seen its heartbeats stop, hands the rollback to the new process.

export interface AgentSupervisorOptions {
  readonly repoRoot: string;
  readonly configPath: string;
  /** agent.crash=STEP for the first process only: a restarted agent must not crash again. */
  readonly crashStep?: string;
  readonly log: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

export class AgentSupervisor {
  private child?: ChildProcess;
  private stopping = false;
  private starts = 0;
  private restartTimer?: NodeJS.Timeout;

  constructor(private readonly opts: AgentSupervisorOptions) {}

  get restarts(): number {
    return Math.max(0, this.starts - 1);
  }

  start(): void {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.opts.env };
    if (this.starts === 0 && this.opts.crashStep) env['CHANGEFLOW_AGENT_CRASH'] = this.opts.crashStep;
    else delete env['CHANGEFLOW_AGENT_CRASH'];
    this.starts++;
    const child = spawn(process.execPath, [resolve(this.opts.repoRoot, 'bin/changeflow.mjs'), 'agent', '--config', this.opts.configPath], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.opts.log(`agent: ${line}`);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      this.opts.log(`agent exited (${signal ?? code}); restarting in 1 s`);
      this.restartTimer = setTimeout(() => this.start(), 1000);
    });
  }

  /** SIGTERM, as systemd would; the agent fails a running task with AgentShutdown and exits. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((done) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        done();
      });
      child.kill('SIGTERM');
    });
  }
}
