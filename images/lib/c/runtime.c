/* The guest C runtime's functions (clustervm.h): linked into every C program and module. */
#include "clustervm.h"

void *memcpy(void *to, const void *from, size_t n) {
    unsigned char *d = to;
    const unsigned char *s = from;
    while (n--) *d++ = *s++;
    return to;
}

void *memmove(void *to, const void *from, size_t n) {
    unsigned char *d = to;
    const unsigned char *s = from;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return to;
}

void *memset(void *to, int byte, size_t n) {
    unsigned char *d = to;
    while (n--) *d++ = (unsigned char)byte;
    return to;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++) {
        if (*x != *y) return *x < *y ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

/* A channel's table entry and ring (guest-kernel/channels/ring-format.ts): every field a
 * big-endian word. Entry: ring address, slots, flags. Ring: head at word 0, tail at
 * word 16, then 64-byte slots from word 32: a sequence word, then the payload. The
 * kernel watches the head and tail words, so each is written once, as one word, after
 * the slot it publishes. */
enum { CHAN_REMOTE = 1, RING_TAIL = 16, RING_SLOTS = 32, SLOT_WORDS = 16, PAYLOAD_WORDS = 15 };

static volatile uint32_t *channel_entry(int channel) {
    return (volatile uint32_t *)(CVM_CHANNEL_TABLE + 16 * (unsigned)channel);
}

static volatile uint32_t *ring_of(volatile uint32_t *entry) {
    return (volatile uint32_t *)(uintptr_t)cvm_from_be32(entry[0]);
}

int cvm_send(int channel, const void *message) {
    volatile uint32_t *entry = channel_entry(channel);
    if (cvm_from_be32(entry[2]) & CHAN_REMOTE) return cvm_chan_send(channel, message);
    volatile uint32_t *ring = ring_of(entry);
    uint32_t slots = cvm_from_be32(entry[1]);
    uint32_t head = cvm_from_be32(ring[0]);
    if (head - cvm_from_be32(ring[RING_TAIL]) >= slots) return 0;
    volatile uint32_t *slot = ring + RING_SLOTS + SLOT_WORDS * (head & (slots - 1));
    const uint32_t *words = message;
    for (int i = 0; i < PAYLOAD_WORDS; i++) slot[1 + i] = words[i];
    slot[0] = cvm_to_be32(head + 1);
    ring[0] = cvm_to_be32(head + 1);
    return 1;
}

int cvm_recv(int channel, void *buffer) {
    volatile uint32_t *entry = channel_entry(channel);
    volatile uint32_t *ring = ring_of(entry);
    uint32_t slots = cvm_from_be32(entry[1]);
    uint32_t tail = cvm_from_be32(ring[RING_TAIL]);
    volatile uint32_t *slot = ring + RING_SLOTS + SLOT_WORDS * (tail & (slots - 1));
    if (cvm_from_be32(slot[0]) != tail + 1) return 0;
    uint32_t *words = buffer;
    for (int i = 0; i < PAYLOAD_WORDS; i++) words[i] = slot[1 + i];
    ring[RING_TAIL] = cvm_to_be32(tail + 1);
    return 1;
}

void cvm_send_wait(int channel, const void *message) {
    while (!cvm_send(channel, message)) cvm_chan_wait(channel);
}

void cvm_recv_wait(int channel, void *buffer) {
    while (!cvm_recv(channel, buffer)) cvm_chan_wait(channel);
}

/* 64-bit division on 32-bit ISAs: gcc calls these for / and % of 64-bit integers. Shift
 * and subtract only, so that they never call themselves. */
uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *remainder) {
    uint64_t quotient = 0, rest = 0;
    for (int bit = 63; bit >= 0; bit--) {
        rest = (rest << 1) | ((n >> bit) & 1);
        if (rest >= d) {
            rest -= d;
            quotient |= (uint64_t)1 << bit;
        }
    }
    if (remainder) *remainder = rest;
    return quotient;
}

uint64_t __udivdi3(uint64_t n, uint64_t d) { return __udivmoddi4(n, d, 0); }

uint64_t __umoddi3(uint64_t n, uint64_t d) {
    uint64_t rest;
    __udivmoddi4(n, d, &rest);
    return rest;
}

static uint64_t magnitude(int64_t x) { return x < 0 ? -(uint64_t)x : (uint64_t)x; }

int64_t __divdi3(int64_t n, int64_t d) {
    uint64_t q = __udivmoddi4(magnitude(n), magnitude(d), 0);
    return (n < 0) != (d < 0) ? -(int64_t)q : (int64_t)q;
}

int64_t __moddi3(int64_t n, int64_t d) {
    uint64_t rest;
    __udivmoddi4(magnitude(n), magnitude(d), &rest);
    return n < 0 ? -(int64_t)rest : (int64_t)rest;
}

int64_t __divmoddi4(int64_t n, int64_t d, int64_t *remainder) {
    int64_t q = __divdi3(n, d);
    if (remainder) *remainder = n - q * d;
    return q;
}

/* A bounded writer: counts every character, stores those that fit. */
struct sink {
    char *buffer;
    size_t size, length;
};

static void put(struct sink *out, char c) {
    if (out->length + 1 < out->size) out->buffer[out->length] = c;
    out->length++;
}

static void pad(struct sink *out, char c, int count) {
    while (count-- > 0) put(out, c);
}

static void number(struct sink *out, uint64_t value, int negative, unsigned base, int upper, int width, int zero, int left) {
    char digits[24];
    int n = 0;
    const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        digits[n++] = alphabet[value % base];
        value /= base;
    } while (value);
    int length = n + negative;
    if (!left && !zero) pad(out, ' ', width - length);
    if (negative) put(out, '-');
    if (!left && zero) pad(out, '0', width - length);
    while (n) put(out, digits[--n]);
    if (left) pad(out, ' ', width - length);
}

int vsnprintf(char *buffer, size_t size, const char *format, va_list args) {
    struct sink out = {buffer, size, 0};
    for (const char *p = format; *p; p++) {
        if (*p != '%') {
            put(&out, *p);
            continue;
        }
        int left = 0, zero = 0, width = 0, precision = -1, longs = 0;
        for (;; p++) {
            if (p[1] == '-') left = 1;
            else if (p[1] == '0') zero = 1;
            else break;
        }
        while (p[1] >= '0' && p[1] <= '9') width = width * 10 + (*++p - '0');
        if (p[1] == '.') {
            p++;
            precision = 0;
            while (p[1] >= '0' && p[1] <= '9') precision = precision * 10 + (*++p - '0');
        }
        while (p[1] == 'l') longs++, p++;
        if (p[1] == 'z') longs = sizeof(size_t) == sizeof(long long) ? 2 : 1, p++;
        char conversion = *++p;
        switch (conversion) {
        case 'd':
        case 'i': {
            int64_t v = longs == 2 ? va_arg(args, long long) : longs == 1 ? va_arg(args, long) : va_arg(args, int);
            number(&out, magnitude(v), v < 0, 10, 0, width, zero, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v = longs == 2 ? va_arg(args, unsigned long long)
                       : longs == 1 ? va_arg(args, unsigned long) : va_arg(args, unsigned int);
            unsigned base = conversion == 'u' ? 10 : conversion == 'o' ? 8 : 16;
            number(&out, v, 0, base, conversion == 'X', width, zero, left);
            break;
        }
        case 'p':
            put(&out, '0');
            put(&out, 'x');
            number(&out, (uintptr_t)va_arg(args, void *), 0, 16, 0, 0, 0, 0);
            break;
        case 'c': {
            if (!left) pad(&out, ' ', width - 1);
            put(&out, (char)va_arg(args, int));
            if (left) pad(&out, ' ', width - 1);
            break;
        }
        case 's': {
            const char *s = va_arg(args, const char *);
            if (!s) s = "(null)";
            int length = 0;
            while (s[length] && (precision < 0 || length < precision)) length++;
            if (!left) pad(&out, ' ', width - length);
            for (int i = 0; i < length; i++) put(&out, s[i]);
            if (left) pad(&out, ' ', width - length);
            break;
        }
        case '%':
            put(&out, '%');
            break;
        case '\0':
            p--;
            break;
        default:
            put(&out, '%');
            put(&out, conversion);
            break;
        }
    }
    if (size) buffer[out.length < size ? out.length : size - 1] = '\0';
    return (int)out.length;
}

int snprintf(char *buffer, size_t size, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int length = vsnprintf(buffer, size, format, args);
    va_end(args);
    return length;
}

/* One SYS_WRITE per call, so lines from several cores do not interleave mid-line. */
int printf(const char *format, ...) {
    char line[512];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(line, sizeof line, format, args);
    va_end(args);
    cvm_write(line, (size_t)length < sizeof line ? (size_t)length : sizeof line - 1);
    return length;
}

int puts(const char *s) {
    cvm_write(s, strlen(s));
    cvm_write("\n", 1);
    return 0;
}
