import { jiraErrors } from './jira-error.js';
import type { Comment, Issue, IssueStore } from './issues.js';
import type { Workflow } from './workflow.js';

// The Jira REST subset: create and read issues, comments, transitions (v3 with ADF, v2 with
// plain strings), shaped like Jira Cloud's answers.

export interface JiraReply {
  status: number;
  body?: unknown;
}

export interface JiraContext {
  issues: IssueStore;
  workflow: Workflow;
  baseUrl: string;
  user: { accountId: string; emailAddress: string; displayName: string };
}

/** People the lab instance knows besides its integration user: the example tickets' change manager. */
const labPeople = [{ accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Change Manager', emailAddress: 'change.manager@example.com' }];

export function routeJiraApi(ctx: JiraContext, method: string, url: URL, body: unknown): JiraReply {
  if (/^\/rest\/api\/[23]\/user\/?$/.test(url.pathname) && method === 'GET') {
    // GET /rest/api/3/user?accountId=… as Jira Cloud answers it (email hidden by its privacy default).
    const accountId = url.searchParams.get('accountId') ?? '';
    const person = [ctx.user, ...labPeople].find((p) => p.accountId === accountId);
    if (!person) throw jiraErrors.notFound(`user ${accountId}`);
    return { status: 200, body: { self: `${ctx.baseUrl}/rest/api/3/user?accountId=${accountId}`, accountId, accountType: 'atlassian', displayName: person.displayName, active: true } };
  }
  const m = /^\/rest\/api\/([23])\/issue(?:\/([^/]+)(?:\/(comment|transitions))?)?\/?$/.exec(url.pathname);
  if (!m) throw jiraErrors.notFound(url.pathname);
  const [, version, rawKey, sub] = m as unknown as [string, '2' | '3', string | undefined, string | undefined];
  const route = `${method} ${rawKey === undefined ? 'issue' : sub ?? 'key'}`;
  const key = decodeURIComponent(rawKey ?? '');
  switch (route) {
    case 'POST issue': {
      const issue = ctx.issues.create(objectField(body, 'fields'), version);
      return { status: 201, body: { id: issue.id, key: issue.key, self: `${ctx.baseUrl}/rest/api/${version}/issue/${issue.id}` } };
    }
    case 'GET key':
      return { status: 200, body: presentIssue(ctx, ctx.issues.get(key), version, url.searchParams.get('fields')) };
    case 'GET comment': {
      const comments = ctx.issues.get(key).comments.map((c) => presentComment(ctx, key, c, version));
      return { status: 200, body: { startAt: 0, maxResults: 5000, total: comments.length, comments } };
    }
    case 'POST comment': {
      const comment = ctx.issues.comment(key, (body as { body?: unknown } | undefined)?.body, ctx.user.emailAddress, version);
      return { status: 201, body: presentComment(ctx, key, comment, version) };
    }
    case 'GET transitions': {
      const transitions = ctx.workflow.available(ctx.issues.get(key).status).map((t) => ({
        id: t.id,
        name: t.name,
        to: presentStatus(ctx, t.to),
        hasScreen: false,
        isGlobal: false,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        isLooped: false,
      }));
      return { status: 200, body: { expand: 'transitions', transitions } };
    }
    case 'POST transitions': {
      const id = (body as { transition?: { id?: unknown } } | undefined)?.transition?.id;
      if (typeof id !== 'string' && typeof id !== 'number') throw jiraErrors.missingTransition();
      ctx.issues.transition(key, String(id), ctx.user.emailAddress);
      return { status: 204 };
    }
    default:
      throw jiraErrors.notFound(`${method} ${url.pathname}`);
  }
}

function objectField(body: unknown, name: string): Record<string, unknown> {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw jiraErrors.field(name, `expected an object "${name}" in the request body`);
}

export function presentStatus(ctx: JiraContext, name: string): Record<string, unknown> {
  const s = ctx.workflow.status(name);
  const category = s?.category ?? 'indeterminate';
  return {
    self: `${ctx.baseUrl}/rest/api/3/status/${s?.id ?? '0'}`,
    id: s?.id ?? '0',
    name,
    statusCategory: { key: category, name: category === 'new' ? 'To Do' : category === 'done' ? 'Done' : 'In Progress' },
  };
}

function presentComment(ctx: JiraContext, key: string, c: Comment, version: string): Record<string, unknown> {
  const author = { accountId: ctx.user.accountId, emailAddress: c.author, displayName: ctx.user.displayName };
  return { self: `${ctx.baseUrl}/rest/api/${version}/issue/${key}/comment/${c.id}`, id: c.id, author, updateAuthor: author, body: c.body, created: c.created, updated: c.created, jsdPublic: true };
}

function presentIssue(ctx: JiraContext, issue: Issue, version: string, fieldsParam: string | null): Record<string, unknown> {
  const all: Record<string, unknown> = {
    ...issue.fields,
    status: presentStatus(ctx, issue.status),
    created: issue.created,
    updated: issue.updated,
    comment: { startAt: 0, maxResults: issue.comments.length, total: issue.comments.length, comments: issue.comments.map((c) => presentComment(ctx, issue.key, c, version)) },
  };
  const wanted = fieldsParam?.split(',').map((f) => f.trim()).filter((f) => f !== '' && f !== '*all');
  const fields = wanted && wanted.length > 0 ? Object.fromEntries(Object.entries(all).filter(([k]) => wanted.includes(k))) : all;
  return { id: issue.id, key: issue.key, self: `${ctx.baseUrl}/rest/api/${version}/issue/${issue.id}`, fields };
}
