// The window's addresses: every view and every selected item has one, as a hash route (`#/ops/42`) so that it
// works the same in the desktop window's app:// page and in `serve`, with nothing for a server to route. Pure
// functions, tested both ways: format(parse(x)) is x for every address the window makes.

export type Route =
  | { view: 'dashboard' }
  | { view: 'operations'; opId?: number }
  /** `edit`: the plan's form; planId 'new' is never a plan (ids are lower-case, 'new' is refused by `create`). */
  | { view: 'plans'; planId?: string; edit?: true }
  | { view: 'plans'; create: true }
  | { view: 'repos'; repoId?: string; edit?: true }
  | { view: 'repos'; create: true }
  /** `path`: the folder the browser shows, absolute ('/' when absent). */
  | { view: 'snapshots'; repoId?: string; snapshotId?: string; path?: string }
  | { view: 'settings' }
  | { view: 'setup' };

export type RouteView = Route['view'];

/** The first segment of each view's address (the Operations view is `ops`, as people say it). */
const SEGMENT: Record<RouteView, string> = {
  dashboard: 'dashboard',
  operations: 'ops',
  plans: 'plans',
  repos: 'repos',
  snapshots: 'snapshots',
  settings: 'settings',
  setup: 'setup',
};
const VIEW_OF_SEGMENT = new Map(Object.entries(SEGMENT).map(([view, seg]) => [seg, view as RouteView]));

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const SNAPSHOT_ID = /^[0-9a-f]{4,64}$/i;
const CREATE = 'new';

export const HOME_ROUTE: Route = { view: 'dashboard' };

const enc = (s: string) => encodeURIComponent(s);

export function formatRoute(route: Route): string {
  const parts = [SEGMENT[route.view]];
  switch (route.view) {
    case 'operations':
      if (route.opId !== undefined) parts.push(String(route.opId));
      break;
    case 'plans':
    case 'repos':
      if ('create' in route) parts.push(CREATE);
      else {
        const id = route.view === 'plans' ? route.planId : route.repoId;
        if (id !== undefined) parts.push(enc(id));
        if (id !== undefined && route.edit) parts.push('edit');
      }
      break;
    case 'snapshots':
      if (route.repoId !== undefined) {
        parts.push(enc(route.repoId));
        if (route.snapshotId !== undefined) {
          parts.push(enc(route.snapshotId));
          const segments = (route.path ?? '/').split('/').filter(Boolean);
          parts.push(...segments.map(enc));
        }
      }
      break;
    default:
      break;
  }
  return '#/' + parts.join('/');
}

/** The route of an address; anything the window did not make (or an empty hash) is null. */
export function parseRoute(hash: string): Route | null {
  const body = hash.replace(/^#/, '');
  if (!body.startsWith('/')) return null;
  let parts: string[];
  try {
    parts = body.slice(1).split('/').map(decodeURIComponent);
  } catch {
    return null;
  }
  if (parts.at(-1) === '') parts = parts.slice(0, -1);
  const view = VIEW_OF_SEGMENT.get(parts[0] ?? '');
  if (!view) return null;
  const rest = parts.slice(1);
  switch (view) {
    case 'operations': {
      if (rest.length === 0) return { view };
      const opId = Number(rest[0]);
      return rest.length === 1 && Number.isSafeInteger(opId) && opId > 0 ? { view, opId } : null;
    }
    case 'plans':
    case 'repos': {
      if (rest.length === 0) return routeOfView(view);
      if (rest.length === 1 && rest[0] === CREATE) return view === 'plans' ? { view: 'plans', create: true } : { view: 'repos', create: true };
      const [id, mode] = rest;
      if (!ID.test(id!) || rest.length > 2 || (mode !== undefined && mode !== 'edit')) return null;
      const edit = mode === 'edit' ? { edit: true as const } : {};
      return view === 'plans' ? { view, planId: id!, ...edit } : { view, repoId: id!, ...edit };
    }
    case 'snapshots': {
      const [repoId, snapshotId, ...segments] = rest;
      if (repoId === undefined) return { view };
      if (!ID.test(repoId)) return null;
      if (snapshotId === undefined) return { view, repoId };
      if (!SNAPSHOT_ID.test(snapshotId) || segments.some((s) => s === '' || s === '.' || s === '..')) return null;
      return segments.length > 0 ? { view, repoId, snapshotId, path: '/' + segments.join('/') } : { view, repoId, snapshotId };
    }
    default:
      return rest.length === 0 ? { view } : null;
  }
}

/** A view's own address, with nothing selected (every view has one). */
export function routeOfView(view: RouteView): Route {
  return { view } as Route;
}

export function sameRoute(a: Route, b: Route): boolean {
  return formatRoute(a) === formatRoute(b);
}


/** Where a click on a desktop notification or tray item goes: the operation, else the plan. */
export function routeOfTarget(target: { opId?: number; planId?: string }): Route {
  if (target.opId !== undefined) return { view: 'operations', opId: target.opId };
  if (target.planId !== undefined) return { view: 'plans', planId: target.planId };
  return HOME_ROUTE;
}
