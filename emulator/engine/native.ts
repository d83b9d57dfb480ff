import koffi, { type LibraryHandle } from 'koffi';

// One koffi binding of libunicorn per process, opened on first use so that commands
// which never run a guest (help, image validation) work without the library.

export type UcHandle = unknown;

function bind(lib: LibraryHandle) {
  return {
    version: lib.func('unsigned int uc_version(unsigned int *major, unsigned int *minor)'),
    strerror: lib.func('const char *uc_strerror(int code)'),
    open: lib.func('int uc_open(int arch, int mode, _Out_ void **uc)'),
    close: lib.func('int uc_close(void *uc)'),
    memMap: lib.func('int uc_mem_map(void *uc, uint64_t address, size_t size, uint32_t perms)'),
    memMapPtr: lib.func('int uc_mem_map_ptr(void *uc, uint64_t address, size_t size, uint32_t perms, void *ptr)'),
    memUnmap: lib.func('int uc_mem_unmap(void *uc, uint64_t address, size_t size)'),
    memProtect: lib.func('int uc_mem_protect(void *uc, uint64_t address, size_t size, uint32_t perms)'),
    memRead: lib.func('int uc_mem_read(void *uc, uint64_t address, _Inout_ void *bytes, size_t size)'),
    memWrite: lib.func('int uc_mem_write(void *uc, uint64_t address, const void *bytes, size_t size)'),
    regRead: lib.func('int uc_reg_read(void *uc, int regid, _Inout_ void *value)'),
    regWrite: lib.func('int uc_reg_write(void *uc, int regid, const void *value)'),
    emuStart: lib.func('int uc_emu_start(void *uc, uint64_t begin, uint64_t until, uint64_t timeout, size_t count)'),
    emuStop: lib.func('int uc_emu_stop(void *uc)'),
    hookAdd: lib.func('int uc_hook_add(void *uc, _Out_ uint64_t *hh, int type, void *callback, void *user, uint64_t begin, uint64_t end, ...)'),
    hookDel: lib.func('int uc_hook_del(void *uc, uint64_t hh)'),
    contextAlloc: lib.func('int uc_context_alloc(void *uc, _Out_ void **context)'),
    contextSave: lib.func('int uc_context_save(void *uc, void *context)'),
    contextRestore: lib.func('int uc_context_restore(void *uc, void *context)'),
    contextFree: lib.func('int uc_context_free(void *context)'),
    contextSize: lib.func('size_t uc_context_size(void *uc)'),
    ctl: lib.func('int uc_ctl(void *uc, int control, ...)'),
  };
}

export type Unicorn = ReturnType<typeof bind>;

export const HookCodeProto = koffi.proto('void ClustervmHookCode(void *uc, uint64_t address, uint32_t size, void *user)');
export const HookIntrProto = koffi.proto('void ClustervmHookIntr(void *uc, uint32_t intno, void *user)');
export const HookMemEventProto = koffi.proto(
  'bool ClustervmHookMemEvent(void *uc, int type, uint64_t address, int size, int64_t value, void *user)',
);
export const HookMemAccessProto = koffi.proto(
  'void ClustervmHookMemAccess(void *uc, int type, uint64_t address, int size, int64_t value, void *user)',
);
export const HookInsnInvalidProto = koffi.proto('bool ClustervmHookInsnInvalid(void *uc, void *user)');

export class UnicornMissingError extends Error {
  constructor(cause: string) {
    super(`cannot load libunicorn.so.2 (${cause}); install it with: apt-get install libunicorn2`);
    this.name = 'UnicornMissingError';
  }
}

let unicorn: Unicorn | undefined;

export function loadUnicorn(): Unicorn {
  if (!unicorn) {
    let lib: LibraryHandle;
    try {
      lib = koffi.load('libunicorn.so.2');
    } catch (error) {
      throw new UnicornMissingError(error instanceof Error ? error.message : String(error));
    }
    unicorn = bind(lib);
  }
  return unicorn;
}

export function unicornVersion(): string {
  const packed = loadUnicorn().version(null, null) as number;
  return `${(packed >>> 24) & 0xff}.${(packed >>> 16) & 0xff}.${(packed >>> 8) & 0xff}`;
}
