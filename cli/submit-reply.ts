import * as z from '../shared/zod.js';
import { parseJsonText } from '../shared/json-text.js';

// The replies of docs/architecture.md §3.2 as `changeflow submit` reads them, and the exit code each one
// means (§3.4): started or duplicate → 0 (or the change's outcome with --wait); ignored → 2, like
// a rejection: nothing was started and the reason says why; 4xx → 3, bad input; else → 1.

const Issue = z.object({ path: z.string(), message: z.string() });
export const SubmitReply = z.union([
  z.object({ status: z.literal('started'), changeId: z.string(), executionArn: z.string() }),
  z.object({ status: z.literal('duplicate'), changeId: z.string() }),
  z.object({ status: z.literal('ignored'), reason: z.string() }),
  z.object({ error: z.object({ code: z.string(), message: z.string(), issues: z.optional(z.array(Issue)) }) }),
]);
export type SubmitReply = z.infer<typeof SubmitReply>;

export interface ReplyOutcome {
  exitCode: 0 | 1 | 2 | 3;
  /** Lines for the operator, without colour. */
  lines: string[];
  /** Set when a change exists to wait for. */
  changeId?: string;
  reply?: SubmitReply;
}

export function readReply(httpStatus: number, bodyText: string): ReplyOutcome {
  const parsed = SubmitReply.safeParse(parseJsonText(bodyText));
  if (!parsed.success) {
    return { exitCode: 1, lines: [`unexpected reply ${httpStatus}: ${bodyText.slice(0, 300) || '(empty)'}`] };
  }
  const reply = parsed.data;
  if ('error' in reply) {
    const { code, message, issues = [] } = reply.error;
    const exitCode = httpStatus >= 400 && httpStatus < 500 ? 3 : 1;
    return { exitCode, reply, lines: [`refused ${httpStatus} ${code}: ${message}`, ...issues.map((i) => `  ${i.path || '(body)'}: ${i.message}`)] };
  }
  if (reply.status === 'ignored') return { exitCode: 2, reply, lines: [`ignored: ${reply.reason}`] };
  if (reply.status === 'duplicate') return { exitCode: 0, reply, changeId: reply.changeId, lines: [`duplicate: change ${reply.changeId} was already started for this delivery`] };
  return { exitCode: 0, reply, changeId: reply.changeId, lines: [`started ${reply.changeId}`, `  execution ${reply.executionArn}`] };
}

