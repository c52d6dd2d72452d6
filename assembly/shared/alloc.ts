// Every kernel allocation goes through here: grow linear memory by exactly
// what is missing (the stub allocator would double it), then hand out zeroed
// bytes. Nothing is ever freed: a kernel instance holds one chip.
//
// Planning: between planBegin() and planBytes() nothing is allocated; the
// same allocate() calls only add up what they would take. The host runs the
// real allocation sequence in this mode to learn a chip's memory before it
// commits to it (one source of truth for the sizes).

let planning = false;
let planned: u64 = 0;

// 32-bit WebAssembly addresses 4 GiB: 65,536 pages.
const MAX_PAGES: i64 = 65536;

export function planBegin(): void {
  planning = true;
  planned = u64(memory.size()) << 16;
}

// Bytes of linear memory the planned allocations would need in all.
export function planBytes(): f64 {
  planning = false;
  return f64(planned);
}

export function allocZeroed(bytes: u64): usize {
  const size: u64 = bytes < 8 ? <u64>8 : bytes;
  if (planning) {
    // Size rounded to the allocator's 16-byte blocks plus two headers (the
    // probe below and the block's own): an upper bound on what it takes.
    planned += ((size + 15) & ~u64(15)) + 64;
    return 0;
  }
  const top = heap.alloc(0); // current end of the heap (costs one header)
  const need = u64(top) + size + 64;
  const have = u64(memory.size()) << 16;
  if (need > have) {
    const pages = i64((need - have + 0xffff) >> 16);
    if (i64(memory.size()) + pages > MAX_PAGES || memory.grow(i32(pages)) < 0) {
      // The host plans sizes first; reaching this means the machine refused memory.
      abort("out of memory");
    }
  }
  const p = heap.alloc(usize(size));
  memory.fill(p, 0, usize(size));
  return p;
}

// The sample buffer a kernel records into; grows, never shrinks.
export let outPtr: usize = 0;
let outBytes: usize = 0;

export function outputBuffer(bytes: usize): usize {
  if (bytes > outBytes) {
    outPtr = allocZeroed(u64(bytes));
    if (!planning) outBytes = bytes;
  }
  return outPtr;
}
