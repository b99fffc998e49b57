import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, routeOfTarget, type Route } from './routes.js';

describe('routes', () => {
  // Every kind of address the window makes, both ways.
  const table: [string, Route][] = [
    ['#/dashboard', { view: 'dashboard' }],
    ['#/ops', { view: 'operations' }],
    ['#/ops/42', { view: 'operations', opId: 42 }],
    ['#/plans', { view: 'plans' }],
    ['#/plans/home', { view: 'plans', planId: 'home' }],
    ['#/plans/home/edit', { view: 'plans', planId: 'home', edit: true }],
    ['#/plans/new', { view: 'plans', create: true }],
    ['#/repos', { view: 'repos' }],
    ['#/repos/nas', { view: 'repos', repoId: 'nas' }],
    ['#/repos/nas/edit', { view: 'repos', repoId: 'nas', edit: true }],
    ['#/repos/new', { view: 'repos', create: true }],
    ['#/snapshots', { view: 'snapshots' }],
    ['#/snapshots/nas', { view: 'snapshots', repoId: 'nas' }],
    ['#/snapshots/nas/4f1c9a0b', { view: 'snapshots', repoId: 'nas', snapshotId: '4f1c9a0b' }],
    ['#/snapshots/nas/4f1c9a0b/home/me/Photos', { view: 'snapshots', repoId: 'nas', snapshotId: '4f1c9a0b', path: '/home/me/Photos' }],
    ['#/snapshots/nas/4f1c9a0b/home/me/My%20Files%20%23%3F%25', { view: 'snapshots', repoId: 'nas', snapshotId: '4f1c9a0b', path: '/home/me/My Files #?%' }],
    ['#/snapshots/nas/4f1c9a0b/%E7%85%A7%E7%89%87', { view: 'snapshots', repoId: 'nas', snapshotId: '4f1c9a0b', path: '/照片' }],
    ['#/settings', { view: 'settings' }],
    ['#/setup', { view: 'setup' }],
  ];

  it.each(table)('%s is the address of its route, both ways', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(formatRoute(route)).toBe(hash);
  });

  it.each([
    ['', 'no hash'],
    ['#', 'an empty hash'],
    ['#token=abc', "serve's sign-in token"],
    ['#/nowhere', 'an unknown view'],
    ['#/ops/abc', 'an operation id that is not a number'],
    ['#/ops/0', 'operation 0'],
    ['#/ops/1.5', 'a fraction'],
    ['#/ops/42/more', 'too many parts'],
    ['#/plans/Home', 'a plan id that is not an id'],
    ['#/plans/home/delete', 'an unknown plan mode'],
    ['#/snapshots/nas/not-hex', 'a snapshot id that is not hex'],
    ['#/snapshots/nas/4f1c9a0b/a/../etc', 'a path that climbs out'],
    ['#/snapshots/nas/4f1c9a0b/%E0%A4%A', 'broken percent-encoding'],
    ['#/settings/x', 'a view without items, with an item'],
  ])('%s (%s) is no route', (hash) => {
    expect(parseRoute(hash)).toBeNull();
  });

  it('a trailing slash is the same address', () => {
    expect(parseRoute('#/ops/42/')).toEqual({ view: 'operations', opId: 42 });
  });

  it('a notification or tray click opens the operation, else the plan', () => {
    expect(routeOfTarget({ opId: 7, planId: 'home' })).toEqual({ view: 'operations', opId: 7 });
    expect(routeOfTarget({ planId: 'home' })).toEqual({ view: 'plans', planId: 'home' });
    expect(routeOfTarget({})).toEqual({ view: 'dashboard' });
  });
});
