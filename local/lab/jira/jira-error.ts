import { ChangeflowError } from '../../../shared/errors.js';

/** A Jira REST error reply: `{"errorMessages": [...], "errors": {field: message}}`. */
export class JiraLabError extends ChangeflowError {
  override readonly name = 'JiraLabError' as const;
  constructor(
    readonly httpStatus: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
  ) {
    super([...errorMessages, ...Object.entries(errors).map(([k, v]) => `${k}: ${v}`)].join('; '));
  }

  body(): { errorMessages: string[]; errors: Record<string, string> } {
    return { errorMessages: this.errorMessages, errors: this.errors };
  }
}

export const jiraErrors = {
  notAuthenticated: () => new JiraLabError(401, ['You are not authenticated. Authentication required to perform this operation.']),
  noIssue: () => new JiraLabError(404, ['Issue does not exist or you do not have permission to see it.']),
  notFound: (path: string) => new JiraLabError(404, [`No resource at ${path} in the lab Jira`]),
  badJson: (detail: string) => new JiraLabError(400, [`Unexpected character in the request body: ${detail}`]),
  field: (field: string, message: string) => new JiraLabError(400, [], { [field]: message }),
  notAdf: (field: string) => new JiraLabError(400, [], { [field]: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' }),
  badTransition: (id: string) => new JiraLabError(400, [`Transition id '${id}' is not valid for this issue.`]),
  missingTransition: () => new JiraLabError(400, ["Missing 'transition' identifier"]),
  fault: (status: number) => new JiraLabError(status, [status === 503 ? 'Service unavailable' : 'Internal server error']),
};
