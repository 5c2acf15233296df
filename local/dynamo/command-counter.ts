import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface CommandCounter {
  /** Requests sent, by SDK command name (e.g. QueryCommand), since the last reset. */
  counts(): Record<string, number>;
  reset(): void;
}

let counters = 0;

/**
 * Counts the requests a client sends, by command name — how tests and the audit benchmark prove
 * the store never issues a Scan. A DynamoDBDocumentClient built with `from(client)` shares the
 * client's middleware stack, so its commands are counted too.
 */
export function countCommands(client: DynamoDBClient): CommandCounter {
  let counts: Record<string, number> = {};
  counters += 1;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: `changeflowCommandCounter${counters}` },
  );
  return {
    counts: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
  };
}
