import { apiRoutes, type ApiRoute } from '../../cdk/api-routes.js';

// Route matching the way API Gateway HTTP APIs do it for our routes: exact segments, `{name}`
// matches one non-empty segment and becomes a path parameter (URL-decoded).

export type RouteMatch =
  | { kind: 'route'; route: ApiRoute; routeKey: string; pathParameters?: Record<string, string> }
  | { kind: 'health' }
  | { kind: 'none'; allowed: readonly string[] };

export const healthPath = '/healthz';

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = apiRoutes.map((route) => {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), names };
});

export function matchRoute(method: string, rawPath: string): RouteMatch {
  if (rawPath === healthPath && (method === 'GET' || method === 'HEAD')) return { kind: 'health' };
  const allowed: string[] = [];
  for (const { route, pattern, names } of compiled) {
    const m = pattern.exec(rawPath);
    if (!m) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const routeKey = `${route.method} ${route.path}`;
    if (names.length === 0) return { kind: 'route', route, routeKey };
    const pathParameters = Object.fromEntries(names.map((name, i) => [name, decodeSegment(m[i + 1] ?? '')]));
    return { kind: 'route', route, routeKey, pathParameters };
  }
  return { kind: 'none', allowed };
}

/** A malformed escape stays as sent; the handler then answers 404 for an id that does not exist. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch (err) {
    if (err instanceof URIError) return segment;
    throw err;
  }
}
