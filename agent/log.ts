import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { Redactor } from '../shared/runtime/redact.js';

// The agent logs with Powertools Logger, like the Lambdas (it works outside Lambda too): JSON
// lines on stderr (journald keeps them), in the agent's shape {at, level, agent, message, …};
// every line passes the Redactor as a whole before it is written, so a secret in any field or
// message — known config values and credential shapes — never reaches the journal.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const fixedKeys = new Set(['at', 'level', 'agent', 'message']);

export interface AgentLog {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

class AgentLineFormatter extends LogFormatter {
  constructor(
    private readonly agent: string,
    private readonly now: () => Date,
  ) {
    super();
  }

  override formatAttributes(attributes: UnformattedAttributes, extra: LogAttributes): LogItem {
    const fixed = { at: this.now().toISOString(), level: attributes.logLevel.toLowerCase(), agent: this.agent, message: attributes.message };
    return new LogItem({ attributes: fixed }).addAttributes(extra);
  }
}

/** Powertools Logger writing redacted lines to `write` instead of its own console. */
class AgentLogger extends Logger {
  constructor(
    options: ConstructorParameters<typeof Logger>[0],
    private readonly redactor: Redactor,
    private readonly write: (line: string) => void,
  ) {
    super(options);
  }

  protected override printLog(_level: number, log: LogItem): void {
    log.prepareForPrint();
    this.write(this.redactor.text(JSON.stringify(log.getAttributes())));
  }
}

export function createAgentLog(opts: {
  redactor: Redactor;
  level: LogLevel;
  agent: string;
  write?: (line: string) => void;
  now?: () => Date;
}): AgentLog {
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const logger = new AgentLogger(
    { serviceName: opts.agent, logLevel: opts.level.toUpperCase() as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR', logFormatter: new AgentLineFormatter(opts.agent, opts.now ?? (() => new Date())) },
    opts.redactor,
    write,
  );
  return {
    log(level, message, fields = {}) {
      // A field named like a fixed key must not overwrite the timestamp or the level.
      const extra = Object.fromEntries(Object.entries(fields).filter(([k]) => !fixedKeys.has(k)));
      logger[level](message, extra);
    },
  };
}
