// clustervm's fast path: the work Unicorn would otherwise hand to JavaScript once per
// instruction or once per memory access, done in C beside the engine.
//
// Quanta by block. Unicorn implements `uc_emu_start(count = N)` as a code hook on every
// instruction, which makes a counted run 7 to 28 times slower than an uncounted one. A
// block hook costs one call per translated block instead. It adds each block's
// instruction count to `entered` and, once `entered` reaches the budget, stops the
// engine at the start of the next block: Unicorn calls UC_HOOK_BLOCK before the block's
// exit check, so the stop lands before the block's first instruction, with the pc on it.
//   - SPARC instructions are 4 bytes and a block runs straight through: a block's
//     count is its size / 4. x86 blocks are looked up in a table filled from Unicorn's
//     own translation (uc_ctl_request_cache gives `icount`), asked outside any hook,
//     because asking from inside one corrupts the translation in progress.
//   - A block that starts in a SPARC delay slot (the word before it is a branch) is no
//     place to stop: Unicorn rebuilds NPC as PC + 4 on every start, losing the branch
//     target. Neither is a block strictly inside a range no other core may interleave
//     with (the mediator's shared count).
//   - A run that ends inside a block (a trap, a fault, a stop from a hook) has entered
//     the whole block; the caller counts what retired from the pc it stopped at.
//
// DSM checks. Each core works on its own copy of the DSM region, and the kernel must see
// an access only when it has to act: a page the node does not hold, the first read or
// write of a page in a transaction, any write outside one. The kernel keeps one state
// byte per page in a buffer shared with this library (CVM_PAGE_*), and a bitmap of the
// DSM bytes the open transaction touched, which tells true from false sharing. The C
// hook answers every other access by itself, marking the bitmap.
//
// Task address spaces. Each core maps its own task area; the kernel keeps one byte per
// page (CVM_TASK_*): absent, read-only or writable. A present page's accesses go on
// here; an absent page's, and a write to a read-only one, go to the kernel, which
// copies the page in from its pager (copy on reference) or faults the core.
//
// Channel rings. The kernel counts messages and their latency from the writes to each
// ring's head and tail. Those writes are logged here with the instruction count they
// happened at; the kernel reads the log before it next acts for the core and when the
// run ends, so it sees the same writes at the same virtual times without a call per
// write. A write the kernel must answer at once (a receiver freeing room in a ring that
// messages from another node wait for, a write of the wrong size or place) calls it
// from the hook.
//
// Fault location. Unicorn leaves a faulting load or store with the registers as they
// were before it but the pc where it last wrote it back: the block start (it exits the
// run without restoring the state of the instruction). To name the instruction, each
// instruction of the block is run once more, alone, from that same register state,
// with the guest's hooks silent and its writes undone: the one that faults the same way
// is the culprit. Two that would (the same address reached through a register an
// earlier one changed) cannot be told apart from the state alone; the first is named
// and the caller is told.
//
// Memory per core. QEMU asks for transparent huge pages on its translation buffer
// (madvise), so an engine's first translated block costs a whole 2 MiB page, two thirds
// of what the engine keeps resident; its code needs a few 4 KiB pages. The process
// turns huge pages off once, before the first engine opens.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unicorn/unicorn.h>

#include "sparc-delayed-transfer.h"

// The part of a core's state JavaScript reads and writes in place: every field a
// double, so one Float64Array over it serves both sides. fast-path.ts names the same
// indices (VIEW); cvm_view_fields() lets it check the count. The block hook keeps its
// counts in integers of its own (doubles cost it a third of its time) and copies them
// here whenever JavaScript may look: when a run ends, before C calls the kernel, and
// when asked (cvm_sync_view, from a JavaScript hook).
struct cvm_view {
    double entered;      // instructions of the blocks entered in this run, the current one included
    double block_start;  // the block entered last
    double block_icount;
    double block_size;
    double stop_reason;  // enum cvm_stop
    double in_transaction;  // 1 while the core's DSM transaction is open (the kernel sets it)
    double log_length;   // channel writes logged and not yet read
    double hook_pc;      // in a DSM or channel hook on SPARC: the accessing instruction's pc (0 elsewhere)
};

// The block hook's own copy of the view's counts.
struct run_counts {
    uint64_t entered, budget;  // stop at the first block start once `entered` reaches `budget`
    uint64_t block_start;
    uint32_t block_icount, block_size;
    int stop_reason;
};

enum cvm_stop { CVM_STOP_NONE = 0, CVM_STOP_BUDGET = 1, CVM_STOP_UNKNOWN_BLOCK = 2 };

// A page's state byte: the core's view of it, and whether the open transaction has it in
// its read or write set.
enum {
    CVM_PAGE_VIEW = 3,  // 0 not mapped, 1 read-only, 2 written in this transaction
    CVM_PAGE_WRITTEN = 2,
    CVM_PAGE_IN_READ_SET = 4,
    CVM_PAGE_IN_WRITE_SET = 8,
};

// One channel write as the kernel reads it back: what was written, and where the core
// was (its block and pc) so that the kernel computes the instruction count it happened at.
struct cvm_channel_write {
    double address, size, value, entered, block_start, block_icount, block_size, pc;
};

// A task page's state byte (guest-kernel/tasks/task-memory.ts).
enum { CVM_TASK_READ_ONLY = 1, CVM_TASK_WRITABLE = 2 };

enum { CHANNEL_LOG_CAPACITY = 64, MAX_NO_STOP_RANGES = 16 };

typedef void (*cvm_access_callback)(uc_engine *uc, int type, uint64_t address, int size, int64_t value, void *user);
typedef void (*cvm_flush_callback)(void *user);

struct block_entry {
    uint64_t start;
    uint32_t size;
    uint32_t icount;  // 0: empty slot
};

// A ring on this node: its head word, then its tail word RING_TAIL bytes on, both
// big-endian counts of messages written and read.
struct watched_ring {
    uint64_t head;
    uint32_t slots;
    int synchronous;  // the kernel answers every write at once (a ring fed from another node)
};

enum { RING_TAIL = 64, MAX_RINGS = 64 };

struct cvm_core {
    struct cvm_view view;
    struct run_counts counts;
    struct block_entry last_block;  // the block counted last: a loop meets it again at once
    uc_engine *uc;
    int sparc;
    int pc_register;

    struct block_entry *blocks;
    uint32_t block_capacity;  // a power of two
    uint32_t block_count;

    // The next run resumes inside a block a debugger stop split (cvm_resume_mid_block):
    // its first block, at mid_block_begin, is no block start of the undisturbed run, so
    // it is counted but neither a budget stop nor a stop at the next block.
    int mid_block;
    uint64_t mid_block_begin;

    uint64_t no_stop_begin[MAX_NO_STOP_RANGES];
    uint64_t no_stop_end[MAX_NO_STOP_RANGES];
    int no_stop_count;

    uc_hook block_hook, dsm_hook, channel_hook, task_hook;
    uint64_t task_base, task_bytes;
    uint32_t task_page_shift;
    const uint8_t *task_pages;
    cvm_access_callback task_kernel;
    void *task_user;
    uint64_t dsm_base, dsm_bytes;
    uint32_t page_shift;
    uint8_t *page_states;
    uint8_t *touched;  // one bit per DSM byte
    cvm_access_callback dsm_kernel;
    void *dsm_user;

    struct watched_ring rings[MAX_RINGS];
    int ring_count;
    const uint8_t *ram;  // the node's RAM, where the rings are
    uint64_t ram_base, ram_bytes;
    int little_endian;
    struct cvm_channel_write log[CHANNEL_LOG_CAPACITY];
    int log_capacity;  // 0: every write calls the kernel
    cvm_access_callback channel_kernel;
    cvm_flush_callback channel_flush;
    void *channel_user;

    // The access found last (sparc_access_pc), so a second one of a block run is looked
    // for after it; and the node's RAM, where the code is.
    uint64_t access_entered, access_block, access_pc;
    const uint8_t *code;
    uint64_t code_base, code_bytes;

    int probing;  // cvm_locate_fault is replaying: the DSM and channel hooks stay silent
};

int cvm_disable_huge_pages(void) { return prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0); }

int cvm_view_fields(void) { return sizeof(struct cvm_view) / sizeof(double); }
int cvm_channel_write_fields(void) { return sizeof(struct cvm_channel_write) / sizeof(double); }
int cvm_channel_log_capacity(void) { return CHANNEL_LOG_CAPACITY; }

struct cvm_view *cvm_view(struct cvm_core *core) { return &core->view; }

void cvm_sync_view(struct cvm_core *core) {
    const struct run_counts *counts = &core->counts;
    struct cvm_view *view = &core->view;
    view->entered = (double)counts->entered;
    view->block_start = (double)counts->block_start;
    view->block_icount = counts->block_icount;
    view->block_size = counts->block_size;
    view->stop_reason = counts->stop_reason;
}
struct cvm_channel_write *cvm_channel_log(struct cvm_core *core) { return core->log; }

static uint32_t block_hash(uint64_t start, uint32_t capacity) {
    return (uint32_t)((start * 0x9e3779b97f4a7c15ull) >> 40) & (capacity - 1);
}

static uint32_t known_icount(struct cvm_core *core, uint64_t start, uint32_t size) {
    for (uint32_t i = block_hash(start, core->block_capacity);; i = (i + 1) & (core->block_capacity - 1)) {
        struct block_entry *entry = &core->blocks[i];
        if (entry->icount == 0) return 0;
        if (entry->start == start && entry->size == size) return entry->icount;
    }
}

static void insert_block(struct block_entry *table, uint32_t capacity, uint64_t start, uint32_t size, uint32_t icount) {
    for (uint32_t i = block_hash(start, capacity);; i = (i + 1) & (capacity - 1)) {
        struct block_entry *entry = &table[i];
        if (entry->icount == 0 || (entry->start == start && entry->size == size)) {
            *entry = (struct block_entry){start, size, icount};
            return;
        }
    }
}

static int remember_block(struct cvm_core *core, uint64_t start, uint32_t size, uint32_t icount) {
    if (2 * (core->block_count + 1) > core->block_capacity) {
        uint32_t capacity = core->block_capacity * 2;
        struct block_entry *table = calloc(capacity, sizeof *table);
        if (!table) return 0;
        for (uint32_t i = 0; i < core->block_capacity; i++) {
            struct block_entry *entry = &core->blocks[i];
            if (entry->icount) insert_block(table, capacity, entry->start, entry->size, entry->icount);
        }
        free(core->blocks);
        core->blocks = table;
        core->block_capacity = capacity;
    }
    insert_block(core->blocks, core->block_capacity, start, size, icount);
    core->block_count++;
    return 1;
}


static int may_stop_before(struct cvm_core *core, uint64_t start) {
    if (core->probing) return 1;  // a replayed instruction never resumes: any block start ends it
    for (int i = 0; i < core->no_stop_count; i++) {
        if (core->no_stop_begin[i] < start && start < core->no_stop_end[i]) return 0;
    }
    if (!core->sparc) return 1;
    uint8_t bytes[4];
    if (start < 4 || uc_mem_read(core->uc, start - 4, bytes, 4) != UC_ERR_OK) return 1;
    uint32_t word = (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
    return !is_delayed_transfer(word);
}

// A block met for the first time (or not the one before), or the stop: off the hot path,
// so that the loop's own block costs the hook no more than a compare and a few stores.
static __attribute__((noinline)) void on_other_block(uc_engine *uc, uint64_t start, uint32_t size,
                                                     struct cvm_core *core) {
    struct run_counts *counts = &core->counts;
    int mid_block = core->mid_block && start == core->mid_block_begin;
    if (!mid_block && counts->entered >= counts->budget && may_stop_before(core, start)) {
        *counts = (struct run_counts){counts->entered, counts->budget, start, 0, 0, CVM_STOP_BUDGET};
        uc_emu_stop(uc);
        return;
    }
    uint32_t icount = core->sparc ? size / 4 : known_icount(core, start, size);
    if (icount == 0) {
        // Asked again once counted (the run resumes here): a mid-block start stays one.
        *counts = (struct run_counts){counts->entered, counts->budget, start, 0, size, CVM_STOP_UNKNOWN_BLOCK};
        uc_emu_stop(uc);
        return;
    }
    core->mid_block = 0;
    core->last_block = (struct block_entry){start, size, icount};
    counts->entered += icount;
    counts->block_start = start;
    counts->block_icount = icount;
    counts->block_size = size;
}

static void on_block(uc_engine *uc, uint64_t start, uint32_t size, void *user) {
    struct cvm_core *core = user;
    struct run_counts *counts = &core->counts;
    const struct block_entry *last = &core->last_block;
    if (counts->entered < counts->budget && last->start == start && last->size == size && !core->mid_block) {
        counts->entered += last->icount;
        counts->block_start = start;
        counts->block_icount = last->icount;
        counts->block_size = size;
        return;
    }
    on_other_block(uc, start, size, core);
}

struct cvm_core *cvm_attach(uc_engine *uc, int sparc, int pc_register) {
    struct cvm_core *core = calloc(1, sizeof *core);
    if (!core) return NULL;
    core->uc = uc;
    core->sparc = sparc;
    core->pc_register = pc_register;
    core->counts.budget = UINT64_MAX;
    core->log_capacity = CHANNEL_LOG_CAPACITY;
    core->block_capacity = sparc ? 1 : 256;
    core->blocks = calloc(core->block_capacity, sizeof *core->blocks);
    if (!core->blocks || uc_hook_add(uc, &core->block_hook, UC_HOOK_BLOCK, (void *)on_block, core, 1, 0) != UC_ERR_OK) {
        free(core->blocks);
        free(core);
        return NULL;
    }
    return core;
}

void cvm_detach(struct cvm_core *core) {
    uc_hook_del(core->uc, core->block_hook);
    if (core->dsm_hook) uc_hook_del(core->uc, core->dsm_hook);
    if (core->channel_hook) uc_hook_del(core->uc, core->channel_hook);
    if (core->task_hook) uc_hook_del(core->uc, core->task_hook);
    free(core->blocks);
    free(core);
}

// Forgets every block count once one block of [begin, end) is rewritten: re-links are
// rare, and a table rebuilt from scratch cannot keep a stale count.
void cvm_forget_blocks(struct cvm_core *core, uint64_t begin, uint64_t end) {
    core->last_block = (struct block_entry){0, 0, 0};
    for (uint32_t i = 0; i < core->block_capacity; i++) {
        struct block_entry *entry = &core->blocks[i];
        if (entry->icount && entry->start < end && begin < entry->start + entry->size) {
            memset(core->blocks, 0, core->block_capacity * sizeof *core->blocks);
            core->block_count = 0;
            return;
        }
    }
}

int cvm_set_no_stop_ranges(struct cvm_core *core, const double *ranges, int count) {
    if (count > MAX_NO_STOP_RANGES) return 0;
    for (int i = 0; i < count; i++) {
        core->no_stop_begin[i] = (uint64_t)ranges[2 * i];
        core->no_stop_end[i] = (uint64_t)ranges[2 * i + 1];
    }
    core->no_stop_count = count;
    return 1;
}

// Runs from `begin` until `until` or the budget (instructions, to a block start);
// returns Unicorn's code, and the view says how far the run got. Unicorn's own `count`
// is not used: it is a hook on every instruction, and 2.0.1 installs it without
// dropping the code translated before (which then runs uncounted) while removing it
// flushes every translation (about 50 ms).
//
// An x86 block met for the first time is counted from Unicorn's translation of it when
// that translation is the block the hook saw (same start and size); otherwise the run
// stops with CVM_STOP_UNKNOWN_BLOCK, the caller counts the block, tells
// cvm_remember_block, and calls again with `resume` set, which keeps the counts of the
// run so far. Unicorn translates a block it is asked for without the stop at `until`,
// so a run with an `until` of its own (`ask_translation` 0) always asks the caller.
static uc_err run_by_blocks(struct cvm_core *core, uint64_t begin, uint64_t until, double budget, int resume,
                            int ask_translation) {
    struct run_counts *counts = &core->counts;
    if (!resume) {
        *counts = (struct run_counts){0};
        // A block run is named by `entered` and its start, which a new run counts again.
        core->access_block = UINT64_MAX;
    }
    counts->stop_reason = CVM_STOP_NONE;
    counts->budget = budget >= 0x1p63 ? UINT64_MAX : (uint64_t)budget;
    for (;;) {
        uc_err err = uc_emu_start(core->uc, begin, until, 0, 0);
        if (err == UC_ERR_OK && counts->stop_reason == CVM_STOP_BUDGET) {
            // The stop was before the block's first instruction. Unicorn 2.0.1 puts the pc
            // back there only while no code hook exists (a deleted one counts until the
            // run after its deletion ends); otherwise it keeps the last pc an instruction
            // wrote, such as a `ret`'s target.
            err = uc_reg_write(core->uc, core->pc_register, &counts->block_start);
        }
        if (err != UC_ERR_OK || counts->stop_reason != CVM_STOP_UNKNOWN_BLOCK || !ask_translation) return err;
        uint64_t start = counts->block_start;
        uint32_t size = counts->block_size;
        uc_tb tb;
        if (uc_ctl_request_cache(core->uc, start, &tb) != UC_ERR_OK || tb.pc != start || tb.size != size || tb.icount == 0)
            return UC_ERR_OK;
        if (!remember_block(core, start, size, tb.icount)) return UC_ERR_NOMEM;
        counts->stop_reason = CVM_STOP_NONE;
        begin = start;
    }
}

int cvm_run(struct cvm_core *core, uint64_t begin, uint64_t until, double budget, int resume, int ask_translation) {
    uc_err err = run_by_blocks(core, begin, until, budget, resume, ask_translation);
    if (core->counts.stop_reason != CVM_STOP_UNKNOWN_BLOCK) core->mid_block = 0;
    cvm_sync_view(core);
    return err;
}

// Before a run: it starts at `begin` inside a block a debugger stop split.
void cvm_resume_mid_block(struct cvm_core *core, uint64_t begin) {
    core->mid_block = 1;
    core->mid_block_begin = begin;
}

// From a JavaScript hook: the run in progress stops at the next block start.
void cvm_stop_at_next_block(struct cvm_core *core) { core->counts.budget = 0; }

static void on_step_end(uc_engine *uc, uint64_t address, uint32_t size, void *user) {
    (void)address;
    (void)size;
    (void)user;
    uc_emu_stop(uc);
}

// Runs the one instruction at `begin`, stopping before `next` (where it ends) or at the
// next block start, whichever comes first. A code hook on `next` does it: an `until`
// there would do on x86, but sparc64 runs through an `until` (from 0 until 4 it never
// returns). The block holding `begin` is dropped first, so that its translation has
// the hook; code hooks sync the pc, so the run stops with the pc on `next`.
int cvm_step(struct cvm_core *core, uint64_t begin, uint64_t next, uint64_t until) {
    uc_hook hook;
    uc_err err = uc_ctl_remove_cache(core->uc, begin, next + 1);
    if (err == UC_ERR_OK) err = uc_hook_add(core->uc, &hook, UC_HOOK_CODE, (void *)on_step_end, core, next, next);
    if (err != UC_ERR_OK) return err;
    err = cvm_run(core, begin, until, 1, 0, 1);
    uc_hook_del(core->uc, hook);
    // The block translated with the hook keeps calling Unicorn's code-hook helper after
    // the hook is gone, and that helper rewrites SPARC's NPC as PC + 4: a branch whose
    // delay slot it reaches would fall through. Dropped, it is translated clean.
    uc_err dropped = uc_ctl_remove_cache(core->uc, begin, next + 1);
    return err != UC_ERR_OK ? err : dropped;
}

int cvm_remember_block(struct cvm_core *core, uint64_t start, uint32_t size, uint32_t icount) {
    return icount > 0 && remember_block(core, start, size, icount);
}

static void mark_touched(struct cvm_core *core, uint64_t offset, uint64_t end) {
    for (uint64_t byte = offset; byte < end; byte++) core->touched[byte >> 3] |= (uint8_t)(1u << (byte & 7));
}

static uint64_t access_pc(struct cvm_core *core, uint64_t address, int write);

// The node's RAM, where a SPARC hook reads the code to find the accessing instruction.
void cvm_set_code(struct cvm_core *core, const uint8_t *code, uint64_t base, uint64_t bytes) {
    core->code = code;
    core->code_base = base;
    core->code_bytes = bytes;
}

// Hands an access the C check could not answer to the kernel, with the view current and,
// on SPARC, the accessing instruction's pc found (the hook's own is stale there).
static void ask_kernel(struct cvm_core *core, cvm_access_callback kernel, void *user, uc_engine *uc, uc_mem_type type,
                       uint64_t address, int size, int64_t value) {
    cvm_sync_view(core);
    if (core->sparc) core->view.hook_pc = (double)access_pc(core, address, type == UC_MEM_WRITE);
    kernel(uc, type, address, size, value, user);
    core->view.hook_pc = 0;
}

static void on_dsm_access(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user) {
    struct cvm_core *core = user;
    if (core->probing) return;
    int write = type == UC_MEM_WRITE;
    int in_transaction = core->view.in_transaction != 0;
    uint64_t offset = address - core->dsm_base;
    uint64_t end = offset + (uint64_t)size;
    if (end > core->dsm_bytes) end = core->dsm_bytes;
    if (write && !in_transaction) goto kernel;
    uint8_t needed = write ? CVM_PAGE_IN_WRITE_SET : CVM_PAGE_IN_READ_SET;
    for (uint64_t page = offset >> core->page_shift; page <= (end - 1) >> core->page_shift; page++) {
        uint8_t state = core->page_states[page];
        if ((state & CVM_PAGE_VIEW) == 0) goto kernel;
        if (write && (state & CVM_PAGE_VIEW) != CVM_PAGE_WRITTEN) goto kernel;
        if (in_transaction && !(state & needed)) goto kernel;
    }
    if (in_transaction) mark_touched(core, offset, end);
    return;
kernel:
    ask_kernel(core, core->dsm_kernel, core->dsm_user, uc, type, address, size, value);
}

int cvm_watch_dsm(struct cvm_core *core, uint64_t base, uint64_t bytes, uint32_t page_shift, uint8_t *page_states,
                  uint8_t *touched, cvm_access_callback kernel, void *user) {
    core->dsm_base = base;
    core->dsm_bytes = bytes;
    core->page_shift = page_shift;
    core->page_states = page_states;
    core->touched = touched;
    core->dsm_kernel = kernel;
    core->dsm_user = user;
    return uc_hook_add(core->uc, &core->dsm_hook, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)on_dsm_access, core,
                       base, base + bytes - 1);
}

static void on_task_access(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user) {
    struct cvm_core *core = user;
    if (core->probing) return;
    int write = type == UC_MEM_WRITE;
    uint8_t needed = write ? CVM_TASK_WRITABLE : CVM_TASK_READ_ONLY;
    uint64_t offset = address - core->task_base;
    uint64_t end = offset + (uint64_t)size;
    if (end > core->task_bytes) end = core->task_bytes;
    for (uint64_t page = offset >> core->task_page_shift; page <= (end - 1) >> core->task_page_shift; page++) {
        if (core->task_pages[page] < needed) goto kernel;
    }
    return;
kernel:
    ask_kernel(core, core->task_kernel, core->task_user, uc, type, address, size, value);
}

int cvm_watch_tasks(struct cvm_core *core, uint64_t base, uint64_t bytes, uint32_t page_shift, const uint8_t *pages,
                    cvm_access_callback kernel, void *user) {
    core->task_base = base;
    core->task_bytes = bytes;
    core->task_page_shift = page_shift;
    core->task_pages = pages;
    core->task_kernel = kernel;
    core->task_user = user;
    return uc_hook_add(core->uc, &core->task_hook, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)on_task_access, core,
                       base, base + bytes - 1);
}

// SPARC's pc in a memory hook is whatever Unicorn last wrote back: its block's start, or
// an address in an earlier block. It does not write the pc back before a load or store
// (x86's it does), so an access's time would depend on the engine's translation
// history, which differs between engines (a snapshot's restore) and between a run and
// a stepped one. The registers are current (TCG writes every global back before a
// memory operation), so the instruction is found by its address: the first load (for a
// read) or store (for a write) of the block, after the one found last in this run of
// the block, whose effective address is the one accessed (rs1 + rs2 or simm13; rs1
// alone for casa and casxa). An access in the branch's delay slot is the block's last
// word. Unfound, the hook's pc stands.
static uint64_t sparc_register(struct cvm_core *core, uint32_t number) {
    static const int first[4] = { UC_SPARC_REG_G0, UC_SPARC_REG_O0, UC_SPARC_REG_L0, UC_SPARC_REG_I0 };
    uint64_t value = 0;
    if (number != 0) uc_reg_read(core->uc, first[number / 8] + (int)(number % 8), &value);
    return value;
}

// Format 3 memory instructions by op3 (SPARC V9 table A-3 / V8 table F-4): 1 reads, 2
// writes, 3 both (ldstub, swap, casa and their alternate-space forms).
static int sparc_access_kind(uint32_t op3) {
    switch (op3) {
    case 0x00: case 0x01: case 0x02: case 0x03: case 0x08: case 0x09: case 0x0a: case 0x0b:
    case 0x10: case 0x11: case 0x12: case 0x13: case 0x18: case 0x19: case 0x1a: case 0x1b:
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x30: case 0x32: case 0x33:
        return 1;
    case 0x04: case 0x05: case 0x06: case 0x07: case 0x0e: case 0x14: case 0x15: case 0x16: case 0x17: case 0x1e:
    case 0x24: case 0x25: case 0x26: case 0x27: case 0x34: case 0x36: case 0x37:
        return 2;
    case 0x0d: case 0x0f: case 0x1d: case 0x1f: case 0x3c: case 0x3e:
        return 3;
    default:
        return 0;
    }
}

static uint64_t sparc_access_pc(struct cvm_core *core, uint64_t address, int write, uint64_t hook_pc) {
    const struct run_counts *counts = &core->counts;
    uint64_t begin = counts->block_start, end = counts->block_start + counts->block_size;
    uint64_t from = begin;
    if (core->access_entered == counts->entered && core->access_block == begin) from = core->access_pc + 4;
    for (uint64_t pc = from; pc + 4 <= end; pc += 4) {
        if (pc < core->code_base || pc + 4 > core->code_base + core->code_bytes) break;
        const uint8_t *p = core->code + (pc - core->code_base);
        uint32_t word = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        uint32_t op3 = (word >> 19) & 0x3f;
        if (word >> 30 != 3 || !(sparc_access_kind(op3) & (write ? 2 : 1))) continue;
        uint64_t base = sparc_register(core, (word >> 14) & 0x1f);
        int compare_and_swap = op3 == 0x3c || op3 == 0x3e;
        uint64_t offset = compare_and_swap ? 0
            : (word >> 13) & 1 ? (uint64_t)(int64_t)((int32_t)(word << 19) >> 19) : sparc_register(core, word & 0x1f);
        // sparc32's registers are 32 bits: its sum wraps there (for sparc64 no other access
        // of the block reaches the same word 4 GiB away).
        if ((uint32_t)(base + offset) == (uint32_t)address) {
            core->access_entered = counts->entered;
            core->access_block = begin;
            core->access_pc = pc;
            return pc;
        }
    }
    return hook_pc;
}

// The pc of the instruction making the access the hook is in: Unicorn's on x86, found on SPARC.
static uint64_t access_pc(struct cvm_core *core, uint64_t address, int write) {
    uint64_t pc = 0;
    uc_reg_read(core->uc, core->pc_register, &pc);
    return core->sparc ? sparc_access_pc(core, address, write, pc) : pc;
}

static void log_channel_write(struct cvm_core *core, uint64_t address, int size, int64_t value, uint64_t pc) {
    struct cvm_view *view = &core->view;
    const struct run_counts *counts = &core->counts;
    int at = (int)view->log_length;
    core->log[at] = (struct cvm_channel_write){
        (double)address, size, (double)(uint32_t)value, (double)counts->entered, (double)counts->block_start,
        counts->block_icount, counts->block_size, (double)pc,
    };
    view->log_length = at + 1;
    if (at + 1 >= core->log_capacity) {
        cvm_sync_view(core);
        core->channel_flush(core->channel_user);
    }
}

static uint32_t ring_word(struct cvm_core *core, uint64_t address) {
    const uint8_t *p = core->ram + (address - core->ram_base);
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

// Whether the kernel would take this write of a local ring's head or tail without a
// word (its checks in Channels.observeWrite): counts never go back, a head stays within
// `slots` of the tail, a tail never passes the head. The ring's words in RAM hold every
// write before this one, whichever core made it.
static int plausible(struct cvm_core *core, const struct watched_ring *ring, uint64_t address, uint32_t value) {
    uint32_t head = ring_word(core, ring->head);
    uint32_t tail = ring_word(core, ring->head + RING_TAIL);
    if (address == ring->head) return value >= head && value - tail <= ring->slots;
    return value >= tail && value <= head;
}

static void on_channel_write(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user) {
    struct cvm_core *core = user;
    if (core->probing) return;
    for (int i = 0; i < core->ring_count; i++) {
        const struct watched_ring *ring = &core->rings[i];
        uint64_t tail = ring->head + RING_TAIL;
        int on_head = address < ring->head + 4 && ring->head < address + (uint64_t)size;
        int on_tail = address < tail + 4 && tail < address + (uint64_t)size;
        if (!on_head && !on_tail) continue;
        uint32_t stored = (uint32_t)value;
        if (core->little_endian) stored = __builtin_bswap32(stored);
        uint64_t pc = access_pc(core, address, 1);
        int logged = !ring->synchronous && core->log_capacity > 0 && size == 4 &&
                     (address == ring->head || address == tail) && plausible(core, ring, address, stored);
        if (logged) {
            log_channel_write(core, address, size, value, pc);
        } else {
            cvm_sync_view(core);
            if (core->view.log_length > 0) core->channel_flush(core->channel_user);
            if (core->sparc) core->view.hook_pc = (double)pc;
            core->channel_kernel(uc, type, address, size, value, core->channel_user);
            core->view.hook_pc = 0;
        }
        return;
    }
}

// Watches the heads and tails of the rings at `heads` (`slots` each; `synchronous` 1
// for a ring the kernel feeds from another node) in the node's RAM. One hook spans them
// all, so Unicorn walks one hook per write, not one per channel.
int cvm_watch_channels(struct cvm_core *core, const double *heads, const double *slots, const uint8_t *synchronous,
                       int count, const uint8_t *ram, uint64_t ram_base, uint64_t ram_bytes, int little_endian,
                       cvm_access_callback kernel, cvm_flush_callback flush, void *user) {
    if (count <= 0 || count > MAX_RINGS) return UC_ERR_ARG;
    uint64_t low = UINT64_MAX, high = 0;
    for (int i = 0; i < count; i++) {
        uint64_t head = (uint64_t)heads[i];
        if (head < ram_base || head + RING_TAIL + 4 > ram_base + ram_bytes) return UC_ERR_ARG;
        core->rings[i] = (struct watched_ring){head, (uint32_t)slots[i], synchronous[i]};
        if (head < low) low = head;
        if (head + RING_TAIL + 3 > high) high = head + RING_TAIL + 3;
    }
    core->ring_count = count;
    core->ram = ram;
    core->ram_base = ram_base;
    core->ram_bytes = ram_bytes;
    core->little_endian = little_endian;
    core->channel_kernel = kernel;
    core->channel_flush = flush;
    core->channel_user = user;
    return uc_hook_add(core->uc, &core->channel_hook, UC_HOOK_MEM_WRITE, (void *)on_channel_write, core, low, high);
}

// 0: every channel write calls the kernel (a debugger that stops on channel events
// needs the core stopped at the write).
void cvm_log_channel_writes(struct cvm_core *core, int enabled) {
    core->log_capacity = enabled ? CHANNEL_LOG_CAPACITY : 0;
}

enum { PROBE_UNDO_CAPACITY = 4096, PROBE_UNDO_BYTES = 16 };

struct probe_write {
    uint64_t address;
    int size;
    uint8_t old[PROBE_UNDO_BYTES];
};

struct probe {
    int faulted, type;
    uint64_t address;
    struct probe_write *writes;
    int write_count;
    int overflowed;  // a write too large or too many to undo
};

static bool on_probe_fault(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user) {
    (void)uc;
    (void)size;
    (void)value;
    struct probe *probe = user;
    if (!probe->faulted) {
        probe->faulted = 1;
        probe->type = type;
        probe->address = address;
    }
    return false;
}

// Called before the write lands, so the bytes read here are the ones to put back.
static void on_probe_write(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user) {
    (void)type;
    (void)value;
    struct probe *probe = user;
    if (probe->write_count == PROBE_UNDO_CAPACITY || size > PROBE_UNDO_BYTES || size <= 0) {
        probe->overflowed = 1;
        return;
    }
    struct probe_write *write = &probe->writes[probe->write_count];
    if (uc_mem_read(uc, address, write->old, (size_t)size) != UC_ERR_OK) return;  // it faults: nothing lands
    write->address = address;
    write->size = size;
    probe->write_count++;
}

// A replayed trap goes nowhere: on SPARC the pc stays on a `ta` whose hook does not move it.
static void on_probe_trap(uc_engine *uc, uint32_t intno, void *user) {
    (void)intno;
    (void)user;
    uc_emu_stop(uc);
}

static void undo_probe_writes(uc_engine *uc, struct probe *probe) {
    while (probe->write_count > 0) {
        struct probe_write *write = &probe->writes[--probe->write_count];
        uc_mem_write(uc, write->address, write->old, (size_t)write->size);
    }
}

// Which of the block's instructions (`starts`, `count` of them, then the block's end)
// made the fault of `type` at `address` the run stopped with. Returns its index, or -1
// when none reproduces it or a replayed write could not be undone; `ambiguous` is set
// when a later one faults the same way too. Leaves the core as it found it, but for
// the pc, which it moves to the instruction found.
int cvm_locate_fault(struct cvm_core *core, const double *starts, int count, int type, uint64_t address,
                     uint64_t until, int *ambiguous) {
    uc_engine *uc = core->uc;
    struct cvm_view view = core->view;
    struct run_counts counts = core->counts;
    uc_context *context = NULL;
    struct probe probe = {0};
    uc_hook fault_hook = 0, write_hook = 0, trap_hook = 0;
    int found = -1;
    *ambiguous = 0;
    probe.writes = malloc(PROBE_UNDO_CAPACITY * sizeof *probe.writes);
    if (!probe.writes || uc_context_alloc(uc, &context) != UC_ERR_OK || uc_context_save(uc, context) != UC_ERR_OK ||
        uc_hook_add(uc, &fault_hook, UC_HOOK_MEM_INVALID, (void *)on_probe_fault, &probe, 1, 0) != UC_ERR_OK ||
        uc_hook_add(uc, &write_hook, UC_HOOK_MEM_WRITE, (void *)on_probe_write, &probe, 1, 0) != UC_ERR_OK ||
        uc_hook_add(uc, &trap_hook, UC_HOOK_INTR, (void *)on_probe_trap, NULL, 1, 0) != UC_ERR_OK)
        goto done;
    core->probing = 1;
    for (int i = 0; i < count && !probe.overflowed; i++) {
        uint64_t start = (uint64_t)starts[i];
        probe.faulted = 0;
        uc_context_restore(uc, context);
        uc_reg_write(uc, core->pc_register, &start);
        cvm_step(core, start, (uint64_t)starts[i + 1], until);
        undo_probe_writes(uc, &probe);
        if (!probe.faulted || probe.type != type || probe.address != address) continue;
        if (found >= 0) {
            *ambiguous = 1;
            break;
        }
        found = i;
    }
    core->probing = 0;
    if (probe.overflowed) found = -1;
    uc_context_restore(uc, context);
    if (found >= 0) {
        uint64_t pc = (uint64_t)starts[found];
        uc_reg_write(uc, core->pc_register, &pc);
    }
done:
    if (trap_hook) uc_hook_del(uc, trap_hook);
    if (write_hook) uc_hook_del(uc, write_hook);
    if (fault_hook) uc_hook_del(uc, fault_hook);
    if (context) uc_context_free(context);
    free(probe.writes);
    core->view = view;
    core->counts = counts;
    return found;
}
