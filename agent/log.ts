import type { Redactor } from '../shared/runtime/redact.js';

// JSON lines on stderr (journald keeps them); every line is redacted before it is written.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const fixedKeys = new Set(['at', 'level', 'agent', 'message']);

export interface AgentLog {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

export function createAgentLog(opts: {
  redactor: Redactor;
  level: LogLevel;
  agent: string;
  write?: (line: string) => void;
  now?: () => Date;
}): AgentLog {
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = opts.now ?? (() => new Date());
  return {
    log(level, message, fields = {}) {
      if (order[level] < order[opts.level]) return;
      // A field named like a fixed key must not overwrite the timestamp or the level.
      const extra = Object.fromEntries(Object.entries(fields).filter(([k]) => !fixedKeys.has(k)));
      write(opts.redactor.text(JSON.stringify({ at: now().toISOString(), level, agent: opts.agent, message, ...extra })));
    },
  };
}
