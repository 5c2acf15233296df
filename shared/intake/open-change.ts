import type { ChangeRequest } from '../spec/index.js';
import { isFinalStatus, type Store } from '../store/index.js';

/**
 * One open change per ticket: our own work notes bump ServiceNow's sys_mod_count, so a business
 * rule that fires on every update would send a new delivery key while the change runs. The id of
 * the ticket's change that has not ended, if any; a request without a ticket has none.
 */
export async function openChangeOfTicket(changes: Pick<Store['changes'], 'list'>, request: ChangeRequest): Promise<string | undefined> {
  const { ticket } = request;
  // The ticket index holds the number people see (CHG0030012, NETCHG-42), else the key.
  const indexed = ticket.number ?? ticket.key;
  if (ticket.system === 'none' || !indexed) return undefined;
  const page = await changes.list({ ticket: `${ticket.system}:${indexed}` }, { limit: 20 });
  return page.changes.find((c) => !isFinalStatus(c.status, c.mode))?.changeId;
}
