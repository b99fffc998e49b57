// React access to the router. Views rendered without a RouterProvider (a unit test of one view) share a memory
// router of their store's, so every view works alone and the page's router stays the one truth when it is there.
import { createContext, useContext, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useAppStore } from '../store/index.js';
import { createMemoryRouter, type NavigateOptions, type Router } from './router.js';
import { routeOfView, type Route } from './routes.js';

const RouterContext = createContext<Router | null>(null);

export function RouterProvider({ router, children }: { router: Router; children: ReactNode }) {
  useEffect(() => router.start(), [router]);
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

// One memory router per store, so that all the views of one tree (one test) share it and no two trees do.
const fallbackRouters = new WeakMap<object, Router>();

function useRouter(): Router {
  const given = useContext(RouterContext);
  const store = useAppStore();
  if (given) return given;
  let own = fallbackRouters.get(store);
  if (!own) {
    own = createMemoryRouter();
    fallbackRouters.set(store, own);
  }
  return own;
}

export function useRoute(): Route {
  const router = useRouter();
  return useSyncExternalStore(router.subscribe, router.current);
}

export function useNavigate(): (route: Route, options?: NavigateOptions) => boolean {
  const router = useRouter();
  return useMemo(() => (route: Route, options?: NavigateOptions) => router.navigate(route, options), [router]);
}

/**
 * For a form: while it is dirty, leaving it (in the window, Back, reload, close) asks first. The flag is read at
 * the moment of leaving, so `markClean()` right before a save's own navigation lets that one through.
 */
export function useLeaveGuard(): { markDirty(): void; markClean(): void } {
  const router = useRouter();
  const [flag] = useState(() => ({ dirty: false }));
  useEffect(() => router.addGuard({ dirty: () => flag.dirty }), [router, flag]);
  return useMemo(
    () => ({
      markDirty: () => void (flag.dirty = true),
      markClean: () => void (flag.dirty = false),
    }),
    [flag],
  );
}

/**
 * Keeps the store's `view` (which the sidebar and older code set) and the route in step, both ways: a section
 * chosen in the sidebar becomes an address, an address (Back, a link, a reload) shows its section. A section
 * change refused by a form's guard puts the sidebar back.
 */
export function RouteSync() {
  const router = useRouter();
  const store = useAppStore();
  useEffect(() => {
    const showRoute = (route: Route) => {
      if (store.getState().view !== route.view) store.getState().setView(route.view);
    };
    showRoute(router.current());
    const stopRouter = router.subscribe(showRoute);
    const stopStore = store.subscribe((s, prev) => {
      if (s.view === prev.view || s.view === router.current().view) return;
      if (!router.navigate(routeOfView(s.view))) store.getState().setView(router.current().view);
    });
    return () => {
      stopRouter();
      stopStore();
    };
  }, [router, store]);
  return null;
}
