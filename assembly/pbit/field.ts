// The synapse: I_i = h_i + sum_j J_ij s_j, saturated to the accumulator range,
// then the activation input x_i = gain_i * I_i + offset_i.
import { offPtr, nbrPtr, wPtr, hPtr, gainPtr, xoffPtr, accMax } from "./chip";

// Four partial sums break the floating-point add dependency chain. Quantised
// weights are multiples of a power-of-two LSB, so for them the sum is exact and
// the order does not matter; for float64 chips the order is fixed, so results
// stay deterministic.
@inline export function activationInput(i: i32, sPtr: usize): f64 {
  const e0 = load<i32>(offPtr + (usize(i) << 2));
  const e1 = load<i32>(offPtr + (usize(i + 1) << 2));
  let a0: f64 = load<f64>(hPtr + (usize(i) << 3));
  let a1: f64 = 0.0;
  let a2: f64 = 0.0;
  let a3: f64 = 0.0;
  let e = e0;
  for (; e + 3 < e1; e += 4) {
    const ep = usize(e);
    a0 += load<f64>(wPtr + (ep << 3)) * load<f64>(sPtr + (usize(load<i32>(nbrPtr + (ep << 2))) << 3));
    a1 += load<f64>(wPtr + ((ep + 1) << 3)) * load<f64>(sPtr + (usize(load<i32>(nbrPtr + ((ep + 1) << 2))) << 3));
    a2 += load<f64>(wPtr + ((ep + 2) << 3)) * load<f64>(sPtr + (usize(load<i32>(nbrPtr + ((ep + 2) << 2))) << 3));
    a3 += load<f64>(wPtr + ((ep + 3) << 3)) * load<f64>(sPtr + (usize(load<i32>(nbrPtr + ((ep + 3) << 2))) << 3));
  }
  for (; e < e1; e++) {
    const ep = usize(e);
    a0 += load<f64>(wPtr + (ep << 3)) * load<f64>(sPtr + (usize(load<i32>(nbrPtr + (ep << 2))) << 3));
  }
  let acc = (a0 + a1) + (a2 + a3);
  if (acc > accMax) acc = accMax;
  else if (acc < -accMax) acc = -accMax;
  return acc * load<f64>(gainPtr + (usize(i) << 3)) + load<f64>(xoffPtr + (usize(i) << 3));
}
