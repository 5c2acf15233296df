import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from './json.js';
import type { ObjectStore, StoreEvent } from './object-store.js';
import { namespaceOf, objectFilter } from './selectors.js';
import type { ResourceDef } from './resources.js';
import { KubeStatusError } from './status-errors.js';

// ?watch=true: a chunked stream of {"type","object"} lines, as client-go informers, `kubectl
// rollout status` and `kubectl delete --wait` consume it. Without a resourceVersion (or "0") the
// current objects come first as ADDED; with one, history after it is replayed, or 410 Gone.
export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  scope: { def: ResourceDef; apiVersion: string; namespace?: string },
  store: ObjectStore,
  openWatches: Set<ServerResponse>,
): void {
  const filter = objectFilter(query);
  const inScope = (def: ResourceDef, obj: JsonObject): boolean =>
    def === scope.def && (!scope.def.namespaced || scope.namespace === undefined || namespaceOf(obj) === scope.namespace) && filter(obj);
  const send = (type: string, obj: JsonObject): void => {
    res.write(JSON.stringify({ type, object: { ...obj, apiVersion: scope.apiVersion } }) + '\n');
  };
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
  res.flushHeaders(); // clients wait for the headers before they consider the watch open
  openWatches.add(res);

  const rvText = query.get('resourceVersion');
  if (!rvText || rvText === '0') {
    for (const obj of store.list(scope.def, scope.namespace)) if (filter(obj)) send('ADDED', obj);
  } else {
    const history = store.eventsSince(Number(rvText));
    if (!history) {
      const gone = new KubeStatusError(410, 'Expired', `too old resource version: ${rvText} (${store.resourceVersion})`);
      res.end(JSON.stringify({ type: 'ERROR', object: gone.toStatus() }) + '\n');
      openWatches.delete(res);
      return;
    }
    for (const e of history) if (inScope(e.def, e.object)) send(e.type, e.object);
  }

  const unsubscribe = store.subscribe((e: StoreEvent) => {
    if (inScope(e.def, e.object)) send(e.type, e.object);
  });
  const timeout = Number(query.get('timeoutSeconds') ?? '0');
  const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
  const stop = (): void => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    openWatches.delete(res);
  };
  req.on('close', stop);
  res.on('close', stop);
}
