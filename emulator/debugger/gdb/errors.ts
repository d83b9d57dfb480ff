/** Error replies. gdb shows the number only, so they say what kind of request failed. */
export const E_MALFORMED = 'E01';
/** No such thread, register or breakpoint. */
export const E_NOT_FOUND = 'E02';
/** Memory that cannot be read or written. */
export const E_MEMORY = 'E03';
/** The request is well formed but the emulator cannot do it (a pc write, say). */
export const E_UNSUPPORTED = 'E04';
