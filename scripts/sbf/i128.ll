target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"

; The i128 libcalls LLVM emits for the program's u128 arithmetic, in the BPF backend's own calling
; convention (which rustc's extern "C" cannot express). Each splits its operands into u64 halves
; and calls a helper of programs/sbf-rt, which works on u64s only. The linker reads this file as
; IR text (it starts with `target datalayout`), so no llvm-as is needed.

declare void @pob_sbf_mul128(ptr, i64, i64, i64, i64)
declare void @pob_sbf_divmod128(ptr, i64, i64, i64, i64)

define i128 @__multi3(i128 %a, i128 %b) {
  %out = alloca [2 x i64], align 8
  %a.lo = trunc i128 %a to i64
  %a.shifted = lshr i128 %a, 64
  %a.hi = trunc i128 %a.shifted to i64
  %b.lo = trunc i128 %b to i64
  %b.shifted = lshr i128 %b, 64
  %b.hi = trunc i128 %b.shifted to i64
  call void @pob_sbf_mul128(ptr %out, i64 %a.lo, i64 %a.hi, i64 %b.lo, i64 %b.hi)
  %product = call i128 @pob_sbf_load128(ptr %out, i64 0)
  ret i128 %product
}

define i128 @__udivti3(i128 %n, i128 %d) {
  %out = alloca [4 x i64], align 8
  call void @pob_sbf_divmod(ptr %out, i128 %n, i128 %d)
  %quotient = call i128 @pob_sbf_load128(ptr %out, i64 0)
  ret i128 %quotient
}

define i128 @__umodti3(i128 %n, i128 %d) {
  %out = alloca [4 x i64], align 8
  call void @pob_sbf_divmod(ptr %out, i128 %n, i128 %d)
  %remainder = call i128 @pob_sbf_load128(ptr %out, i64 2)
  ret i128 %remainder
}

; out[0..4] = quotient low, high, remainder low, high of n / d
define internal void @pob_sbf_divmod(ptr %out, i128 %n, i128 %d) alwaysinline {
  %n.lo = trunc i128 %n to i64
  %n.shifted = lshr i128 %n, 64
  %n.hi = trunc i128 %n.shifted to i64
  %d.lo = trunc i128 %d to i64
  %d.shifted = lshr i128 %d, 64
  %d.hi = trunc i128 %d.shifted to i64
  call void @pob_sbf_divmod128(ptr %out, i64 %n.lo, i64 %n.hi, i64 %d.lo, i64 %d.hi)
  ret void
}

; the u128 whose low half is at words[index] and high half at words[index + 1]
define internal i128 @pob_sbf_load128(ptr %words, i64 %index) alwaysinline {
  %low.at = getelementptr i64, ptr %words, i64 %index
  %high.index = add i64 %index, 1
  %high.at = getelementptr i64, ptr %words, i64 %high.index
  %low = load i64, ptr %low.at, align 8
  %high = load i64, ptr %high.at, align 8
  %low.wide = zext i64 %low to i128
  %high.wide = zext i64 %high to i128
  %high.shifted = shl i128 %high.wide, 64
  %value = or i128 %high.shifted, %low.wide
  ret i128 %value
}
