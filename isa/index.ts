export {
  ISA_FAMILIES, ISA_NAMES, ISAS, isIsaName, pcAfterTrap, trapVector, unreachable,
  type IsaFacts, type IsaFamily, type IsaName,
} from './isa.js';
