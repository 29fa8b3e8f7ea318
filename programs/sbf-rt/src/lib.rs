//! 128-bit multiplication and division from 64-bit operations, for the SBF build.
//!
//! The program's money math uses `u128` intermediates. LLVM lowers a `u128` multiply or divide to
//! the libcalls `__multi3` / `__udivti3` / `__umodti3`. Platform-tools ship them; the upstream-LLVM
//! build (`scripts/build-sbf.sh`) does not, and rustc's BPF calling convention for `i128` (passed
//! and returned through memory) differs from the one LLVM's libcalls use, so they cannot be written
//! in Rust. `scripts/sbf/i128.ll` defines them in LLVM IR and calls the two functions below, whose
//! arguments are all `u64` or pointers. Neither function may use `u128` arithmetic itself (it would
//! call the libcalls it implements): everything here is on `u64` halves.
#![no_std]

#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

const LOW32: u64 = u32::MAX as u64;

/// The full 128-bit product of two u64s as (high, low), from four 32x32-bit products.
#[inline(always)]
fn widening_mul(a: u64, b: u64) -> (u64, u64) {
    let (a_hi, a_lo, b_hi, b_lo) = (a >> 32, a & LOW32, b >> 32, b & LOW32);
    let low = a_lo * b_lo;
    let cross_1 = a_lo * b_hi;
    let cross_2 = a_hi * b_lo;
    let middle = (low >> 32) + (cross_1 & LOW32) + (cross_2 & LOW32);
    let high = a_hi * b_hi + (cross_1 >> 32) + (cross_2 >> 32) + (middle >> 32);
    (high, (middle << 32) | (low & LOW32))
}

/// `(a * b) mod 2^128` for `a = a_hi:a_lo`, `b = b_hi:b_lo`, as (high, low).
pub fn mul(a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) -> (u64, u64) {
    let (high, low) = widening_mul(a_lo, b_lo);
    (high.wrapping_add(a_lo.wrapping_mul(b_hi)).wrapping_add(a_hi.wrapping_mul(b_lo)), low)
}

/// `n / d` and `n % d` for `n = n_hi:n_lo`, `d = d_hi:d_lo`, as (quotient, remainder), each
/// (high, low). Division by zero gives quotient 0 and remainder `n` (Rust code never reaches it:
/// it panics before dividing by zero).
pub fn divmod(n_lo: u64, n_hi: u64, d_lo: u64, d_hi: u64) -> ((u64, u64), (u64, u64)) {
    if d_hi == 0 && d_lo == 0 {
        return ((0, 0), (n_hi, n_lo));
    }
    if n_hi == 0 && d_hi == 0 {
        // Every amount the program handles fits here: one native division.
        return ((0, n_lo / d_lo), (0, n_lo % d_lo));
    }
    if d_hi == 0 && d_lo <= LOW32 {
        // Schoolbook division by a 32-bit divisor, one 32-bit digit at a time (a bps denominator).
        let (mut quotient, mut remainder) = ((0u64, 0u64), 0u64);
        for digit in [n_hi >> 32, n_hi & LOW32, n_lo >> 32, n_lo & LOW32] {
            let current = (remainder << 32) | digit;
            quotient = ((quotient.0 << 32) | (quotient.1 >> 32), (quotient.1 << 32) | (current / d_lo));
            remainder = current % d_lo;
        }
        return (quotient, (0, remainder));
    }
    // General case: restoring binary long division, one bit of the quotient per step. At most 128
    // steps and only reached for amounts above 2^64, which the program refuses anyway.
    let (mut quotient, mut remainder) = ((0u64, 0u64), (0u64, 0u64));
    let bits = if n_hi == 0 { 64 - n_lo.leading_zeros() } else { 128 - n_hi.leading_zeros() };
    for bit in (0..bits).rev() {
        let next = if bit >= 64 { (n_hi >> (bit - 64)) & 1 } else { (n_lo >> bit) & 1 };
        // A remainder whose top bit shifts out is at least 2^128 > d: subtract in any case (the
        // wrapping subtraction below then yields the true remainder, which is < d).
        let overflowed = remainder.0 >> 63 == 1;
        remainder = ((remainder.0 << 1) | (remainder.1 >> 63), (remainder.1 << 1) | next);
        quotient = ((quotient.0 << 1) | (quotient.1 >> 63), quotient.1 << 1);
        if overflowed || remainder.0 > d_hi || (remainder.0 == d_hi && remainder.1 >= d_lo) {
            let (low, borrow) = remainder.1.overflowing_sub(d_lo);
            remainder = (remainder.0.wrapping_sub(d_hi).wrapping_sub(u64::from(borrow)), low);
            quotient.1 |= 1;
        }
    }
    (quotient, remainder)
}

/// Called by `__multi3`: `out[0..2] = low, high` of `a * b`.
///
/// # Safety
/// `out` points to two writable u64s.
#[no_mangle]
pub unsafe extern "C" fn pob_sbf_mul128(out: *mut u64, a_lo: u64, a_hi: u64, b_lo: u64, b_hi: u64) {
    let (high, low) = mul(a_lo, a_hi, b_lo, b_hi);
    out.write(low);
    out.add(1).write(high);
}

/// Called by `__udivti3` / `__umodti3`: `out[0..4] = quotient low, high, remainder low, high`.
///
/// # Safety
/// `out` points to four writable u64s.
#[no_mangle]
pub unsafe extern "C" fn pob_sbf_divmod128(out: *mut u64, n_lo: u64, n_hi: u64, d_lo: u64, d_hi: u64) {
    let ((q_hi, q_lo), (r_hi, r_lo)) = divmod(n_lo, n_hi, d_lo, d_hi);
    out.write(q_lo);
    out.add(1).write(q_hi);
    out.add(2).write(r_lo);
    out.add(3).write(r_hi);
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use proptest::prelude::*;

    fn halves(value: u128) -> (u64, u64) {
        (value as u64, (value >> 64) as u64)
    }

    fn join((high, low): (u64, u64)) -> u128 {
        (u128::from(high) << 64) | u128::from(low)
    }

    fn check(n: u128, d: u128) {
        let ((n_lo, n_hi), (d_lo, d_hi)) = (halves(n), halves(d));
        let (quotient, remainder) = divmod(n_lo, n_hi, d_lo, d_hi);
        assert_eq!((join(quotient), join(remainder)), (n / d, n % d), "{n} / {d}");
    }

    #[test]
    fn division_edges() {
        let values = [
            1,
            2,
            3,
            9_999,
            10_000,
            u128::from(u32::MAX),
            u128::from(u32::MAX) + 1,
            u128::from(u64::MAX),
            u128::from(u64::MAX) + 1,
            1 << 96,
            (1 << 127) + 12_345,
            u128::MAX - 1,
            u128::MAX,
        ];
        for n in values.iter().copied().chain([0]) {
            for d in values {
                check(n, d);
            }
        }
        assert_eq!(divmod(7, 1, 0, 0), ((0, 0), (1, 7)), "division by zero leaves n as the remainder");
    }

    #[test]
    fn multiplication_edges() {
        for (a, b) in
            [(0u128, 5u128), (u128::from(u64::MAX), u128::from(u64::MAX)), (u128::MAX, 2), (1 << 64, 1 << 63)]
        {
            let ((a_lo, a_hi), (b_lo, b_hi)) = (halves(a), halves(b));
            assert_eq!(join(mul(a_lo, a_hi, b_lo, b_hi)), a.wrapping_mul(b));
        }
    }

    proptest! {
        #[test]
        fn division_matches_native(n: u128, d in 1u128..) {
            check(n, d);
        }

        #[test]
        fn division_by_small_divisors_matches_native(n: u128, d in 1u128..=u128::from(u32::MAX)) {
            check(n, d);
        }

        #[test]
        fn division_of_u64_matches_native(n: u64, d in 1u64..) {
            check(u128::from(n), u128::from(d));
        }

        #[test]
        fn multiplication_matches_native(a: u128, b: u128) {
            let ((a_lo, a_hi), (b_lo, b_hi)) = (halves(a), halves(b));
            prop_assert_eq!(join(mul(a_lo, a_hi, b_lo, b_hi)), a.wrapping_mul(b));
        }
    }
}
