import { describeOpStoreContract } from './testing/contract.js';
import { createMemoryStore } from './memory-store.js';

describeOpStoreContract('memory', () => ({ store: createMemoryStore() }));
