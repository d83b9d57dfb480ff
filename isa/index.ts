export {
  ISA_NAMES, ISAS, pcAfterTrap, trapVector, unreachable,
  type IsaFacts, type IsaFamily, type IsaName,
} from './isa.js';
