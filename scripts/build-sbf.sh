#!/usr/bin/env bash
# Builds the deployable SBF program, target/deploy/proof_of_brain.so, without Solana's
# platform-tools (which `anchor build` / `cargo build-sbf` download from GitHub, unreachable on our
# build machines). Users with platform-tools keep using `anchor build`; see the README for checking
# the two builds against each other.
#
# The route (each piece is in scripts/sbf/ and explained where it is used below):
#   Debian's rustc/cargo 1.96 (rustc-web) with `-Zbuild-std` and a target spec derived from
#   `bpfel-unknown-none` with `target_os = "solana"`  ->  LLVM bitcode
#   sbpf-linker 0.2.6 (crates.io) linked against LLVM 23 from PyPI, with a fix for SBPF v0  ->  .so
# The output is SBPF v0, which solana-program-test 3.1 and today's clusters load.
#
# Installs what a fresh machine of our kind lacks (pinned apt packages; the linker, built once and
# cached in $POB_SBF_CACHE, default ~/.cache/pob-sbf). Same bytes from any checkout directory:
# --locked, and every absolute path remapped. Prints the size and sha256 of the .so.
#
# Usage: scripts/build-sbf.sh [--check-only]   (--check-only: install/build the tools, not the program)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SBF_DIR="$ROOT/scripts/sbf"
CACHE="${POB_SBF_CACHE:-$HOME/.cache/pob-sbf}"
TARGET_DIR="$ROOT/target/sbf"
DEPLOY_DIR="$ROOT/target/deploy"

RUST_DEB_VERSION="1.96.0+dfsg1-1~deb12u2"
LINKER_VERSION="0.2.6"
LINKER_CRATE_SHA256="fb77b853725e5cc2455815109cadb110ecb62965dac9e91511a0531c9ea61f22"
LLVM_WHEELS=(
  "mlc-llvm-static==23.1.1.post0 --hash=sha256:dcfec888abfaa418be77d41af585805f31463584cf9c90582992c00f392c1ac5"
  "mlc-llvm-static-extra-targets==23.1.1.post0 --hash=sha256:c36e834d9a4e9cf9759f27fece65711ece7a2fc2b5a96dbb15d66f5e9e787929"
)

say() { printf 'build-sbf: %s\n' "$*" >&2; }

# ---- 1. Debian's Rust 1.96 and its std sources (rustup's toolchain stays the host compiler) ----
install_debian_rust() {
  local want=(rustc-web cargo-web rust-web-src libzstd-dev)
  local missing=()
  for package in "${want[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ "$(dpkg-query -W -f='${Version}' rustc-web 2>/dev/null)" != "$RUST_DEB_VERSION" ]; then
    missing+=(rustc-web)
  fi
  [ ${#missing[@]} -eq 0 ] && return
  say "installing ${missing[*]} (Debian, rustc-web $RUST_DEB_VERSION)"
  apt-get update -qq
  local pinned=("rustc-web=$RUST_DEB_VERSION" "cargo-web=$RUST_DEB_VERSION" "rust-web-src=$RUST_DEB_VERSION" libzstd-dev)
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pinned[@]}" >/dev/null; then
    # The security archive replaces point releases; a newer 1.96 build works the same but may
    # produce other bytes. Say so rather than fail.
    say "WARNING: rustc-web $RUST_DEB_VERSION is gone from the archive; using the current one (the .so may differ in bytes)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustc-web cargo-web rust-web-src libzstd-dev >/dev/null
  fi
}

# ---- 2. std for target_os = "solana": Debian's std sources plus scripts/sbf/std-solana.patch ----
# The patch lets std build for an OS without threads, files or randomness (the same "unsupported"
# back ends as other bare targets), installs a no-op System allocator (programs bring their own
# global allocator) and routes panics to the program's `custom_panic` (which logs them) then abort.
patched_std() {
  local key
  key="$(dpkg-query -W -f='${Version}' rust-web-src)-$(sha256sum "$SBF_DIR/std-solana.patch" | cut -c1-12)"
  STD_SRC="$CACHE/rust-src-$key/library"
  [ -f "$STD_SRC/.patched" ] && return
  say "patching std sources ($key)"
  rm -rf "$CACHE/rust-src-$key"
  mkdir -p "$CACHE/rust-src-$key"
  cp -a /usr/lib/rustlib/src/rust/library "$CACHE/rust-src-$key/"
  (cd "$STD_SRC" && patch -s -p1 < "$SBF_DIR/std-solana.patch")
  touch "$STD_SRC/.patched"
}

# ---- 3. sbpf-linker 0.2.6 against LLVM 23 (static, from PyPI), with the SBPF v0 fix ----
# The linker turns LLVM bitcode into an SBPF ELF. It rewrites the stack arguments of functions
# with more than 5 parameters assuming call frames are adjacent, as in SBPF v3; SBPF v0 leaves an
# unmapped frame between them, so outgoing arguments must be stored one frame higher
# (scripts/sbf/sbpf-linker-v0-stack-args.patch). LLVM 23 comes as static libraries in a PyPI
# wheel, installed into a throwaway virtualenv only while the linker builds.
build_linker() {
  local key
  key="$LINKER_VERSION-$(sha256sum "$SBF_DIR/sbpf-linker-v0-stack-args.patch" | cut -c1-12)"
  LINKER="$CACHE/sbpf-linker-$key/sbpf-linker"
  [ -x "$LINKER" ] && return
  say "building sbpf-linker $key (once; about 2 minutes)"
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  curl -sSfL -o "$work/linker.crate" "https://static.crates.io/crates/sbpf-linker/sbpf-linker-$LINKER_VERSION.crate"
  echo "$LINKER_CRATE_SHA256  $work/linker.crate" | sha256sum -c --quiet
  tar -xzf "$work/linker.crate" -C "$work"
  local src="$work/sbpf-linker-$LINKER_VERSION"
  (cd "$src" && patch -s -p1 < "$SBF_DIR/sbpf-linker-v0-stack-args.patch")
  rm -f "$src/rust-toolchain.toml" # it names a nightly; the stable host toolchain builds it
  python3 -m venv "$work/venv"
  local requirements="$work/requirements.txt"
  printf '%s\n' "${LLVM_WHEELS[@]}" > "$requirements"
  "$work/venv/bin/pip" install -q --no-deps --require-hashes -r "$requirements"
  local llvm
  llvm="$(echo "$work"/venv/lib/python3*/site-packages/mlc_llvm_static/static)"
  (cd "$src" && PATH="$llvm/bin:$PATH" LLVM_SYS_231_PREFIX="$llvm" LLVM_PREFIX="$llvm" \
    cargo build --release --locked --quiet --no-default-features \
      --features bpf-linker/llvm-23,bpf-linker/llvm-link-static --target-dir "$work/target")
  mkdir -p "$(dirname "$LINKER")"
  cp "$work/target/release/sbpf-linker" "$LINKER.tmp"
  mv "$LINKER.tmp" "$LINKER"
}

# ---- 4. The program ----
build_program() {
  mkdir -p "$TARGET_DIR" "$DEPLOY_DIR"
  local registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
  # Every absolute path that can end up in the binary (panic locations) is remapped, so the bytes
  # do not depend on the checkout directory, the user's home or the cache.
  local remap=(
    "--remap-path-prefix=$ROOT=/pob"
    "--remap-path-prefix=$registry=/cargo"
    "--remap-path-prefix=$STD_SRC=/rustlib"
  )
  # SBPF v0 (`--arch=v0`) on LLVM's BPF v2 instruction set; 4 KiB stack frames as the VM gives;
  # atomics lowered to plain memory operations (one thread). The i128 libcalls (scripts/sbf/i128.ll)
  # are linked into the program only: dependencies that are cdylibs too (solana-zk-sdk) are linked
  # on their own, without the program's helpers, hence `cargo rustc ... -- -C link-arg=`.
  local flags=(
    -C link-arg=--arch=v0 -C target-cpu=v2 -C link-arg=--llvm-args=-bpf-stack-size=4096
    -C passes=lower-atomic "${remap[@]}"
  )
  local config="$TARGET_DIR/build-config.toml"
  {
    echo '[unstable]'
    echo 'build-std = ["std", "panic_abort"]'
    echo '[target.bpfel-solana-solana]'
    echo "linker = \"$LINKER\""
    printf 'rustflags = ['
    printf '"%s", ' "${flags[@]}"
    echo ']'
  } > "$config"
  say "building programs/proof-of-brain for SBF"
  # __CARGO_TESTS_ONLY_SRC_ROOT points -Zbuild-std at the patched std sources (cargo 1.96 honours
  # it; pinned above). RUSTC_BOOTSTRAP enables the unstable build-std and JSON target options.
  (cd "$ROOT" && env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc \
    __CARGO_TESTS_ONLY_SRC_ROOT="$STD_SRC" CARGO_TARGET_DIR="$TARGET_DIR" \
    /usr/bin/cargo rustc --release --locked -p proof-of-brain --crate-type cdylib \
      -Zjson-target-spec --target "$SBF_DIR/bpfel-solana-solana.json" --config "$config" \
      -- -C "link-arg=$SBF_DIR/i128.ll")
  local built="$TARGET_DIR/bpfel-solana-solana/release/libproof_of_brain.so"
  check_symbols "$built"
  cp "$built" "$DEPLOY_DIR/proof_of_brain.so.tmp"
  mv "$DEPLOY_DIR/proof_of_brain.so.tmp" "$DEPLOY_DIR/proof_of_brain.so"
  local so="$DEPLOY_DIR/proof_of_brain.so"
  printf 'target/deploy/proof_of_brain.so  %s bytes  sha256 %s\n' \
    "$(stat -c %s "$so")" "$(sha256sum "$so" | cut -d' ' -f1)"
}

# A symbol left undefined becomes a call the VM resolves as a syscall at load time, or faults at
# run time. Only Solana's syscalls (sol_*) and `abort` may remain.
check_symbols() {
  local unexpected
  unexpected="$(python3 - "$1" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
shoff, = struct.unpack_from('<Q', data, 0x28)
shentsize, shnum = struct.unpack_from('<HH', data, 0x3A)
sections = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize) for i in range(shnum)]
for name, kind, _, _, offset, size, link, _, _, entsize in sections:
    if kind != 11:  # SHT_DYNSYM
        continue
    strings = sections[link]
    for i in range(1, size // entsize):
        st_name, info, _, shndx = struct.unpack_from('<IBBH', data, offset + i * entsize)
        if shndx != 0:
            continue  # defined
        end = data.index(b'\0', strings[4] + st_name)
        symbol = data[strings[4] + st_name:end].decode()
        if not (symbol.startswith('sol_') or symbol == 'abort'):
            print(symbol)
PY
)"
  if [ -n "$unexpected" ]; then
    say "undefined symbols in $1 (not Solana syscalls):"
    echo "$unexpected" >&2
    exit 1
  fi
}

mkdir -p "$CACHE"
install_debian_rust
patched_std
build_linker
if [ "${1:-}" = "--check-only" ]; then
  say "tools ready: $LINKER"
  exit 0
fi
build_program
