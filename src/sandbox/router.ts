import FindMyWay from 'find-my-way';
import type { RouteDef } from './context';

export interface RouteMatch {
  def: RouteDef;
  params: Record<string, string | undefined>;
}

export interface Router {
  find(method: string, path: string): RouteMatch | null;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export function buildRouter(defs: readonly RouteDef[]): Router {
  const fmw = FindMyWay({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true });
  for (const def of defs) {
    // The handler slot is unused: dispatch happens in dispatch.ts so the pipeline stays in one place.
    fmw.on(def.method, def.path, () => undefined, def);
  }
  return {
    find(method, path) {
      if (!METHODS.has(method)) return null;
      const found = fmw.find(method as RouteDef['method'], path);
      if (!found) return null;
      return { def: found.store as RouteDef, params: found.params };
    },
  };
}
