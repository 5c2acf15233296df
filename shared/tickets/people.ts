import * as z from '../zod.js';
import { TicketWriteFailed } from './errors.js';
import { basicAuth, sendWithRetry, type TicketCall, type TicketHttp } from './http.js';

// Who asked for a change, as people name them: ServiceNow delivers requested_by as a sys_user
// sys_id and Jira Cloud often only a reporter accountId. The change record, its page and the
// ticket notes show "Jane Doe (jane.doe)" instead, read once from the ticketing system's user
// API and cached per container. A name that cannot be read never holds a change up: the raw id
// stays, and the caller says so.

export interface RequesterDirectory {
  /** The person's display name for an id the ticketing system gave, or undefined when it has none. */
  nameOf(id: string): Promise<string | undefined>;
}

/** 32 hex digits: a sys_id, not a user name someone typed. */
export const looksLikeSysId = (id: string): boolean => /^[0-9a-f]{32}$/.test(id);
/** Jira Cloud account ids: 24 hex digits, or `<digits>:<uuid>`. */
export const looksLikeAccountId = (id: string): boolean => /^[0-9a-f]{24}$/.test(id) || /^\d+:[0-9a-f-]{36}$/.test(id);

const SysUser = z.object({ result: z.looseObject({ name: z._default(z.string(), ''), user_name: z._default(z.string(), '') }) });
const JiraUser = z.looseObject({ displayName: z.string().check(z.minLength(1)) });

function cached(resolve: (id: string) => Promise<string | undefined>): RequesterDirectory {
  const names = new Map<string, Promise<string | undefined>>();
  return {
    nameOf(id) {
      let name = names.get(id);
      if (!name) {
        name = resolve(id);
        names.set(id, name);
        // A failed read is not remembered: the next change tries again.
        name.catch(() => names.delete(id));
      }
      return name;
    },
  };
}

export function serviceNowPeople(options: { url: string; username: string; password: string; http: TicketHttp }): RequesterDirectory {
  return cached(async (id) => {
    if (!looksLikeSysId(id)) return undefined;
    const url = `${options.url.replace(/\/$/, '')}/api/now/table/sys_user/${encodeURIComponent(id)}?sysparm_fields=name,user_name`;
    const text = await readOrMissing(options.http, {
      system: 'servicenow',
      operation: 'read requester',
      ticket: `sys_user ${id}`,
      url,
      init: { method: 'GET', headers: { accept: 'application/json', authorization: basicAuth(options.username, options.password) } },
    });
    if (text === undefined) return undefined;
    const user = SysUser.parse(JSON.parse(text)).result;
    if (user.name && user.user_name) return `${user.name} (${user.user_name})`;
    return user.name || user.user_name || undefined;
  });
}

export function jiraPeople(options: { url: string; email: string; token: string; http: TicketHttp }): RequesterDirectory {
  return cached(async (id) => {
    if (!looksLikeAccountId(id)) return undefined;
    const url = `${options.url.replace(/\/$/, '')}/rest/api/3/user?accountId=${encodeURIComponent(id)}`;
    const text = await readOrMissing(options.http, {
      system: 'jira',
      operation: 'read requester',
      ticket: `account ${id}`,
      url,
      init: { method: 'GET', headers: { accept: 'application/json', authorization: basicAuth(options.email, options.token) } },
    });
    return text === undefined ? undefined : JiraUser.parse(JSON.parse(text)).displayName;
  });
}

/** The answer's body, or undefined when the system has no such person (404). */
async function readOrMissing(http: TicketHttp, call: TicketCall): Promise<string | undefined> {
  try {
    return (await sendWithRetry(http, call)).text;
  } catch (err) {
    if (err instanceof TicketWriteFailed && err.detail.status === 404) return undefined;
    throw err;
  }
}
