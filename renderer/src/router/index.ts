export { routeOfTarget, type Route } from './routes.js';
export { createHashRouter, createMemoryRouter, type Router } from './router.js';
export { RouteSync, RouterProvider, useLeaveGuard, useNavigate, useRoute } from './react.js';
