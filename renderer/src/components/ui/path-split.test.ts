import { describe, expect, it } from 'vitest';
import { splitPath } from './path-split.js';

describe('splitPath: what stays whole when a path is shortened in the middle', () => {
  it.each([
    { path: '/home/me/Videos/2025/trip.mov', head: '/home/me/Videos', tail: '/2025/trip.mov' },
    { path: '/home/me/Videos/a-very-long-folder-name-indeed/trip.mov', head: '/home/me/Videos/a-very-long-folder-name-indeed', tail: '/trip.mov' },
    { path: '/trip.mov', head: '', tail: '/trip.mov' },
    { path: 'trip.mov', head: '', tail: 'trip.mov' },
    { path: '/home/me/Documents/', head: '/home', tail: '/me/Documents/' },
    { path: 'C:\\Users\\me\\Pictures\\beach.jpg', head: 'C:\\Users\\me', tail: '\\Pictures\\beach.jpg' },
  ])('$path -> "$head" + "$tail"', ({ path, head, tail }) => {
    const split = splitPath(path);
    expect(split).toEqual({ head, tail });
    expect(split.head + split.tail).toBe(path);
  });
});
