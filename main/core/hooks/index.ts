export { runHooks, describeHook, describeHookResult, type HookResult, type RunHooksOptions, type HookConfig, type HookEvent } from './hooks.js';
