/**
 * The largest models thermosim takes. Every chip kernel needs more than 30
 * bytes of WebAssembly memory per variable and a 32-bit instance holds 4 GiB:
 * beyond 2^27 variables no chip model here can hold a model, so files asking
 * for more are refused before anything of that size is allocated.
 */
export const MAX_VARIABLES = 2 ** 27;
