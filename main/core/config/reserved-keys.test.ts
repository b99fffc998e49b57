// `__proto__`, `constructor` and `prototype` in config.json are refused like any unknown key, with the path, wherever
// they are: JSON.parse makes "__proto__" an own key, and a record (env) would otherwise drop it without a word.
import { describe, expect, it } from 'vitest';
import { BackstayError } from '../../common/errors.js';
import { parseConfigText } from './load.js';
import { findReservedKeys } from './reserved-keys.js';

const FILE = '/data/config.json';
const RESERVED = ['__proto__', 'constructor', 'prototype'];

/** Where a key can be put, as JSON text with KEY in its place, and the path the error must name. */
const PLACES: [string, string, string][] = [
  ['the top level', '{"version": 1, "KEY": {"x": 1}}', 'KEY'],
  ['a repository', '{"version": 1, "repos": [{"id": "nas", "uri": "/r", "password": {"file": "/p"}, "KEY": {}}]}', 'repos[0].KEY'],
  ['a repository env map', '{"version": 1, "repos": [{"id": "nas", "uri": "/r", "password": {"file": "/p"}, "env": {"A": "1", "KEY": "x"}}]}', 'repos[0].env.KEY'],
  ['a password object', '{"version": 1, "repos": [{"id": "nas", "uri": "/r", "password": {"file": "/p", "KEY": {}}}]}', 'repos[0].password.KEY'],
  ['a maintenance schedule', '{"version": 1, "repos": [{"id": "nas", "uri": "/r", "password": {"file": "/p"}, "maintenance": {"prune": {"everyMinutes": 5, "KEY": 1}}}]}', 'repos[0].maintenance.prune.KEY'],
  ['a plan retention', '{"version": 1, "repos": [{"id": "nas", "uri": "/r", "password": {"file": "/p"}}], "plans": [{"id": "h", "repo": "nas", "paths": ["/h"], "retention": {"keepLast": 1, "KEY": 2}}]}', 'plans[0].retention.KEY'],
  ['the settings', '{"version": 1, "settings": {"KEY": {"stallAfterSeconds": 1}}}', 'settings.KEY'],
  ['a hook in the settings', '{"version": 1, "settings": {"hooks": [{"on": ["error"], "command": "x", "KEY": 1}]}}', 'settings.hooks[0].KEY'],
];

describe('reserved keys in config.json', () => {
  const cases = PLACES.flatMap(([where, text, at]) => RESERVED.map((key) => [where, key, text.replace('KEY', key), at.replace('KEY', key)] as const));
  it.each(cases)('in %s: %s is an unknown key at its path', (_where, key, text, at) => {
    let error: unknown;
    try {
      parseConfigText(text, FILE);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BackstayError);
    expect((error as BackstayError).code).toBe('CONFIG_INVALID');
    expect((error as Error).message.split('\n')).toContain(`${FILE}: ${at}: unknown key`);
    // Reported once, even where zod's strict object reports it too.
    expect((error as Error).message.split(key).length - 1).toBe(1);
  });

  it('finds them in own properties only, at any depth, and nothing in ordinary input', () => {
    expect(findReservedKeys(JSON.parse('{"a": [{"b": {"__proto__": 1}}], "constructor": 2}'))).toEqual([['a', 0, 'b', '__proto__'], ['constructor']]);
    expect(findReservedKeys({ version: 1, repos: [{ env: { PATH: '/bin' } }] })).toEqual([]);
    expect(findReservedKeys(Object.create({ constructor: 1 }))).toEqual([]);
  });
});
