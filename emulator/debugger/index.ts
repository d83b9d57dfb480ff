export { runConsole } from './console/console.js';
export { GdbServer } from './gdb/server.js';
export { DebugSession, HISTORY_EVERY } from './session.js';
