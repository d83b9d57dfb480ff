import koffi, { type TypeObject } from 'koffi';

// koffi allows 8192 registered callbacks per process, and every hook used to hold one
// of its own (a 64-core node watching 64 channels ran out). Now each hook prototype
// has one callback for the whole process; Unicorn hands it the hook's `user_data`,
// which carries the key of the JavaScript function to call.

type HookFunction = (...args: never[]) => unknown;

const functions = new Map<bigint, HookFunction>();
const trampolines = new Map<TypeObject, unknown>();
let nextKey = 1n;

/** The process-wide callback of a hook prototype; `fallback` answers a removed hook. */
export function trampolineFor(proto: TypeObject, fallback: unknown): unknown {
  let trampoline = trampolines.get(proto);
  if (trampoline === undefined) {
    trampoline = koffi.register((...args: unknown[]) => {
      const fn = functions.get(BigInt(args[args.length - 1] as bigint | number)) as ((...a: unknown[]) => unknown) | undefined;
      return fn ? fn(...args) : fallback;
    }, koffi.pointer(proto));
    trampolines.set(proto, trampoline);
  }
  return trampoline;
}

/** Files `fn` under a fresh key, to pass to Unicorn as the hook's user_data. */
export function registerHookFunction(fn: HookFunction): bigint {
  const key = nextKey++;
  functions.set(key, fn);
  return key;
}

export function unregisterHookFunction(key: bigint): void {
  functions.delete(key);
}

/** koffi callbacks this process holds for hooks: one per prototype in use. */
export function hookCallbacksInUse(): number {
  return trampolines.size;
}
