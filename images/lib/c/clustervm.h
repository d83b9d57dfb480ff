/*
 * The guest C runtime of clustervm: the kernel's syscalls as inline functions, a small
 * printf, the string functions gcc may call, and byte-order helpers for data that x86
 * (little-endian) and SPARC (big-endian) nodes share. Every C program and module is
 * linked with runtime.c; nothing else of a libc exists.
 *
 * The trap ABI (README, "Boot and trap ABI"): int 0x80 with the number in eax/rax, or
 * ta 0x10 with the number in %g1; arguments in ebx ecx edx esi (x86-32), rdi rsi rdx
 * r10 (x86-64), %o0-%o3 (SPARC); the result in eax/rax/%o0, a 64-bit result on a 32-bit
 * ISA with its high half in edx/%o1. The entry is `int main(int node, int core)`: the
 * firmware passes both as the C ABI does, and main's result is the core's exit status.
 */
#ifndef CLUSTERVM_H
#define CLUSTERVM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum {
    SYS_EXIT = 1, SYS_WRITE = 2, SYS_YIELD = 3, SYS_NODE_ID = 4, SYS_CORE_ID = 5, SYS_TIME_NS = 6,
    SYS_SLEEP_NS = 7, SYS_REPORT = 8, SYS_TX_BEGIN = 9, SYS_TX_COMMIT = 10, SYS_ALLOC = 11,
    SYS_ALLOC_RO = 12, SYS_CHAN_SEND = 13, SYS_CHAN_WAIT = 14, SYS_RFORK = 15, SYS_RSPAWN = 16,
    SYS_TASK_WAIT = 17, SYS_MIGRATE = 18, SYS_TASK_EXIT = 19, SYS_TASK_ID = 20, SYS_PARENT_ID = 21,
    SYS_TASK_MAP = 22,
};

/* Every core's task address space starts here on every node (README, "Remote tasking"). */
#define CVM_TASK_BASE 0x30000000UL
/* How rfork and rspawn create their tasks and page them, and task_map's protections. */
enum {
    CVM_FLAT_SEQUENTIAL = 0, CVM_FLAT_CONCURRENT = 0x10000, CVM_CRTC = 0x20000,
    CVM_PAGING_HIERARCHICAL = 0x100000, CVM_TASK_READ = 1, CVM_TASK_WRITE = 2,
};

/* The DSM region starts here on every node (README, "Memory layout of a node"). */
#define CVM_DSM_BASE 0x40000000UL
/* Bytes of one channel message. */
#define CVM_MESSAGE_BYTES 60
/* The node's channel table (README, "Channels and agreement"). */
#define CVM_CHANNEL_TABLE 0x210000UL

#if defined(__i386__)
static inline long cvm_syscall(long number, long a, long b, long c, long d) {
    long result;
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(number), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
    return result;
}
static inline uint64_t cvm_syscall64(long number, long a) {
    uint32_t low, high;
    __asm__ volatile("int $0x80" : "=a"(low), "=d"(high) : "a"(number), "b"(a) : "memory");
    return ((uint64_t)high << 32) | low;
}
#elif defined(__x86_64__)
static inline long cvm_syscall(long number, long a, long b, long c, long d) {
    long result;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10) : "memory");
    return result;
}
static inline uint64_t cvm_syscall64(long number, long a) {
    return (uint64_t)cvm_syscall(number, a, 0, 0, 0);
}
#elif defined(__sparc__)
static inline long cvm_syscall(long number, long a, long b, long c, long d) {
    register long g1 __asm__("g1") = number;
    register long o0 __asm__("o0") = a;
    register long o1 __asm__("o1") = b;
    register long o2 __asm__("o2") = c;
    register long o3 __asm__("o3") = d;
    __asm__ volatile("ta 0x10" : "+r"(o0), "+r"(o1) : "r"(g1), "r"(o2), "r"(o3) : "memory", "cc");
    return o0;
}
static inline uint64_t cvm_syscall64(long number, long a) {
#if defined(__arch64__)
    return (uint64_t)cvm_syscall(number, a, 0, 0, 0);
#else
    register long g1 __asm__("g1") = number;
    register unsigned long o0 __asm__("o0") = (unsigned long)a;
    register unsigned long o1 __asm__("o1") = 0;
    __asm__ volatile("ta 0x10" : "+r"(o0), "+r"(o1) : "r"(g1) : "memory", "cc");
    return ((uint64_t)o1 << 32) | o0;
#endif
}
#else
#error "clustervm runs x86-32, x86-64, sparc32 and sparc64 guests"
#endif

static inline void cvm_exit(int status) { cvm_syscall(SYS_EXIT, status, 0, 0, 0); __builtin_unreachable(); }
static inline long cvm_write(const void *buffer, size_t length) { return cvm_syscall(SYS_WRITE, (long)buffer, (long)length, 0, 0); }
static inline void cvm_yield(void) { cvm_syscall(SYS_YIELD, 0, 0, 0, 0); }
static inline int cvm_node_id(void) { return (int)cvm_syscall(SYS_NODE_ID, 0, 0, 0, 0); }
static inline int cvm_core_id(void) { return (int)cvm_syscall(SYS_CORE_ID, 0, 0, 0, 0); }
static inline uint64_t cvm_time_ns(void) { return cvm_syscall64(SYS_TIME_NS, 0); }
static inline void cvm_sleep_ns(uint32_t ns) { cvm_syscall(SYS_SLEEP_NS, (long)ns, 0, 0, 0); }
static inline void cvm_report(int64_t value) {
    cvm_syscall(SYS_REPORT, (long)(uint32_t)value, (long)(uint32_t)((uint64_t)value >> 32), 0, 0);
}
/* 0 on the first try; after an abort rolled the transaction back, the restart count. */
static inline int cvm_tx_begin(void) { return (int)cvm_syscall(SYS_TX_BEGIN, 0, 0, 0, 0); }
static inline void cvm_tx_commit(void) { cvm_syscall(SYS_TX_COMMIT, 0, 0, 0, 0); }
static inline void *cvm_alloc(size_t bytes) { return (void *)cvm_syscall(SYS_ALLOC, (long)bytes, 0, 0, 0); }
static inline const void *cvm_alloc_ro(size_t bytes) { return (const void *)cvm_syscall(SYS_ALLOC_RO, (long)bytes, 0, 0, 0); }
/* 1 when sent, 0 when the channel's window is full. */
/* Remote tasking. A task runs entry(argument) on its node; what entry returns ends it. */
typedef long (*cvm_task_entry)(long argument);
/* A task on each of nodes[0..count), forked from the caller's VM areas; the first one's id (the rest follow). */
static inline int cvm_rfork(cvm_task_entry entry, long argument, const uint32_t *nodes, int count, int how) {
    return (int)cvm_syscall(SYS_RFORK, (long)entry, argument, (long)nodes, count | how);
}
/* A task on each node running the image's routine `name`, from an empty address space. */
static inline int cvm_rspawn(const char *name, long argument, const uint32_t *nodes, int count, int how) {
    return (int)cvm_syscall(SYS_RSPAWN, (long)name, argument, (long)nodes, count | how);
}
/* A child task's exit value, once it has exited. */
static inline int64_t cvm_task_wait(int task) { return (int64_t)cvm_syscall64(SYS_TASK_WAIT, task); }
/* Moves the calling task to `node`, where it goes on (returning 0). */
static inline int cvm_migrate(int node) { return (int)cvm_syscall(SYS_MIGRATE, node, 0, 0, 0); }
static inline void cvm_task_exit(long value) { cvm_syscall(SYS_TASK_EXIT, value, 0, 0, 0); __builtin_unreachable(); }
static inline int cvm_task_id(void) { return (int)cvm_syscall(SYS_TASK_ID, 0, 0, 0, 0); }
static inline int cvm_parent_id(void) { return (int)cvm_syscall(SYS_PARENT_ID, 0, 0, 0, 0); }
/* A new VM area of the calling task (zero-filled on first touch, inherited by rfork). */
static inline void *cvm_task_map(size_t bytes, int prot) { return (void *)cvm_syscall(SYS_TASK_MAP, (long)bytes, prot, 0, 0); }

static inline int cvm_chan_send(int channel, const void *message) { return (int)cvm_syscall(SYS_CHAN_SEND, channel, (long)message, 0, 0); }
static inline void cvm_chan_wait(int channel) { cvm_syscall(SYS_CHAN_WAIT, channel, 0, 0, 0); }

/* Channels, as images/lib/chan-*.s give them: within a node through the ring directly,
 * to another node through the kernel. A message is CVM_MESSAGE_BYTES from a word-aligned
 * buffer. cvm_send and cvm_recv return 1 when a message went or came, 0 when the channel
 * is full or empty; the _wait forms wait until it is not. */
int cvm_send(int channel, const void *message);
int cvm_recv(int channel, void *buffer);
void cvm_send_wait(int channel, const void *message);
void cvm_recv_wait(int channel, void *buffer);

/* Shared words in one byte order for every node: big-endian, as SPARC keeps them. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline uint32_t cvm_to_be32(uint32_t x) { return __builtin_bswap32(x); }
static inline uint64_t cvm_to_be64(uint64_t x) { return __builtin_bswap64(x); }
#else
static inline uint32_t cvm_to_be32(uint32_t x) { return x; }
static inline uint64_t cvm_to_be64(uint64_t x) { return x; }
#endif
static inline uint32_t cvm_from_be32(uint32_t x) { return cvm_to_be32(x); }
static inline uint64_t cvm_from_be64(uint64_t x) { return cvm_to_be64(x); }

void *memcpy(void *to, const void *from, size_t n);
void *memmove(void *to, const void *from, size_t n);
void *memset(void *to, int byte, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* %d %i %u %x %X %o %c %s %p %%, with the flags '-' and '0', a width, a precision for %s,
 * and the sizes l, ll, z. printf writes with one SYS_WRITE per call. */
int vsnprintf(char *buffer, size_t size, const char *format, va_list args);
int snprintf(char *buffer, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
int printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);

#endif
