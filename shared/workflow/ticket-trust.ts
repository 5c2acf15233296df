// Where a change came in through a ticketing system's signed webhook. Anything else (console, API,
// CLI) is a manual start that only names its ticket: the ticket is untrusted until the re-check
// before apply has read it from the ticketing system (approved, inside its window).
const webhookSources: ReadonlySet<string> = new Set(['servicenow', 'jira']);

export function cameThroughWebhook(source: string): boolean {
  return webhookSources.has(source);
}
