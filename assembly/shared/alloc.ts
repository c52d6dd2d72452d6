// Every kernel allocation goes through here: grow linear memory by exactly
// what is missing (the stub allocator would double it), then hand out zeroed
// bytes. Nothing is ever freed: a kernel instance holds one chip.
export function allocZeroed(bytes: usize): usize {
  const size: usize = bytes < 8 ? <usize>8 : bytes;
  const top = heap.alloc(0); // current end of the heap (costs one header)
  const need = top + size + 64;
  const have = usize(memory.size()) << 16;
  if (need > have) memory.grow(i32((need - have + 0xffff) >> 16));
  const p = heap.alloc(size);
  memory.fill(p, 0, size);
  return p;
}

// The sample buffer a kernel records into; grows, never shrinks.
export let outPtr: usize = 0;
let outBytes: usize = 0;

export function outputBuffer(bytes: usize): usize {
  if (bytes > outBytes) {
    outPtr = allocZeroed(bytes);
    outBytes = bytes;
  }
  return outPtr;
}
