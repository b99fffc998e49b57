// Where the window is: the route in the address bar's hash (Back, Forward and reload keep the place), or in memory
// for tests and anything rendered outside the page. Leaving a form with unsaved changes asks first: in-app
// navigation and Back/Forward through `guards`, a reload or close of the page through `beforeunload`.
import { formatRoute, HOME_ROUTE, parseRoute, sameRoute, type Route } from './routes.js';

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (a default the user did not choose). */
  replace?: boolean;
}

/** A form that would lose what was typed: `dirty()` is read at the moment of leaving. */
export interface LeaveGuard {
  dirty(): boolean;
}

export interface Router {
  current(): Route;
  subscribe(cb: (route: Route) => void): () => void;
  /** Goes to `route`; false when the user chose to stay on a form with unsaved changes. */
  navigate(route: Route, options?: NavigateOptions): boolean;
  addGuard(guard: LeaveGuard): () => void;
  /** Starts listening to the page (hash router); the returned function stops. */
  start(): () => void;
}

/** What the hash router needs of `window`, so it can be tested with a fake. */
export interface HashWindow {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'pushState' | 'replaceState' | 'state'>;
  addEventListener(type: 'hashchange' | 'beforeunload', cb: (e: Event) => void): void;
  removeEventListener(type: 'hashchange' | 'beforeunload', cb: (e: Event) => void): void;
}

interface RouterCore {
  route: Route;
  listeners: Set<(route: Route) => void>;
  guards: Set<LeaveGuard>;
  /** Asks whether to leave unsaved changes (window.confirm in the page). */
  ask: () => boolean;
}

function makeCore(route: Route, ask: () => boolean): RouterCore {
  return { route, listeners: new Set(), guards: new Set(), ask };
}

function mayLeave(core: RouterCore): boolean {
  const dirty = [...core.guards].some((g) => g.dirty());
  return !dirty || core.ask();
}

function emit(core: RouterCore, route: Route): void {
  core.route = route;
  for (const cb of [...core.listeners]) cb(route);
}

function common(core: RouterCore) {
  return {
    current: () => core.route,
    subscribe(cb: (route: Route) => void) {
      core.listeners.add(cb);
      return () => void core.listeners.delete(cb);
    },
    addGuard(guard: LeaveGuard) {
      core.guards.add(guard);
      return () => void core.guards.delete(guard);
    },
  };
}

/** A router that keeps the route in memory (tests, and a component rendered without the page's router). */
export function createMemoryRouter(initial: Route = HOME_ROUTE, ask: () => boolean = () => true): Router {
  const core = makeCore(initial, ask);
  return {
    ...common(core),
    navigate(route) {
      if (sameRoute(route, core.route)) return true;
      if (!mayLeave(core)) return false;
      emit(core, route);
      return true;
    },
    start: () => () => undefined,
  };
}

/** The page's router: the route lives in `location.hash` (`#/ops/42`). */
export function createHashRouter(win: HashWindow, ask: () => boolean): Router {
  const core = makeCore(parseRoute(win.location.hash) ?? HOME_ROUTE, ask);
  const href = (route: Route) => win.location.pathname + win.location.search + formatRoute(route);
  const navigate = (route: Route, options: NavigateOptions = {}): boolean => {
    if (sameRoute(route, core.route) && parseRoute(win.location.hash) !== null) return true;
    if (!options.replace && !mayLeave(core)) return false;
    // pushState does not fire hashchange: the route is announced here, once.
    if (options.replace) win.history.replaceState(win.history.state, '', href(route));
    else win.history.pushState(null, '', href(route));
    emit(core, route);
    return true;
  };
  return {
    ...common(core),
    navigate,
    start() {
      // An address the window does not know (or none): the dashboard, without adding a history entry.
      if (parseRoute(win.location.hash) === null) navigate(core.route, { replace: true });
      const onHashChange = () => {
        const next = parseRoute(win.location.hash);
        if (next === null) {
          navigate(HOME_ROUTE, { replace: true });
          return;
        }
        if (sameRoute(next, core.route)) return;
        // Back, Forward or a typed address: the browser has moved already. Staying means putting the form's
        // address back (as a new entry: history cannot be un-moved without knowing which way it went).
        if (!mayLeave(core)) {
          win.history.pushState(null, '', href(core.route));
          return;
        }
        emit(core, next);
      };
      const onBeforeUnload = (e: Event) => {
        if (![...core.guards].some((g) => g.dirty())) return;
        e.preventDefault();
        // Older Chromium (and Electron's) ask only when returnValue is set.
        (e as BeforeUnloadEvent).returnValue = '';
      };
      win.addEventListener('hashchange', onHashChange);
      win.addEventListener('beforeunload', onBeforeUnload);
      return () => {
        win.removeEventListener('hashchange', onHashChange);
        win.removeEventListener('beforeunload', onBeforeUnload);
      };
    },
  };
}
