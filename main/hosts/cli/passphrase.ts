// The passphrase of an export with secrets: from $BACKSTAY_EXPORT_PASSPHRASE or stdin, never from argv (where every
// user of the machine could read it in the process list).
import { BackstayError } from '../../common/errors.js';

export const PASSPHRASE_ENV = 'BACKSTAY_EXPORT_PASSPHRASE';

export async function readPassphrase(env: NodeJS.ProcessEnv, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  const fromEnv = env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (stdin.isTTY) process.stderr.write('Passphrase for the export\'s secrets (then Enter, Ctrl-D): ');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  // One trailing newline is what `echo` or a file adds, not part of the passphrase.
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') {
    throw new BackstayError('BAD_PARAMS', `A passphrase is needed: set $${PASSPHRASE_ENV} or write it to stdin.`);
  }
  return text;
}
