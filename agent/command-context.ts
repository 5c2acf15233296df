import type { AgentCommand, AgentTask, CommandResult } from '../shared/agent-protocol/index.js';
import type { Clock } from '../shared/runtime/clock.js';
import type { AgentLog } from './log.js';
import type { StepProgressReport } from './progress-reporter.js';

// What a command implementation receives: a signal that fires on deadline or shutdown, the
// task it belongs to, and a checkpoint the crash fault (agent.crash=STEP) can fire at.
export interface CommandContext {
  readonly signal: AbortSignal;
  readonly deadline: Date;
  readonly task: AgentTask;
  readonly log: AgentLog;
  /** What a command waits on between polls (pass ctx.signal so a wait ends on abort); the real clock when omitted. */
  readonly clock?: Clock;
  /** How far a long command has got (the connectivity test), for `submit --wait` and `watch`; absent when not configured. */
  readonly progress?: (progress: StepProgressReport) => void;
  /** Throws when the command must stop; `afterWrite` marks the point just after a device write. */
  checkpoint(label: string, at?: { afterWrite?: boolean }): void;
}

export type RunCommand = (command: AgentCommand, ctx: CommandContext) => Promise<CommandResult>;

/** Names the targets a command touches, for the per-target mutex and the config check. */
export function commandTargets(command: AgentCommand): { fabric?: string; cluster?: string } {
  switch (command.type) {
    case 'aci.collect':
    case 'aci.snapshot':
    case 'aci.apply':
      return { fabric: command.fabric };
    case 'cluster.collect':
    case 'cluster.apply':
      return { cluster: command.cluster };
    case 'verify':
    case 'rollback':
      return { fabric: command.fabric, cluster: command.cluster };
  }
}
