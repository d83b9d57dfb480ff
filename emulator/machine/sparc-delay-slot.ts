// Whether a SPARC instruction word is a delayed control transfer (a DCTI): a branch,
// call, jmpl or return. A quantum that ran out right after one has stopped in its delay
// slot, where resuming would lose the branch target (Unicorn sets NPC = PC + 4).

const BRANCH_OP2 = new Set([1, 2, 3, 5, 6, 7]); // BPcc, Bicc, BPr, FBPfcc, FBfcc, CBccc
const JMPL = 0x38;
const RETURN = 0x39;

export function isDelayedTransfer(word: number): boolean {
  const op = word >>> 30;
  if (op === 1) return true;
  if (op === 0) return BRANCH_OP2.has((word >>> 22) & 7);
  if (op === 2) {
    const op3 = (word >>> 19) & 0x3f;
    return op3 === JMPL || op3 === RETURN;
  }
  return false;
}

/**
 * Whether running the DCTI a second time reaches the same target: true unless it is a
 * `return` (it restores a window) or a jmpl whose destination is one of its sources.
 */
export function canReplay(word: number): boolean {
  if (word >>> 30 !== 2) return true;
  const op3 = (word >>> 19) & 0x3f;
  if (op3 === RETURN) return false;
  const rd = (word >>> 25) & 0x1f;
  const rs1 = (word >>> 14) & 0x1f;
  const usesRs2 = ((word >>> 13) & 1) === 0;
  return rd === 0 || (rd !== rs1 && !(usesRs2 && rd === (word & 0x1f)));
}
