// The id field's pattern works in a browser (which compiles `pattern` with the `v` flag), accepts exactly the
// ids config.json accepts, and what a person types becomes such an id.
import { afterEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { AppProvider, createAppStore } from '../store/index.js';
import { fakeClient } from '../../test-support/fake-client.js';
import { ID_INPUT_PATTERN, ID_PATTERN, IdField, idFromTyped, slugify } from './IdField.js';

afterEach(cleanup);

function Field({ initial = '', readOnly = false }: { initial?: string; readOnly?: boolean }) {
  const [id, setId] = useState(initial);
  return (
    <>
      <IdField label="Name" value={id} onChange={setId} readOnly={readOnly} hintId="h" />
      <output data-testid="saved-as">{id}</output>
    </>
  );
}
const show = (node: React.ReactNode) =>
  render(
    <AppProvider store={createAppStore({ systemLanguage: 'en' })} client={fakeClient()}>
      {node}
    </AppProvider>,
  );

/** How HTML compiles an input's pattern attribute. */
const compileAsBrowser = (pattern: string) => new RegExp(`^(?:${pattern})$`, 'v');

describe('the id pattern attribute', () => {
  it('compiles with the v flag (the unescaped "-" in a class, as before, does not)', () => {
    expect(() => compileAsBrowser(ID_INPUT_PATTERN)).not.toThrow();
    expect(() => compileAsBrowser('[a-z0-9][a-z0-9_-]{0,63}')).toThrow(SyntaxError);
  });

  it.each(['home', 'a', '0', 'my-photos', 'my_photos', 'a-', 'x'.repeat(64), '', 'My', '-a', '_a', 'a b', 'é', 'x'.repeat(65), 'a/b', 'a.b'])(
    '%j: the attribute and config.json agree',
    (id) => {
      expect(compileAsBrowser(ID_INPUT_PATTERN).test(id)).toBe(ID_PATTERN.test(id));
    },
  );
});

describe('names as ids', () => {
  it.each([
    ['My Photos', 'my-photos'],
    ['  Home  ', 'home'],
    ['Café (old)', 'cafe-old'],
    ['Ünïcödé Fïlès', 'unicode-files'],
    ['work/2024.docs', 'work-2024-docs'],
    ['--draft__', 'draft__'],
    ['照片', ''],
    ['照片 2024', '2024'],
    ['a'.repeat(80), 'a'.repeat(64)],
  ])('%j -> %j', (name, id) => {
    expect(slugify(name)).toBe(id);
    if (id) expect(ID_PATTERN.test(id)).toBe(true);
  });

  it('while typing, a trailing "-" stays so that the next word can follow', () => {
    let value = '';
    for (const ch of 'My Photos') value = idFromTyped(value + ch);
    expect(value).toBe('my-photos');
    expect(idFromTyped('my ')).toBe('my-');
  });
});

describe('the id field', () => {
  it('leaves an IME composition alone until it ends, then makes an id of it', () => {
    show(<Field />);
    const input = screen.getByLabelText('Name') as HTMLInputElement;
    fireEvent.compositionStart(input);
    fireEvent.change(input, { target: { value: 'zhao' } });
    expect(input.value).toBe('zhao');
    expect(screen.getByTestId('saved-as').textContent).toBe('');
    fireEvent.compositionEnd(input, { target: { value: '照片 2024' } });
    expect(screen.getByTestId('saved-as').textContent).toBe('2024');
    expect(screen.getByTestId('id-note').textContent).toBe('Names use a-z, 0-9, _ and -: “照片 2024” is saved as “2024”.');
  });

  it('drops a trailing "-" on leaving the field, but never touches a saved id', () => {
    show(<Field />);
    const input = screen.getByLabelText('Name') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'photos ' } });
    expect(input.value).toBe('photos-');
    fireEvent.blur(input);
    expect(input.value).toBe('photos');
    cleanup();
    show(<Field initial="old-" readOnly />);
    const saved = screen.getByLabelText('Name') as HTMLInputElement;
    fireEvent.blur(saved);
    fireEvent.change(saved, { target: { value: 'other' } });
    expect(screen.getByTestId('saved-as').textContent).toBe('old-');
  });
});
