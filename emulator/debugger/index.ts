export {
  CATCHES, DebugError, DebugSession, parseCondition, type Breakpoint, type Catch, type Condition, type CoreRef,
  type Scope, type StopReason, type Watchpoint,
} from './session.js';
export { SymbolTable, type SymbolEntry } from './symbols.js';
