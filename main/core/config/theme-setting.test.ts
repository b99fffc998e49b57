// settings.theme (issue 13): absent means "system"; only system, light and dark are accepted.
import { describe, expect, it } from 'vitest';
import { settingsSchema } from './schema.js';

describe('settings.theme', () => {
  it('defaults to system', () => {
    expect(settingsSchema.parse({}).theme).toBe('system');
  });
  it.each(['system', 'light', 'dark'] as const)('accepts %s', (theme) => {
    expect(settingsSchema.parse({ theme }).theme).toBe(theme);
  });
  it.each(['Dark', 'auto', '', 1, null])('refuses %j', (theme) => {
    expect(settingsSchema.safeParse({ theme }).success).toBe(false);
  });
});
