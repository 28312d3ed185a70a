# Sourced by the scripts: one cargo target directory outside the clone, shared by every build,
# so a fresh clone on a warm machine does not recompile the world. Override with CARGO_TARGET_DIR.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/chairside/target}"
export PATH="$HOME/.cargo/bin:$PATH"
# wasm-opt from npm's binaryen package (see scripts/install-tools).
export BINARYEN_DIR="${BINARYEN_DIR:-$HOME/.cache/chairside/binaryen}"
export PATH="$BINARYEN_DIR/node_modules/.bin:$PATH"
